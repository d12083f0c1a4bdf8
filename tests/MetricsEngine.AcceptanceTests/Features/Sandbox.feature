Feature: Running stored SQL safely
  Stored SQL is untrusted: it comes from files, API callers and a generator. It is checked
  when it is stored (one statement, a SELECT, nothing outside the metrics view, it must plan)
  and refused by the allowlist check with 422 and a reason the author can act on. At run time it is
  stopped when slow (504) and cut at the row cap ("truncated": true).

  Background:
    Given the API stops a query after 1 second and returns at most 10 rows

  Scenario Outline: SQL that <does> is refused when it is stored, with the reason
    When I create a metric from the SQL "<sql>"
    Then the API answers 422 Unprocessable Entity
    And the answer is the problem "Query rejected"
    And the problem detail is "<reason>"

    Examples:
      | does                          | sql                                                                             | reason                                                                                                                                                      |
      | deletes                       | DELETE FROM metrics                                                             | A metric's query must be a SELECT (or a WITH of SELECTs); this one starts with 'DELETE'.                                                                    |
      | writes inside a WITH          | WITH gone AS (DELETE FROM metric_records RETURNING *) SELECT count(*) FROM gone | Writes are not allowed: a metric's query may only read, but this one contains DELETE.                                                                       |
      | holds two statements          | SELECT 1; DROP TABLE queries                                                    | Only one statement is allowed: remove everything after the first ';'.                                                                                       |
      | reads the engine's own tables | SELECT * FROM public.metric_records                                             | Only the metrics view can be read: public.metric_records                                                                                                    |
      | reads the password catalog    | SELECT rolpassword FROM pg_authid                                               | Only the metrics view can be read: pg_catalog.pg_authid                                                                                                     |
      | turns writes back on          | SELECT set_config('transaction_read_only', 'off', true)                         | Function not allowed: set_config(text,text,boolean)                                                                                                         |
      | reads server files            | SELECT pg_read_file('/etc/passwd')                                              | Function not allowed: pg_read_file(text)                                                                                                                    |
      | has a syntax error            | SELECT alert_type, FROM metrics                                                 | Syntax error: syntax error at or near "FROM"                                                                                                                |
      | names an unknown column       | SELECT colour FROM metrics                                                      | Unknown column: column "colour" does not exist. The metrics view has id, date, obsolescence, obsolescence_val, parts_flagged, alert_type and alert_category |

  Scenario: A query that only reads the metrics view is accepted, however elaborate
    When I create the metric "Running total" with:
      """json
      {
        "is_editable": true,
        "layouts": [],
        "query": "WITH daily AS (SELECT DATE(date) AS day, count(*) AS n FROM metrics WHERE parts_flagged = 777 GROUP BY 1) SELECT day, n, sum(n) OVER (ORDER BY day) AS running FROM daily ORDER BY day"
      }
      """
    Then the API answers 201 Created
    Given the metric "Running total" has the records:
      | date       | parts_flagged |
      | 2025-06-01 | 777           |
      | 2025-06-01 | 777           |
      | 2025-06-02 | 777           |
    When I read the metric "Running total"
    Then the records are:
      | day        | n | running |
      | 2025-06-01 | 2 | 2       |
      | 2025-06-02 | 1 | 3       |

  Scenario: A query that runs past the timeout is stopped with 504
    Given a metric titled "Slow tile" from the SQL "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 100000000) SELECT count(*) AS n FROM t"
    When I read the metric "Slow tile"
    Then the API answers 504 Gateway Timeout
    And the answer is the problem "Query timed out"
    And the problem detail is "The metric's query did not finish within 1 seconds."

  Scenario: A result larger than the row cap is cut, and says so
    Given a metric titled "Many rows" from the SQL "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 50) SELECT n FROM t ORDER BY n"
    When I read the metric "Many rows"
    Then the API answers 200 OK
    And there are 10 records
    And the answer has:
      | field        | value |
      | truncated    | true  |
      | records[0].n | 1     |
      | records[9].n | 10    |

  Scenario: An error that only shows when the query runs is a 422 with the reason
    Given a metric titled "Impossible" from the SQL "SELECT sum(parts_flagged) / 0 AS impossible FROM metrics"
    When I read the metric "Impossible"
    Then the API answers 422 Unprocessable Entity
    And the answer is the problem "Query rejected"
    And the problem detail is "Invalid data in the query: division by zero"
