Feature: Logging
  Each API call logs "Endpoint called" at Information level inside a scope carrying the
  operation, the caller and the call's parameters, so every line logged while it is handled
  can be traced to what was asked. Bodies, headers and tokens are never logged.

  Scenario: Reading a metric logs the operation and its parameters
    Given a metric titled "Logged tile" from the prompt "Alerts by type in June 2025"
    When I read the metric "Logged tile" with "start_date=2025-06-02&day_range=5"
    Then the API answers 200 OK
    And the API logged "Endpoint called" at Information level with:
      | property   | value                  |
      | Operation  | GetMetric              |
      | id         | {Logged tile}          |
      | start_date | 2025-06-02             |
      | day_range  | 5                      |
      | User       | client:test-app-client |

  Scenario: A user's call is logged with the user's name
    Given I call the API as the user "alice" in the group "metrics-writers"
    When I create the metric "Alice's tile" with:
      """json
      { "is_editable": true, "layouts": [], "query_generation_prompt": "Total parts flagged in 2025" }
      """
    Then the API answers 201 Created
    And the API logged "Endpoint called" 1 time
    And the API logged "Endpoint called" at Information level with:
      | property  | value        |
      | Operation | CreateMetric |
      | User      | alice        |

  Scenario: No token appears in the log, accepted or refused
    Given I call the API with a token granting "api/metrics.read"
    When I list the metrics
    Then the API answers 200 OK
    And no log event contains the token I called with
    Given I call the API with a token that is tampered with after signing
    When I list the metrics
    Then the API answers 401 Unauthorized
    And no log event contains the token I called with
