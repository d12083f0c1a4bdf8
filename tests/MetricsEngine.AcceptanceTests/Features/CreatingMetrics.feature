Feature: Creating a metric and posting records
  POST /metrics creates a tile from a natural-language prompt (the SQL is generated, filtered
  to the metric's own records, with the prompt's dates as parameter defaults) or from SQL.
  POST /metrics/{id}/metric-records records an event for it; the next read shows it.

  Scenario: A metric from a prompt with two layouts shows both layouts and the record posted to it
    When I create the metric "Dance" with:
      """json
      {
        "is_editable": true,
        "layouts": [
          { "breakpoint": "lg", "x": 0, "y": 20, "w": 5, "h": 4, "static": false },
          { "breakpoint": "md", "x": 0, "y": 10, "w": 1, "h": 4, "static": null }
        ],
        "query_generation_prompt": "shut up and dance"
      }
      """
    Then the API answers 201 Created
    And the answer has the header Location: /metrics/{Dance}
    When I post a record to the metric "Dance":
      """json
      {
        "date": "2025-06-03T08:15:00Z",
        "obsolescence": 120.5,
        "obsolescence_val": 12.05,
        "parts_flagged": 3,
        "alert_type": "Critical",
        "alert_category": "Need Approval"
      }
      """
    Then the API answers 201 Created
    When I read the metric "Dance" with "as_of=2025-06-10"
    Then the API answers 200 OK
    And the answer has:
      | field       | value             |
      | title       | Shut up and dance |
      | is_editable | true              |
    And the answer's "layouts" is:
      """json
      [
        { "breakpoint": "lg", "x": 0, "y": 20, "w": 5, "h": 4, "static": false },
        { "breakpoint": "md", "x": 0, "y": 10, "w": 1, "h": 4, "static": null }
      ]
      """
    And the answer's "records" is:
      """json
      [
        {
          "date": "2025-06-03T08:15:00Z",
          "obsolescence": 120.5,
          "obsolescence_val": 12.05,
          "parts_flagged": 3,
          "alert_type": "Critical",
          "alert_category": "Need Approval"
        }
      ]
      """

  Scenario: The prompt Metrics needing approval from March 2025 to April 2025 keeps that window and that category
    When I create the metric "Approval" with:
      """json
      { "is_editable": true, "layouts": [], "query_generation_prompt": "Metrics needing approval from March 2025 to April 2025" }
      """
    Then the API answers 201 Created
    When I read the definition of the metric "Approval"
    Then the API answers 200 OK
    And the answer has:
      | field | value                                                  |
      | title | Metrics needing approval from March 2025 to April 2025 |
    And the answer's "parameters" is:
      """json
      [
        { "name": "start_date", "type": "date", "default_value": "2025-03-01" },
        { "name": "end_date", "type": "date", "default_value": "2025-04-30" }
      ]
      """
    And the definition's SQL contains "alert_category = 'Need Approval'"
    And the definition's SQL contains "DATE(date) BETWEEN @start_date AND @end_date"
    And the definition's SQL filters on the metric's own query id

  Scenario: Records posted to a generated metric are what its query counts
    Given a metric titled "June alerts" from the prompt "Alerts by type in June 2025"
    And the metric "June alerts" has the records:
      | date       | alert_type |
      | 2025-06-10 | Critical   |
      | 2025-06-11 | Warning    |
      | 2025-06-12 | Critical   |
      | 2025-07-10 | Critical   |
    When I read the metric "June alerts"
    Then the records are:
      | alert_type | total_alerts |
      | Critical   | 2            |
      | Warning    | 1            |

  Scenario: Raw SQL has its date literals turned into parameters and its comment becomes the title
    When I create the metric "Parts" with:
      """json
      {
        "is_editable": false,
        "layouts": [],
        "query": "-- Parts flagged in June\nSELECT SUM(parts_flagged) AS parts FROM metrics WHERE DATE(date) BETWEEN '2025-06-01' AND '2025-06-30';"
      }
      """
    Then the API answers 201 Created
    When I read the definition of the metric "Parts"
    Then the answer has:
      | field       | value                 |
      | title       | Parts flagged in June |
      | is_editable | false                 |
      | version     | 1                     |
    And the answer's "parameterised_sql" reads:
      """sql
      -- Parts flagged in June
      SELECT SUM(parts_flagged) AS parts FROM metrics WHERE DATE(date) BETWEEN @start_date AND @end_date
      """

  Scenario: A record's date with an offset is stored in UTC
    Given a metric titled "Offsets" from the SQL "SELECT date, parts_flagged FROM metrics WHERE parts_flagged = 4242"
    When I post a record to the metric "Offsets":
      """json
      { "parts_flagged": 4242, "date": "2025-06-03T02:00:00+02:00" }
      """
    And I read the metric "Offsets"
    Then the records are:
      | date                 | parts_flagged |
      | 2025-06-03T00:00:00Z | 4242          |

  Scenario: A title that another metric has, in any case, is a conflict
    Given a metric titled "Daily savings" from the prompt "cost avoided per day"
    When I create a metric with:
      """json
      { "title": "DAILY Savings", "is_editable": true, "layouts": [], "query": "SELECT 1 AS one" }
      """
    Then the API answers 409 Conflict
    And the answer is the problem "Conflict"
    And the problem detail is "Another metric is already titled "DAILY Savings"; choose another title."

  Scenario: A derived title that is taken gets a number instead
    Given a metric titled "Total parts flagged this year" from the prompt "Total parts flagged this year"
    When I create the metric "Second" with:
      """json
      { "is_editable": true, "layouts": [], "query_generation_prompt": "total parts flagged  this year" }
      """
    Then the API answers 201 Created
    When I read the definition of the metric "Second"
    Then the answer has:
      | field | value                             |
      | title | Total parts flagged this year (2) |

  Scenario Outline: A metric with <problem> is refused, naming the field
    When I create a metric with:
      """json
      <body>
      """
    Then the API answers 400 Bad Request
    And the problem lists the errors:
      | field   | message   |
      | <field> | <message> |

    Examples:
      | problem                | body                                                                                                                   | field                   | message                                                                               |
      | an unknown field       | { "is_editable": true, "layouts": [], "query": "SELECT 1", "colour": "red" }                                           | colour                  | 'colour' is not a field this request accepts.                                         |
      | is_editable as text    | { "is_editable": "yes", "layouts": [], "query": "SELECT 1" }                                                           | is_editable             | must be true or false.                                                                |
      | no is_editable         | { "layouts": [], "query": "SELECT 1" }                                                                                 | is_editable             | is_editable is required (true or false).                                              |
      | neither prompt nor SQL | { "is_editable": true, "layouts": [] }                                                                                 | query_generation_prompt | Send query_generation_prompt (natural language) or query (SQL over the metrics view). |
      | both prompt and SQL    | { "is_editable": true, "layouts": [], "query_generation_prompt": "x", "query": "SELECT 1" }                            | query                   | Send either query_generation_prompt or query, not both.                               |
      | a tile of width 0      | { "is_editable": true, "layouts": [{ "breakpoint": "lg", "x": 0, "y": 0, "w": 0, "h": 1 }], "query": "SELECT 1" }      | layouts[0].w            | w must be between 1 and 1000.                                                         |
      | a tile beyond the grid | { "is_editable": true, "layouts": [{ "breakpoint": "lg", "x": 0, "y": 123456, "w": 1, "h": 1 }], "query": "SELECT 1" } | layouts[0].y            | y must be between 0 and 10000, or 9999999 for "bottom".                               |

  Scenario Outline: A record with <problem> is refused, naming the field
    Given a metric titled "Records with <problem>" from the prompt "parts flagged"
    When I post a record to the metric "Records with <problem>":
      """json
      <body>
      """
    Then the API answers 400 Bad Request
    And the problem lists the errors:
      | field   | message   |
      | <field> | <message> |

    Examples:
      | problem                 | body                                       | field         | message                                                                                                         |
      | no measure              | { }                                        | measures      | A record needs at least one measure: obsolescence, obsolescence_val, parts_flagged, alert_type, alert_category. |
      | a count written as text | { "parts_flagged": "three" }               | parts_flagged | must be a whole number from -2147483648 to 2147483647.                                                          |
      | a count too large       | { "parts_flagged": 99999999999999 }        | parts_flagged | must be a whole number from -2147483648 to 2147483647.                                                          |
      | a date in words         | { "parts_flagged": 1, "date": "tomorrow" } | date          | date must be an ISO 8601 date such as 2025-06-03T00:00:00 (UTC unless an offset is given).                      |
      | an unknown field        | { "parts_flagged": 1, "colour": "red" }    | colour        | 'colour' is not a field this request accepts.                                                                   |

  Scenario: A body over 1 MiB is refused
    When I create a metric with a body of 2 MiB
    Then the API answers 413 Payload Too Large
    And the answer is the problem "Request body too large"

  Scenario: A record for a metric that does not exist is a 404
    When I send POST "/metrics/00000000-0000-4000-8000-000000000002/metric-records" with the body:
      """json
      { "parts_flagged": 1 }
      """
    Then the API answers 404 Not Found
    And the answer is the problem "Metric not found"
