Feature: Reading a metric
  GET /metrics/{id} runs the metric's query and returns its rows with the tile's layout. The
  date literals in the query are the defaults of its parameters (start_date, end_date,
  day_range, as_of), so a call without parameters returns what the stored SQL returns, and a
  call with parameters moves the window.

  Background:
    Given the queries file:
      """csv
      id,query
      q_alerts,"-- Alerts by type
      SELECT alert_type, COUNT(*) AS total_alerts
      FROM metrics
      WHERE id = 'q_alerts' AND DATE(date) BETWEEN '2025-06-01' AND '2025-06-30'
      GROUP BY alert_type
      ORDER BY alert_type;"
      q_cost,"-- Cost avoided, last 30 days
      SELECT DATE(date) AS day, SUM(obsolescence) AS cost_avoided
      FROM metrics
      WHERE id = 'q_cost' AND date >= CURRENT_DATE - INTERVAL '30' DAY
      GROUP BY DATE(date)
      ORDER BY day;"
      q_raw,"-- Raw records
      SELECT date, obsolescence, parts_flagged, alert_type, DATE(date) AS day
      FROM metrics
      WHERE id = 'q_raw'
      ORDER BY date;"
      """
    And the metrics file:
      """json
      {
        "items": [
          { "id": "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11", "queryId": "q_alerts", "isEditable": false },
          { "id": "5b0c1f9e-2d4a-4c7b-9e1f-0a3b6c8d2e41", "query_id": "q_cost", "isEditable": true },
          { "id": "0e6f7a8b-1c2d-4e3f-8a9b-7c6d5e4f3a21", "queryId": "q_raw", "isEditable": true }
        ],
        "layouts": {
          "lg": [
            { "i": "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11", "x": 5, "y": 0, "w": 5, "h": 4, "static": true },
            { "i": "5b0c1f9e-2d4a-4c7b-9e1f-0a3b6c8d2e41", "x": 0, "y": 0, "w": 5, "h": 4, "static": false },
            { "i": "0e6f7a8b-1c2d-4e3f-8a9b-7c6d5e4f3a21", "x": 0, "y": 9999999, "w": 10, "h": 3 }
          ],
          "md": [
            { "i": "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11", "x": 0, "y": 4, "w": 1, "h": 4, "static": null }
          ]
        }
      }
      """
    And the records file has the records:
      | id       | date                | alert_type | obsolescence | parts_flagged |
      | q_alerts | 2025-06-02T08:15:00 | Critical   |              |               |
      | q_alerts | 2025-06-03T10:00:00 | Warning    |              |               |
      | q_alerts | 2025-06-10T00:00:00 | Critical   |              |               |
      | q_alerts | 2025-06-15T00:00:00 | Info       |              |               |
      | q_alerts | 2025-06-20T00:00:00 | Warning    |              |               |
      | q_alerts | 2025-07-02T00:00:00 | Critical   |              |               |
      | q_alerts | 2025-05-28T00:00:00 | Warning    |              |               |
      | q_cost   | 2025-06-01T00:00:00 |            | 120.5        |               |
      | q_cost   | 2025-06-10T00:00:00 |            | 80           |               |
      | q_cost   | 2025-06-22T00:00:00 |            | 99.99        |               |
      | q_cost   | 2025-06-28T00:00:00 |            | 42           |               |
      | q_raw    | 2025-06-03T10:30:00 | Critical   | 12.5         | 3             |
      | q_raw    | 2025-06-04T00:00:00 |            |              | 1             |
    And the files have been imported

  Scenario: Without parameters the query's own window applies
    When I read the metric "Alerts by type"
    Then the API answers 200 OK
    And the answer has:
      | field       | value                                |
      | id          | c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11 |
      | title       | Alerts by type                       |
      | is_editable | false                                |
      | truncated   | false                                |
    And the records are:
      | alert_type | total_alerts |
      | Critical   | 2            |
      | Info       | 1            |
      | Warning    | 2            |
    And the answer's "parameters" is:
      """json
      {
        "start_date": { "applicable": true,  "value": "2025-06-01", "default": "2025-06-01" },
        "end_date":   { "applicable": true,  "value": "2025-06-30", "default": "2025-06-30" },
        "day_range":  { "applicable": false, "value": null, "default": null },
        "as_of":      { "applicable": false, "value": null, "default": null }
      }
      """

  Scenario: start_date and end_date narrow the window
    When I read the metric "Alerts by type" with "start_date=2025-06-01&end_date=2025-06-04"
    Then the API answers 200 OK
    And the records are:
      | alert_type | total_alerts |
      | Critical   | 1            |
      | Warning    | 1            |
    And the answer has:
      | field                       | value      |
      | parameters.start_date.value | 2025-06-01 |
      | parameters.end_date.value   | 2025-06-04 |
      | parameters.end_date.default | 2025-06-30 |

  Scenario: start_date and end_date can also widen the window
    When I read the metric "Alerts by type" with "start_date=2025-05-01&end_date=2025-07-31"
    Then the API answers 200 OK
    And the records are:
      | alert_type | total_alerts |
      | Critical   | 3            |
      | Info       | 1            |
      | Warning    | 3            |

  Scenario: start_date alone keeps the query's end date
    When I read the metric "Alerts by type" with "start_date=2025-06-16"
    Then the API answers 200 OK
    And the records are:
      | alert_type | total_alerts |
      | Warning    | 1            |

  Scenario: end_date alone keeps the query's start date
    When I read the metric "Alerts by type" with "end_date=2025-06-02"
    Then the API answers 200 OK
    And the records are:
      | alert_type | total_alerts |
      | Critical   | 1            |

  Scenario: as_of stands in for today in a rolling window
    When I read the metric "Cost avoided, last 30 days" with "as_of=2025-06-30"
    Then the API answers 200 OK
    And the records are:
      | day        | cost_avoided |
      | 2025-06-01 | 120.5        |
      | 2025-06-10 | 80           |
      | 2025-06-22 | 99.99        |
      | 2025-06-28 | 42           |
    When I read the metric "Cost avoided, last 30 days" with "as_of=2025-07-25"
    Then the records are:
      | day        | cost_avoided |
      | 2025-06-28 | 42           |

  Scenario: Without as_of a rolling window ends today, so last year's records fall outside it
    When I read the metric "Cost avoided, last 30 days"
    Then the API answers 200 OK
    And there are no records
    And as_of is today's date
    And the answer's "parameters.day_range" is:
      """json
      { "applicable": true, "value": 30, "default": 30 }
      """

  Scenario: day_range overrides the query's interval
    When I read the metric "Cost avoided, last 30 days" with "as_of=2025-06-30&day_range=10"
    Then the API answers 200 OK
    And the records are:
      | day        | cost_avoided |
      | 2025-06-22 | 99.99        |
      | 2025-06-28 | 42           |

  Scenario: A parameter the query does not use is ignored and reported as not applicable
    When I read the metric "Alerts by type" with "day_range=5&as_of=2024-01-01"
    Then the API answers 200 OK
    And the records are:
      | alert_type | total_alerts |
      | Critical   | 2            |
      | Info       | 1            |
      | Warning    | 2            |
    And the answer's "parameters.day_range" is:
      """json
      { "applicable": false, "value": 5, "default": null }
      """
    And the answer's "parameters.as_of" is:
      """json
      { "applicable": false, "value": "2024-01-01", "default": null }
      """

  Scenario: Values keep their types: dates as days, timestamps in ISO 8601 UTC, numbers as numbers
    When I read the metric "Raw records"
    Then the API answers 200 OK
    And the answer's "records" is:
      """json
      [
        { "date": "2025-06-03T10:30:00Z", "obsolescence": 12.5, "parts_flagged": 3, "alert_type": "Critical", "day": "2025-06-03" },
        { "date": "2025-06-04T00:00:00Z", "obsolescence": null, "parts_flagged": 1, "alert_type": null, "day": "2025-06-04" }
      ]
      """

  Scenario: The layout comes back per breakpoint, static as it was given
    When I read the metric "Alerts by type"
    Then the answer's "layouts" is:
      """json
      [
        { "breakpoint": "lg", "x": 5, "y": 0, "w": 5, "h": 4, "static": true },
        { "breakpoint": "md", "x": 0, "y": 4, "w": 1, "h": 4, "static": null }
      ]
      """
    When I read the metric "Raw records"
    Then the answer's "layouts" is:
      """json
      [ { "breakpoint": "lg", "x": 0, "y": 9999999, "w": 10, "h": 3, "static": null } ]
      """

  Scenario: A start date after the end date is refused
    When I read the metric "Alerts by type" with "start_date=2025-06-10&end_date=2025-06-04"
    Then the API answers 400 Bad Request
    And the answer is the problem "Invalid request"
    And the problem lists the errors:
      | field      | message                                             |
      | start_date | start_date 2025-06-10 is after end_date 2025-06-04. |

  Scenario: A start date after the query's own end date is refused too
    When I read the metric "Alerts by type" with "start_date=2025-07-15"
    Then the API answers 400 Bad Request
    And the problem detail is "start_date 2025-07-15 is after end_date 2025-06-30."

  Scenario Outline: A malformed parameter (<query>) is refused, naming it
    When I read the metric "Alerts by type" with "<query>"
    Then the API answers 400 Bad Request
    And the problem lists the errors:
      | field   | message   |
      | <field> | <message> |

    Examples:
      | query                                       | field      | message                                                    |
      | start_date=2025-13-01                       | start_date | start_date must be a calendar date in the form YYYY-MM-DD. |
      | end_date=yesterday                          | end_date   | end_date must be a calendar date in the form YYYY-MM-DD.   |
      | as_of=2025-6-1                              | as_of      | as_of must be a calendar date in the form YYYY-MM-DD.      |
      | day_range=-1                                | day_range  | day_range must be a whole number of days from 0 to 36500.  |
      | day_range=36501                             | day_range  | day_range must be a whole number of days from 0 to 36500.  |
      | day_range=1.5                               | day_range  | day_range must be a whole number of days from 0 to 36500.  |
      | start_date=2025-06-01&start_date=2025-06-02 | start_date | 'start_date' is given 2 times; give it once.               |

  Scenario: An unknown query parameter is refused rather than silently ignored
    When I read the metric "Alerts by type" with "startdate=2025-06-01"
    Then the API answers 400 Bad Request
    And the answer is the problem "Invalid request"
    And the problem lists the errors:
      | field     | message                                                                                             |
      | startdate | 'startdate' is not a parameter of this endpoint; it accepts start_date, end_date, day_range, as_of. |

  Scenario: A metric id that is not a UUID is refused
    When I send GET "/metrics/not-a-uuid"
    Then the API answers 400 Bad Request
    And the problem lists the errors:
      | field | message                                                                                             |
      | id    | 'not-a-uuid' is not a metric id: metric ids are UUIDs such as c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11. |

  Scenario: An unknown metric is a 404 problem
    When I send GET "/metrics/00000000-0000-4000-8000-000000000001"
    Then the API answers 404 Not Found
    And the answer is the problem "Metric not found"
    And the problem detail is "Metric '00000000-0000-4000-8000-000000000001' was not found."
