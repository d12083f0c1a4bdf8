Feature: Health
  Anyone, without a token, can ask whether the API is up (/health), whether the process
  serves requests (/health/live) and whether it should receive traffic (/health/ready).

  Scenario: The API and its database are up
    Given I call the API without a token
    When I send GET "/health"
    Then the API answers 200 OK
    And the answer is:
      """json
      { "application": true, "database": true }
      """

  Scenario: The process is live
    Given I call the API without a token
    When I send GET "/health/live"
    Then the API answers 200 OK
    And the answer is:
      """json
      { "status": "live" }
      """

  Scenario: The instance is ready and lists each check
    Given I call the API without a token
    When I send GET "/health/ready"
    Then the API answers 200 OK
    And the answer has:
      | field                             | value                                               |
      | status                            | ready                                               |
      | checks.database.description       | The database answers.                               |
      | checks.migrations.description     | All migrations are applied.                         |
      | checks.startup-import.description | Start-up import skipped: Import__OnStartup is false |
    And the readiness checks are:
      | check          | status  |
      | database       | healthy |
      | migrations     | healthy |
      | query-sandbox  | healthy |
      | startup-import | healthy |
      | signing-keys   | healthy |
      | change-feed    | healthy |

  Scenario: Without its database the API says so, but stays live
    Given the API cannot reach its database
    And I call the API without a token
    When I send GET "/health"
    Then the API answers 503 Service Unavailable
    And the answer is the problem "Database unavailable"
    And the problem detail is "The application is running but cannot reach its database."
    And the answer has:
      | field       | value |
      | application | true  |
      | database    | false |
    When I send GET "/health/live"
    Then the API answers 200 OK
    When I send GET "/health/ready"
    Then the API answers 503 Service Unavailable
    And the answer is the problem "Not ready"
