Feature: The life of a metric definition
  A metric's definition (GET /metrics/{id}/definition) carries its SQL, parameters, layouts
  and version; the version is its ETag. Updates (PUT) can be made conditional with If-Match.
  Every change is a version with who, when and what; DELETE is soft and any version can be
  restored. Metrics marked is_editable: false change through the import files only.

  Scenario: The list of metrics is paged in a stable order with a total
    Given an empty dashboard
    And a metric titled "Tile 0" from the SQL "SELECT 0 AS n"
    And a metric titled "Tile 1" from the SQL "SELECT 1 AS n"
    And a metric titled "Tile 2" from the SQL "SELECT 2 AS n"
    And a metric titled "Tile 3" from the SQL "SELECT 3 AS n"
    And a metric titled "Tile 4" from the SQL "SELECT 4 AS n"
    When I list the metrics with "page=1&page_size=2"
    Then the API answers 200 OK
    And the answer has:
      | field                | value    |
      | page                 | 1        |
      | page_size            | 2        |
      | total                | 5        |
      | items[0].id          | {Tile 0} |
      | items[0].is_editable | true     |
    And the listed titles are:
      | title  |
      | Tile 0 |
      | Tile 1 |
    When I list the metrics with "page=3&page_size=2"
    Then the listed titles are:
      | title  |
      | Tile 4 |

  Scenario Outline: Paging with <query> is refused
    When I list the metrics with "<query>"
    Then the API answers 400 Bad Request
    And the problem lists the errors:
      | field   | message   |
      | <field> | <message> |

    Examples:
      | query         | field     | message                                                                 |
      | page=0        | page      | page must be a whole number from 1.                                     |
      | page_size=201 | page_size | page_size must be a whole number from 1 to 200.                         |
      | size=10       | size      | 'size' is not a parameter of this endpoint; it accepts page, page_size. |

  Scenario: The definition carries its version as an ETag, and a client holding it gets 304
    Given a metric titled "Parts per day" from the prompt "Parts flagged per day in June 2025"
    When I read the definition of the metric "Parts per day"
    Then the API answers 200 OK
    And the answer has the header ETag: "1"
    And the answer has:
      | field       | value           |
      | id          | {Parts per day} |
      | title       | Parts per day   |
      | version     | 1               |
      | is_editable | true            |
    And the answer's "parameters" is:
      """json
      [
        { "name": "start_date", "type": "date", "default_value": "2025-06-01" },
        { "name": "end_date", "type": "date", "default_value": "2025-06-30" }
      ]
      """
    When I read the definition of the metric "Parts per day" with If-None-Match "1"
    Then the API answers 304 Not Modified
    And the answer has no body

  Scenario: An update naming the current version applies and returns the new definition
    Given a metric titled "Obsolescence average" from the prompt "Average obsolescence value last 30 days"
    When I update the metric "Obsolescence average" with If-Match "1":
      """json
      {
        "title": "Obsolescence, 30-day average",
        "is_editable": true,
        "layouts": [ { "breakpoint": "lg", "x": 4, "y": 0, "w": 4, "h": 2, "static": true } ]
      }
      """
    Then the API answers 200 OK
    And the answer has the header ETag: "2"
    And the answer has:
      | field   | value                        |
      | title   | Obsolescence, 30-day average |
      | version | 2                            |
    And the answer's "layouts" is:
      """json
      [ { "breakpoint": "lg", "x": 4, "y": 0, "w": 4, "h": 2, "static": true } ]
      """
    And the definition's SQL contains "ROUND(AVG(obsolescence_val), 2)"

  Scenario: An update naming a version that is no longer current is refused and changes nothing
    Given a metric titled "Cost this month" from the prompt "Total cost avoided this month"
    And the metric "Cost this month" has been updated with:
      """json
      { "is_editable": true, "layouts": [ { "breakpoint": "lg", "x": 1, "y": 0, "w": 4, "h": 2 } ] }
      """
    When I update the metric "Cost this month" with If-Match "1":
      """json
      { "is_editable": true, "layouts": [ { "breakpoint": "lg", "x": 9, "y": 0, "w": 4, "h": 2 } ] }
      """
    Then the API answers 412 Precondition Failed
    And the answer is the problem "Precondition failed"
    And the problem detail is "Metric {Cost this month} is at version 2, which If-Match does not name; fetch its definition again and retry."
    When I read the definition of the metric "Cost this month"
    Then the answer has:
      | field        | value |
      | version      | 2     |
      | layouts[0].x | 1     |

  Scenario: A new prompt regenerates the SQL and the title
    Given a metric titled "Critical alerts" from the prompt "Critical alerts last week"
    When I update the metric "Critical alerts" with:
      """json
      { "is_editable": true, "layouts": [], "query_generation_prompt": "Warning alerts in May 2025" }
      """
    Then the API answers 200 OK
    And the answer has:
      | field   | value                      |
      | title   | Warning alerts in May 2025 |
      | version | 2                          |
    And the definition's SQL contains "alert_type = 'Warning'"

  Scenario: An update that changes nothing keeps the version
    Given the metric "Today" created with:
      """json
      { "is_editable": true, "layouts": [ { "breakpoint": "lg", "x": 0, "y": 0, "w": 4, "h": 2 } ], "query_generation_prompt": "Parts flagged today" }
      """
    When I update the metric "Today" with:
      """json
      { "is_editable": true, "layouts": [ { "breakpoint": "lg", "x": 0, "y": 0, "w": 4, "h": 2 } ] }
      """
    Then the API answers 200 OK
    And the answer has the header ETag: "1"

  Scenario: A metric that is not editable cannot be changed or deleted through the API
    Given the metric "Locked" created with:
      """json
      { "is_editable": false, "layouts": [], "query_generation_prompt": "Locked tile" }
      """
    When I update the metric "Locked" with:
      """json
      { "is_editable": true, "layouts": [] }
      """
    Then the API answers 409 Conflict
    And the answer is the problem "Conflict"
    And the problem detail is "Metric {Locked} is not editable (is_editable is false); change it through the import files."
    When I delete the metric "Locked"
    Then the API answers 409 Conflict
    And the problem detail is "Metric {Locked} is not editable (is_editable is false); change it through the import files."

  Scenario: Renaming a metric to a title another metric has is a conflict
    Given a metric titled "Headline A" from the SQL "SELECT 1 AS one"
    And a metric titled "Headline B" from the SQL "SELECT 2 AS two"
    When I update the metric "Headline B" with:
      """json
      { "title": "headline a", "is_editable": true, "layouts": [] }
      """
    Then the API answers 409 Conflict
    And the problem detail is "Another metric is already titled "headline a"; choose another title."

  Scenario: Deleting hides the metric and keeps its history
    Given a metric titled "Short-lived" from the SQL "SELECT 1 AS one"
    When I delete the metric "Short-lived"
    Then the API answers 204 No Content
    And the answer has no body
    When I read the metric "Short-lived"
    Then the API answers 404 Not Found
    When I read the definition of the metric "Short-lived"
    Then the API answers 404 Not Found
    When I list the versions of the metric "Short-lived"
    Then the API answers 200 OK
    And the answer lists 2 items

  Scenario: A delete naming a version that is no longer current is refused
    Given a metric titled "Kept" from the SQL "SELECT 1 AS one"
    And the metric "Kept" has been updated with:
      """json
      { "is_editable": true, "layouts": [ { "breakpoint": "lg", "x": 2, "y": 0, "w": 4, "h": 2 } ] }
      """
    When I delete the metric "Kept" with If-Match "1"
    Then the API answers 412 Precondition Failed
    And the problem detail is "Metric {Kept} is at version 2, which If-Match does not name; fetch its definition again and retry."
    When I read the metric "Kept"
    Then the API answers 200 OK

  Scenario: Changing a metric that does not exist is a 404
    When I send PUT "/metrics/00000000-0000-4000-8000-000000000003" with the body:
      """json
      { "is_editable": true, "layouts": [] }
      """
    Then the API answers 404 Not Found
    And the answer is the problem "Metric not found"
    And the problem detail is "Metric '00000000-0000-4000-8000-000000000003' was not found."

  Scenario: Every change is a version with who made it and what changed
    Given I call the API as the user "alice" in the group "metrics-writers"
    When I create the metric "History" with:
      """json
      { "is_editable": true, "layouts": [ { "breakpoint": "lg", "x": 0, "y": 0, "w": 4, "h": 2 } ], "query_generation_prompt": "Monthly parts flagged in 2025" }
      """
    And I update the metric "History" with:
      """json
      { "is_editable": true, "layouts": [ { "breakpoint": "lg", "x": 6, "y": 0, "w": 4, "h": 2 } ] }
      """
    And I delete the metric "History"
    And I restore version 2 of the metric "History"
    And I list the versions of the metric "History"
    Then the API answers 200 OK
    And the versions are:
      | version | changed_by | change                        |
      | 1       | alice      | created from a prompt         |
      | 2       | alice      | layouts changed               |
      | 3       | alice      | deleted                       |
      | 4       | alice      | restored version 2: undeleted |

  Scenario: Restoring a version brings that definition back as a new version, also after a delete
    Given the metric "Daily cost" created with:
      """json
      { "is_editable": true, "layouts": [ { "breakpoint": "lg", "x": 0, "y": 0, "w": 4, "h": 2 } ], "query_generation_prompt": "Daily cost avoided in June 2025" }
      """
    And the metric "Daily cost" has been updated with:
      """json
      { "is_editable": true, "layouts": [ { "breakpoint": "lg", "x": 5, "y": 0, "w": 4, "h": 2 } ] }
      """
    And the metric "Daily cost" has been deleted
    When I restore version 1 of the metric "Daily cost"
    Then the API answers 200 OK
    And the answer has the header ETag: "4"
    And the answer has:
      | field        | value |
      | version      | 4     |
      | layouts[0].x | 0     |
    When I read the metric "Daily cost"
    Then the API answers 200 OK

  Scenario: Restoring a version that does not exist, or is not a number, is refused
    Given a metric titled "Alerts this week" from the prompt "Count of alerts this week"
    When I restore version 9 of the metric "Alerts this week"
    Then the API answers 404 Not Found
    And the problem detail is "Metric {Alerts this week} has no version 9; see GET /metrics/{Alerts this week}/versions."
    When I send POST "/metrics/{Alerts this week}/versions/latest/restore"
    Then the API answers 400 Bad Request
    And the problem lists the errors:
      | field   | message                                                              |
      | version | 'latest' is not a version number: versions are whole numbers from 1. |
