Feature: Live updates
  A dashboard follows its metrics on one event stream instead of polling: each metric's answer
  at once, exactly as GET /metrics/{id} gives it, then again whenever it changes, whichever
  instance of the API took the change. A deleted metric leaves the stream; a stream ends when
  its token expires, so a token cannot listen past its expiry.

  Scenario: A new record reaches the subscriber without it asking again
    Given a metric titled "Live alerts" from the prompt "count of alerts in June 2025"
    And I follow the metric "Live alerts"
    Then the stream sends the metric "Live alerts" with the records:
      | total_alerts |
      | 0            |
    When I post a record to the metric "Live alerts":
      """json
      { "date": "2025-06-15", "alert_type": "Info" }
      """
    Then the stream sends the metric "Live alerts" with the records:
      | total_alerts |
      | 1            |

  Scenario: One stream carries several tiles, and a deleted one leaves it
    Given a metric titled "Tile one" from the SQL "SELECT 1 AS n"
    And a metric titled "Tile two" from the SQL "SELECT 2 AS n"
    And I follow the metrics "Tile one" and "Tile two" on one stream
    Then the stream sends the metric "Tile one" with the records:
      | n |
      | 1 |
    Given the metric "Tile one" has been deleted
    Then the stream says the metric "Tile one" was deleted
    Given the metric "Tile two" has been updated with:
      """json
      { "is_editable": true, "layouts": [], "query": "SELECT 3 AS n" }
      """
    Then the stream sends the metric "Tile two" with the records:
      | n |
      | 3 |

  Scenario: A change taken by another instance reaches this instance's subscribers
    Given a metric titled "Fleet alerts" from the prompt "count of alerts in June 2025"
    And a second instance of the API on the same database
    And I follow the metric "Fleet alerts" on the second instance
    When I post a record to the metric "Fleet alerts":
      """json
      { "date": "2025-06-20", "alert_type": "Critical" }
      """
    Then the stream sends the metric "Fleet alerts" with the records:
      | total_alerts |
      | 1            |

  Scenario: A deleted metric ends its own stream
    Given a metric titled "Short-lived tile" from the SQL "SELECT 1 AS n"
    And I follow the metric "Short-lived tile"
    Given the metric "Short-lived tile" has been deleted
    Then the stream says the metric "Short-lived tile" was deleted
    And the stream ends

  Scenario: A stream ends when its token expires
    Given a metric titled "Expiring tile" from the SQL "SELECT 1 AS n"
    And I call the API with a token that expires in 3 seconds
    And I follow the metric "Expiring tile"
    Then the stream asks me to sign in again and ends
