Feature: Caching
  The database sees each distinct question once per cache lifetime; a change (a new record,
  a new definition, a delete) is visible at once. Answers carry an ETag, and a client that
  sends it back in If-None-Match gets 304 Not Modified while nothing changed.

  Scenario: A repeated question is answered from the cache, a different one is not
    Given a metric titled "Cached alerts" from the prompt "count of alerts in June 2025"
    And I count the queries the database runs
    When I read the metric "Cached alerts"
    And I read the metric "Cached alerts"
    And I read the metric "Cached alerts"
    Then the API answers 200 OK
    And the database has run 1 query
    When I read the metric "Cached alerts" with "start_date=2025-06-10"
    Then the database has run 2 queries

  Scenario: A new record is visible at once
    Given a metric titled "Counted alerts" from the prompt "count of alerts in June 2025"
    And the metric "Counted alerts" has the records:
      | date       | alert_type |
      | 2025-06-02 | Critical   |
    And I count the queries the database runs
    When I read the metric "Counted alerts"
    Then the records are:
      | total_alerts |
      | 1            |
    When I post a record to the metric "Counted alerts":
      """json
      { "date": "2025-06-15", "alert_type": "Info" }
      """
    And I read the metric "Counted alerts"
    Then the records are:
      | total_alerts |
      | 2            |
    And the database has run 2 queries

  Scenario: A changed definition is visible at once
    Given a metric titled "Before" from the SQL "SELECT 1 AS n"
    When I read the metric "Before"
    Then the records are:
      | n |
      | 1 |
    When I update the metric "Before" with:
      """json
      { "title": "After", "is_editable": true, "layouts": [], "query": "SELECT 2 AS n" }
      """
    And I read the metric "Before"
    Then the answer has:
      | field | value |
      | title | After |
    And the records are:
      | n |
      | 2 |

  Scenario: A deleted metric is gone at once
    Given a metric titled "Gone soon" from the SQL "SELECT 1 AS n"
    When I read the metric "Gone soon"
    Then the API answers 200 OK
    When I delete the metric "Gone soon"
    And I read the metric "Gone soon"
    Then the API answers 404 Not Found

  Scenario: A client holding the current ETag gets 304 until a record changes the answer
    Given a metric titled "Tagged" from the prompt "total parts flagged in June 2025"
    When I read the metric "Tagged"
    Then the API answers 200 OK
    When I read the metric "Tagged" again, sending back the ETag I was given
    Then the API answers 304 Not Modified
    And the answer has no body
    And the answer carries the ETag I sent
    When I post a record to the metric "Tagged":
      """json
      { "date": "2025-06-02", "parts_flagged": 4 }
      """
    And I read the metric "Tagged" again, sending back the ETag I was given
    Then the API answers 200 OK
    And the answer carries a new ETag, not the one I sent
    And the records are:
      | parts_flagged |
      | 4             |
