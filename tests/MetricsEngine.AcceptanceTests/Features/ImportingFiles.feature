Feature: Importing dirty files
  Definitions and records come from three files: queries.csv, metrics.json and
  metric_records.json. Real files are dirty. Everything that can be loaded is loaded;
  everything that cannot is an issue in the import report (GET /imports/latest, for
  administrators) with its file, position, id and reason. Nothing is dropped silently.

  Background:
    Given an empty dashboard
    And the queries file:
      """csv
      id,query
      q_a,"-- A
      SELECT 1 AS one"
      q_b,"-- B
      SELECT 2 AS two"
      q_a,"-- A again
      SELECT 3 AS three"
      q_blank,"  "
      """

  Scenario: Dirty definition files load what they can and report every duplicate and orphan
    Given the metrics file:
      """json
      {
        "items": [
          { "id": "11111111-1111-4111-8111-111111111111", "queryId": "q_a", "isEditable": true },
          { "id": "22222222-2222-4222-8222-222222222222", "query_id": "q_b", "isEditable": false },
          { "id": "11111111-1111-4111-8111-111111111111", "queryId": "q_b", "isEditable": true },
          { "id": "33333333-3333-4333-8333-333333333333", "queryId": "q_missing", "isEditable": true }
        ],
        "layouts": {
          "lg": [
            { "i": "11111111-1111-4111-8111-111111111111", "x": 0, "y": 0, "w": 5, "h": 4, "static": false },
            { "i": "22222222-2222-4222-8222-222222222222", "x": 5, "y": 0, "w": 5, "h": 4 },
            { "i": "99999999-9999-4999-8999-999999999999", "x": 0, "y": 4, "w": 5, "h": 4 },
            { "i": "33333333-3333-4333-8333-333333333333", "x": 5, "y": 4, "w": 5, "h": 4 }
          ]
        }
      }
      """
    When the files are imported
    And I read the latest import report
    Then the API answers 200 OK
    And the report counts:
      | kind    | read | added | updated | unchanged | rejected |
      | queries | 4    | 2     | 0       | 0         | 2        |
      | metrics | 4    | 2     | 0       | 0         | 2        |
      | layouts | 4    | 2     | 0       | 0         | 2        |
    And the report lists the issues:
      | file         | position      | severity | key                                  | reason                                                                                                                                                     |
      | queries.csv  | lines 6-7     | error    | q_a                                  | Duplicate query id 'q_a': lines 2-3 already defines it, so this row was ignored.                                                                           |
      | queries.csv  | line 8        | error    | q_blank                              | Query 'q_blank' has no SQL.                                                                                                                                |
      | metrics.json | items[2]      | error    | 11111111-1111-4111-8111-111111111111 | Duplicate metric id 11111111-1111-4111-8111-111111111111 (with query 'q_b' instead of 'q_a'): the first definition at items[0] wins, this one was ignored. |
      | metrics.json | items[3]      | error    | 33333333-3333-4333-8333-333333333333 | Metric 33333333-3333-4333-8333-333333333333 names query 'q_missing', which is neither in the queries file nor stored; the metric was not loaded.           |
      | metrics.json | layouts.lg[2] | error    | 99999999-9999-4999-8999-999999999999 | Layout names metric 99999999-9999-4999-8999-999999999999, which is not among the items.                                                                    |
      | metrics.json | layouts.lg[3] | error    | 33333333-3333-4333-8333-333333333333 | Layout for metric 33333333-3333-4333-8333-333333333333, which was not loaded (see that metric's issue).                                                    |

  Scenario: The first definition of a duplicated id wins, and both spellings of the query key are read
    Given the metrics file:
      """json
      {
        "items": [
          { "id": "11111111-1111-4111-8111-111111111111", "queryId": "q_a", "isEditable": true },
          { "id": "22222222-2222-4222-8222-222222222222", "query_id": "q_b", "isEditable": false },
          { "id": "11111111-1111-4111-8111-111111111111", "queryId": "q_b", "isEditable": true }
        ]
      }
      """
    When the files are imported
    And I send GET "/metrics/11111111-1111-4111-8111-111111111111"
    Then the API answers 200 OK
    And the answer has:
      | field       | value |
      | title       | A     |
      | is_editable | true  |
    And the records are:
      | one |
      | 1   |
    When I send GET "/metrics/22222222-2222-4222-8222-222222222222"
    Then the API answers 200 OK
    And the answer has:
      | field       | value |
      | title       | B     |
      | is_editable | false |

  Scenario: A CSV row that lacks its query is reported
    Given the queries file:
      """csv
      id,query
      q_fine,"SELECT 1 AS one"
      q_short
      """
    When the files are imported
    And I read the latest import report
    Then the report lists the issues:
      | file        | position | severity | key     | reason                                                               |
      | queries.csv | line 3   | error    | q_short | The row has 1 field(s) but the header names 2; the query is missing. |

  Scenario: Records that cannot be loaded are reported with their reason, and the rest load
    Given the metrics file:
      """json
      { "items": [ { "id": "11111111-1111-4111-8111-111111111111", "queryId": "q_b", "isEditable": true } ] }
      """
    And the records file:
      """json
      [
        { "id": "q_b", "date": "2025-06-01T00:00:00", "obsolescence": 10 },
        { "id": "q_unknown", "date": "2025-06-01T00:00:00", "obsolescence": 10 },
        { "id": "q_b", "date": "03/06/2025", "obsolescence": 10 },
        { "id": "q_b", "date": "2025-06-05T00:00:00", "parts_flagged": "three" },
        { "id": "q_b", "date": "2025-06-06T00:00:00" },
        { "id": "q_b", "date": "2025-06-07T00:00:00", "alert_type": "Critical", "colour": "red" }
      ]
      """
    When the files are imported
    And I read the latest import report
    Then the report counts:
      | kind    | read | added | updated | unchanged | rejected |
      | queries | 4    | 2     | 0       | 0         | 2        |
      | metrics | 1    | 1     | 0       | 0         | 0        |
      | layouts | 0    | 0     | 0       | 0         | 0        |
      | records | 6    | 2     | 0       | 0         | 4        |
    And the report lists the issues:
      | file                | position  | severity | key       | reason                                                                                                 |
      | queries.csv         | lines 6-7 | error    | q_a       | Duplicate query id 'q_a': lines 2-3 already defines it, so this row was ignored.                       |
      | queries.csv         | line 8    | error    | q_blank   | Query 'q_blank' has no SQL.                                                                            |
      | metric_records.json | [1]       | error    | q_unknown | Record names query 'q_unknown', which is neither in the queries file nor stored.                       |
      | metric_records.json | [2]       | error    | q_b       | 'date' must be an ISO 8601 date such as 2025-06-03T00:00:00, not "03/06/2025".                         |
      | metric_records.json | [3]       | error    | q_b       | 'parts_flagged' must be a whole number from -2147483648 to 2147483647, not "three".                    |
      | metric_records.json | [4]       | error    | q_b       | The record has no measure (obsolescence, obsolescence_val, parts_flagged, alert_type, alert_category). |
      | metric_records.json | [5]       | warning  | q_b       | Unknown field 'colour' was ignored.                                                                    |
    And the answer has:
      | field         | value                                                                    |
      | issues[2].raw | { "id": "q_unknown", "date": "2025-06-01T00:00:00", "obsolescence": 10 } |

  Scenario: Importing the same files again changes nothing
    Given the metrics file:
      """json
      { "items": [ { "id": "11111111-1111-4111-8111-111111111111", "queryId": "q_a", "isEditable": true } ],
        "layouts": { "lg": [ { "i": "11111111-1111-4111-8111-111111111111", "x": 0, "y": 0, "w": 5, "h": 4 } ] } }
      """
    And the records file has the records:
      | id  | date                | obsolescence |
      | q_a | 2025-06-01T00:00:00 | 1.5          |
      | q_a | 2025-06-02T00:00:00 | 2            |
    And the files have been imported
    When the same files are imported again
    And I read the latest import report
    Then the report counts:
      | kind    | read | added | updated | unchanged | rejected |
      | queries | 4    | 0     | 0       | 2         | 2        |
      | metrics | 1    | 0     | 0       | 1         | 0        |
      | layouts | 1    | 0     | 0       | 1         | 0        |
      | records | 2    | 0     | 0       | 2         | 0        |
    When I list the versions of the metric "A"
    Then the answer lists 1 item

  Scenario: Two identical records are two events, and both are kept
    Given the queries file:
      """csv
      id,query
      q_count,"-- Records counted
      SELECT COUNT(*) AS records, SUM(obsolescence) AS total FROM metrics WHERE id = 'q_count'"
      """
    And the metrics file:
      """json
      { "items": [ { "id": "44444444-4444-4444-8444-444444444444", "queryId": "q_count", "isEditable": true } ] }
      """
    And the records file has the records:
      | id      | date                | obsolescence |
      | q_count | 2025-06-01T00:00:00 | 1.5          |
      | q_count | 2025-06-01T00:00:00 | 1.5          |
      | q_count | 2025-06-01T00:00:00 | 2            |
    When the files are imported
    And I read the metric "Records counted"
    Then the records are:
      | records | total |
      | 3       | 5     |
    When the same files are imported again
    And I read the metric "Records counted"
    Then the records are:
      | records | total |
      | 3       | 5     |

  Scenario: A query the sandbox refuses is an issue, and so is every metric naming it
    Given the queries file:
      """csv
      id,query
      q_hostile,"DELETE FROM metrics"
      """
    And the metrics file:
      """json
      { "items": [ { "id": "55555555-5555-4555-8555-555555555555", "queryId": "q_hostile", "isEditable": true } ] }
      """
    When the files are imported
    And I read the latest import report
    Then the report lists the issues:
      | file         | position | severity | key                                  | reason                                                                                                                                       |
      | queries.csv  | line 2   | error    | q_hostile                            | Query 'q_hostile' was rejected: A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'DELETE'.                     |
      | metrics.json | items[0] | error    | 55555555-5555-4555-8555-555555555555 | Metric 55555555-5555-4555-8555-555555555555 names query 'q_hostile', which was rejected (see that query's issue); the metric was not loaded. |

  Scenario: Before any import there is no report
    When I read the latest import report
    Then the API answers 404 Not Found
    And the answer is the problem "Import not found"
    And the problem detail is "No import has run yet."
