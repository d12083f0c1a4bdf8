Feature: Tokens and permissions
  Every /metrics and /imports call needs a Cognito access token from the configured user pool,
  signed RS256 by a key the pool publishes, issued to an allowed app client. Anything else is
  401 with a Bearer challenge. A valid token then needs a permission, or the answer is 403:
  read for GET under /metrics, write for POST, PUT and DELETE, admin for /imports. Scopes or
  Cognito groups grant them; write implies read, admin implies both.

  Background:
    Given the queries file:
      """csv
      id,query
      q_open,"-- Open tile
      SELECT 1 AS one"
      """
    And the metrics file:
      """json
      { "items": [ { "id": "77777777-7777-4777-8777-777777777777", "queryId": "q_open", "isEditable": true } ] }
      """
    And the files have been imported

  Scenario: A call without a token is asked for one
    Given I call the API without a token
    When I read the metric "Open tile"
    Then the API answers 401 Unauthorized
    And the answer has the header WWW-Authenticate: Bearer
    And the answer is the problem "Unauthorized"
    And the problem detail is "A valid Cognito access token is required: send 'Authorization: Bearer <token>'."

  Scenario Outline: A token that is <shape> is refused
    Given I call the API with a token that is <shape>
    When I read the metric "Open tile"
    Then the API answers 401 Unauthorized
    And the answer challenges the caller for a Bearer token
    And the answer is the problem "Unauthorized"

    Examples:
      | shape                                         |
      | expired                                       |
      | not valid yet                                 |
      | without an expiry                             |
      | issued by another user pool                   |
      | issued to another app client                  |
      | an ID token instead of an access token        |
      | unsigned (alg none)                           |
      | signed with HS256 using the public key        |
      | tampered with after signing                   |
      | signed by a key the pool never published      |
      | signed by another key under the pool's key id |
      | not a JWT at all                              |

  Scenario Outline: Reading needs the read permission: a token with the scopes [<scopes>]
    Given I call the API with a token granting "<scopes>"
    When I read the metric "Open tile"
    Then the API answers <answer>

    Examples:
      | scopes                  | answer        |
      | api/backend_access      | 200 OK        |
      | api/metrics.read        | 200 OK        |
      | api/metrics.write       | 200 OK        |
      | api/metrics.admin       | 200 OK        |
      | openid api/metrics.read | 200 OK        |
      | openid profile          | 403 Forbidden |
      | api/backend_access_x    | 403 Forbidden |
      | xapi/metrics.read       | 403 Forbidden |
      |                         | 403 Forbidden |

  Scenario Outline: Reading needs the read permission: a user in the group <group>
    Given I call the API as the user "alice" in the group "<group>"
    When I read the metric "Open tile"
    Then the API answers <answer>

    Examples:
      | group               | answer        |
      | metrics-readers     | 200 OK        |
      | metrics-writers     | 200 OK        |
      | metrics-admins      | 200 OK        |
      | metrics-readers-old | 403 Forbidden |
      | everyone            | 403 Forbidden |

  Scenario: A token that may only read cannot create a metric
    Given I call the API with a token granting "api/metrics.read"
    When I create a metric with:
      """json
      { "is_editable": true, "layouts": [], "query": "SELECT 1 AS one" }
      """
    Then the API answers 403 Forbidden
    And the answer is the problem "Forbidden"
    And the problem detail is "The token is valid but does not grant the 'write' permission this endpoint needs."
    And the answer does not challenge the caller

  Scenario Outline: A reader cannot <change> a metric
    Given I call the API as the user "rita" in the group "metrics-readers"
    When I send <method> "<path>" with the body:
      """json
      <body>
      """
    Then the API answers 403 Forbidden
    And the problem detail is "The token is valid but does not grant the 'write' permission this endpoint needs."

    Examples:
      | change           | method | path                                                             | body                                   |
      | update           | PUT    | /metrics/77777777-7777-4777-8777-777777777777                    | { "is_editable": true, "layouts": [] } |
      | delete           | DELETE | /metrics/77777777-7777-4777-8777-777777777777                    | {}                                     |
      | restore          | POST   | /metrics/77777777-7777-4777-8777-777777777777/versions/1/restore | {}                                     |
      | post a record to | POST   | /metrics/77777777-7777-4777-8777-777777777777/metric-records     | { "parts_flagged": 1 }                 |

  Scenario Outline: The import report needs the admin permission: a token with the scopes [<scopes>]
    Given I call the API with a token granting "<scopes>"
    When I read the latest import report
    Then the API answers <answer>

    Examples:
      | scopes                    | answer        |
      | api/metrics.admin         | 200 OK        |
      | api/backend_access        | 403 Forbidden |
      | api/metrics.write         | 403 Forbidden |
      | api/metrics.read          | 403 Forbidden |
      | api/metrics.administrator | 403 Forbidden |

  Scenario: A user in the admins group may read the import report, a reader may not
    Given I call the API as the user "root" in the group "metrics-admins"
    When I read the latest import report
    Then the API answers 200 OK
    Given I call the API as the user "bob" in the group "metrics-readers"
    When I read the latest import report
    Then the API answers 403 Forbidden
    And the problem detail is "The token is valid but does not grant the 'admin' permission this endpoint needs."
