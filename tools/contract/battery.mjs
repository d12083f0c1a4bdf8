// The battery tools/contract/check.sh fires through Prism's validating proxy: a request for every
// operation and every status the served document lists. It fails when an answer is not the status
// the case expects (Prism answers 422 or 500 itself when a request or an answer breaks the
// document), and when an (operation, status) of the document was never answered: a new status
// needs a case here. Only 500 is exempt (the API answers it only for a bug). Every GET case is
// sent again as HEAD (an operation of its own in the document), expecting the same status; to the
// API directly, since Prism's proxy reads an answer labelled application/json as JSON and fails
// (500) on the empty body a HEAD answer has; their status and headers are checked against the
// document by the contract tests in dotnet test. Prism answers a body
// in another media type itself (422) without asking the API, so the 415 cases go to the API
// directly; their bodies are checked against the document by the contract tests in dotnet test.
//
// Environment: DOCUMENT (the served document), MAIN and LIMITED (the two proxies), TOKEN_ADMIN,
// TOKEN_READER, TOKEN_NONE (no permission), TOKENS_LIMITED (JSON array, one caller each),
// TOKEN_EMPTY (for the instance without imports), STOP_DATABASE (a shell command), MAIN_API (the
// main instance itself, for the 415 cases), BODY_LIMIT (the main instance's Api__MaxRequestBodyBytes,
// set low so a body valid against the document can still be too large), LIMITED_API (the limited
// instance itself, for HEAD cases).
import { readFileSync } from "node:fs";
import { execSync } from "node:child_process";

const env = process.env;
const documentJson = JSON.parse(readFileSync(env.DOCUMENT, "utf8"));
const exempt = { 500: "only a bug answers 500" };
const alertsByType = "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11"; // imported, not editable
const nowhere = "0e6f7a8b-1c2d-4e3f-8a9b-7c6d5e4f3a99";
const seen = new Map();
const failures = [];
let sent = 0;

const operations = Object.entries(documentJson.paths).flatMap(([template, item]) =>
  Object.entries(item).filter(([method]) => method !== "parameters").map(([method, operation]) => ({
    template,
    method: method.toUpperCase(),
    id: operation.operationId,
    statuses: Object.keys(operation.responses),
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    literals: template.split("/").filter((s) => !s.startsWith("{")).length,
  }))).sort((a, b) => b.literals - a.literals);

function operationOf(method, path) {
  const bare = path.split("?")[0];
  return operations.find((o) => o.method === method && o.pattern.test(bare));
}

const bearer = (token) => ({ Authorization: `Bearer ${token}` });
const admin = bearer(env.TOKEN_ADMIN);

/**
 * Sends one request through a proxy and checks it got the status the case expects; a GET that
 * got it is followed by the same request as HEAD, which must get it too.
 */
async function expect(status, method, path, options = {}) {
  const result = await send(status, method, path, options);
  if (method === "GET" && answersHead(path) && !result.missed) {
    // The rate-limited instance allows one request a second per caller: let the bucket refill.
    if (options.base === env.LIMITED && status !== 429) await new Promise((resolve) => setTimeout(resolve, 1100));
    await send(status, "HEAD", path, { ...options, base: direct(options.base) });
  }
  return result;
}

/** HEAD is answered wherever GET is, except on event streams (the document lists no HEAD there). */
const answersHead = (path) => !path.split("?")[0].endsWith("/events");

/** The API behind a proxy, for what Prism cannot relay (HEAD answers). */
const direct = (base = env.MAIN) => (base === env.LIMITED ? env.LIMITED_API : env.MAIN_API);

async function send(status, method, path, { base = env.MAIN, headers = admin, json, raw, contentType, quiet = false } = {}) {
  const init = { method, headers: { ...headers } };
  if (json !== undefined || raw !== undefined) {
    init.body = raw ?? JSON.stringify(json);
    init.headers["Content-Type"] = contentType ?? "application/json";
  }
  sent++;
  let response = await fetch(base + path, init);
  let text = await response.text();
  // After a 413 the API closes the connection without reading the body; Prism may already have
  // reused it for the next request. That is transport, not contract: send it again once.
  if (response.status === 500 && /"type":"FetchError".*socket hang up/.test(text)) {
    response = await fetch(base + path, init);
    text = await response.text();
  }
  const operation = operationOf(method, path);
  const label = `${method} ${path.length > 90 ? path.slice(0, 90) + "…" : path}`;
  // Prism answers a violation itself (422 for a request, 500 for an answer) and lists even the
  // violations it only warns about in sl-violations.
  const prismError = /stoplight\.io\/prism\/errors/.test(text) || response.headers.has("sl-violations");
  if ((response.status !== status || prismError) && quiet) {
    return { response, text, missed: true };
  }
  if (response.status !== status || prismError) {
    failures.push(`${label}: expected ${status}, got ${response.status}${prismError ? ` from Prism: ${response.headers.get("sl-violations") ?? ""}` : ""}: ${text.slice(0, 600)}`);
  } else if (operation) {
    if (!seen.has(operation.id)) seen.set(operation.id, new Set());
    seen.get(operation.id).add(String(status));
  }
  return { response, text, body: text && /json/.test(response.headers.get("content-type") ?? "") ? JSON.parse(text) : undefined };
}

const layouts = [{ breakpoint: "lg", x: 0, y: 20, w: 5, h: 4, static: false }, { breakpoint: "md", x: 0, y: 10, w: 1, h: 4, static: null }];
const duplicateBreakpoints = [{ breakpoint: "lg", x: 0, y: 0, w: 1, h: 1 }, { breakpoint: "lg", x: 1, y: 0, w: 1, h: 1 }];
// Valid against the document and over the instance's body limit: the API's 413, not Prism's 422.
// (Prism forwards JSON re-serialised, so padding with spaces would not do.)
const bodyLimit = Number(env.BODY_LIMIT);
const longSql = `SELECT 1 AS one -- ${"x".repeat(bodyLimit)}`;
const longRecord = { alert_type: "t".repeat(200), alert_category: "c".repeat(200), obsolescence: 1.5, obsolescence_val: 2.5, parts_flagged: 3, date: "2025-06-03T08:15:00.1234567+02:00" };
if (JSON.stringify(longRecord).length <= bodyLimit) throw new Error(`BODY_LIMIT ${bodyLimit} is too high for a record to exceed it`);
const unsupported = (status, method, path, body) => expect(status, method, path, { base: env.MAIN_API, raw: JSON.stringify(body), contentType: "text/plain" });
const unique = (title) => `${title} ${Date.now()}`;

// Health
await expect(200, "GET", "/health");
await expect(200, "GET", "/health/live");
await expect(200, "GET", "/health/ready");

// List
await expect(200, "GET", "/metrics?page=1&page_size=50");
await expect(400, "GET", "/metrics?pagesize=50");
await expect(401, "GET", "/metrics", { headers: bearer("not-a-token") });
await expect(403, "GET", "/metrics", { headers: bearer(env.TOKEN_NONE) });

// Create
const created = await expect(201, "POST", "/metrics", {
  json: { is_editable: true, layouts, query_generation_prompt: "Metrics needing approval from March 2025 to April 2025" },
});
const id = created.body?.id;
const sqlTitle = unique("Battery: alerts by type");
const fromSql = await expect(201, "POST", "/metrics", {
  json: { title: sqlTitle, is_editable: true, layouts: [], query: "SELECT alert_type, COUNT(*) AS total FROM metrics GROUP BY alert_type" },
});
const second = fromSql.body?.id;
const failing = (await expect(201, "POST", "/metrics", {
  json: { title: unique("Battery: divides by zero"), is_editable: true, layouts: [], query: "SELECT sum(parts_flagged) / 0 AS impossible FROM metrics" },
})).body?.id;
const slow = (await expect(201, "POST", "/metrics", {
  // Legal under the allowlist (which refuses generate_series and pg_sleep), and far slower than Query__TimeoutSeconds=1.
  json: { title: unique("Battery: slow"), is_editable: true, layouts: [],
    query: "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 2000000000) SELECT count(*) AS n FROM t" },
})).body?.id;
await expect(400, "POST", "/metrics", { json: { is_editable: true, layouts: duplicateBreakpoints, query_generation_prompt: "alerts" } });
await expect(401, "POST", "/metrics", { headers: bearer("not-a-token"), json: { is_editable: true, layouts: [], query: "SELECT 1 AS one" } });
await expect(403, "POST", "/metrics", { headers: bearer(env.TOKEN_READER), json: { is_editable: true, layouts: [], query: "SELECT 1 AS one" } });
await expect(409, "POST", "/metrics", { json: { title: sqlTitle.toUpperCase(), is_editable: true, layouts: [], query: "SELECT 1 AS one" } });
await expect(413, "POST", "/metrics", { json: { is_editable: true, layouts: [], query: longSql } });
// An Idempotency-Key used again with another body.
const metricKey = `battery-metric-${Date.now()}`;
const keyed = { is_editable: true, layouts: [], query: "SELECT count(*) AS n FROM metrics" };
await expect(201, "POST", "/metrics", { headers: { ...admin, "Idempotency-Key": metricKey }, json: { ...keyed, title: unique("Battery: keyed") } });
await expect(422, "POST", "/metrics", { headers: { ...admin, "Idempotency-Key": metricKey }, json: { ...keyed, title: unique("Battery: keyed again") } });
await unsupported(415, "POST", "/metrics", { is_editable: true, layouts: [], query: "SELECT 1 AS one" });
await expect(422, "POST", "/metrics", { json: { is_editable: true, layouts: [], query: "SELECT colour FROM metrics" } });
await expect(502, "POST", "/metrics", { json: { is_editable: true, layouts: [], query_generation_prompt: "[fail] alerts" } });
await expect(504, "POST", "/metrics", { json: { is_editable: true, layouts: [], query_generation_prompt: "[slow] alerts" } });

// Read one
const read = await expect(200, "GET", `/metrics/${alertsByType}?start_date=2025-06-01&end_date=2025-06-04`);
await expect(304, "GET", `/metrics/${alertsByType}?start_date=2025-06-01&end_date=2025-06-04`, {
  headers: { ...admin, "If-None-Match": read.response.headers.get("ETag") ?? "\"none\"" },
});
await expect(400, "GET", `/metrics/${alertsByType}?start_date=2025-06-10&end_date=2025-06-04`);
await expect(401, "GET", `/metrics/${alertsByType}`, { headers: bearer("not-a-token") });
await expect(403, "GET", `/metrics/${alertsByType}`, { headers: bearer(env.TOKEN_NONE) });
await expect(404, "GET", `/metrics/${nowhere}`);
await expect(422, "GET", `/metrics/${failing}`);
await expect(504, "GET", `/metrics/${slow}`);

// Definition
const definition = await expect(200, "GET", `/metrics/${id}/definition`);
const etag = definition.response.headers.get("ETag") ?? "\"none\"";
await expect(304, "GET", `/metrics/${id}/definition`, { headers: { ...admin, "If-None-Match": etag } });
await expect(400, "GET", `/metrics/${id}/definition?version=1`);
await expect(401, "GET", `/metrics/${id}/definition`, { headers: bearer("not-a-token") });
await expect(403, "GET", `/metrics/${id}/definition`, { headers: bearer(env.TOKEN_NONE) });
await expect(404, "GET", `/metrics/${nowhere}/definition`);

// Update
const change = { title: unique("Battery: approvals"), is_editable: true, layouts: [{ breakpoint: "lg", x: 5, y: 20, w: 5, h: 4, static: false }] };
await expect(200, "PUT", `/metrics/${id}`, { headers: { ...admin, "If-Match": etag }, json: change });
await expect(400, "PUT", `/metrics/${id}`, { json: { ...change, layouts: duplicateBreakpoints } });
await expect(401, "PUT", `/metrics/${id}`, { headers: bearer("not-a-token"), json: change });
await expect(403, "PUT", `/metrics/${id}`, { headers: bearer(env.TOKEN_READER), json: change });
await expect(404, "PUT", `/metrics/${nowhere}`, { json: change });
await expect(409, "PUT", `/metrics/${alertsByType}`, { json: { is_editable: false, layouts: [] } });
await expect(412, "PUT", `/metrics/${id}`, { headers: { ...admin, "If-Match": "\"999\"" }, json: change });
await expect(413, "PUT", `/metrics/${id}`, { json: { ...change, query: longSql } });
await unsupported(415, "PUT", `/metrics/${id}`, change);
await expect(422, "PUT", `/metrics/${id}`, { json: { ...change, query: "SELECT colour FROM metrics" } });
await expect(502, "PUT", `/metrics/${id}`, { json: { ...change, query_generation_prompt: "[fail] alerts" } });
await expect(504, "PUT", `/metrics/${id}`, { json: { ...change, query_generation_prompt: "[slow] alerts" } });

// Records
const posted = await expect(201, "POST", `/metrics/${id}/metric-records`, { json: { date: "2025-06-03T08:15:00Z", parts_flagged: 3 } });
const recordId = posted.body?.id ?? nowhere;
// Idempotency-Key: a retry with the same key and body gets the first answer; another body is 422.
const recordKey = `battery-record-${Date.now()}`;
const first = await expect(201, "POST", `/metrics/${id}/metric-records`, { headers: { ...admin, "Idempotency-Key": recordKey }, json: { parts_flagged: 5 } });
const retried = await expect(201, "POST", `/metrics/${id}/metric-records`, { headers: { ...admin, "Idempotency-Key": recordKey }, json: { parts_flagged: 5 } });
if (first.body?.id === undefined || first.body.id !== retried.body?.id) {
  failures.push(`POST /metrics/${id}/metric-records with Idempotency-Key ${recordKey}: the retry answered ${retried.body?.id}, not ${first.body?.id}`);
}
await expect(422, "POST", `/metrics/${id}/metric-records`, { headers: { ...admin, "Idempotency-Key": recordKey }, json: { parts_flagged: 6 } });
await expect(400, "POST", `/metrics/${id}/metric-records`, { json: { date: "2025-13-45", parts_flagged: 3 } });
await expect(401, "POST", `/metrics/${id}/metric-records`, { headers: bearer("not-a-token"), json: { parts_flagged: 3 } });
await expect(403, "POST", `/metrics/${id}/metric-records`, { headers: bearer(env.TOKEN_READER), json: { parts_flagged: 3 } });
await expect(404, "POST", `/metrics/${nowhere}/metric-records`, { json: { parts_flagged: 3 } });
await expect(413, "POST", `/metrics/${id}/metric-records`, { json: longRecord });
await unsupported(415, "POST", `/metrics/${id}/metric-records`, { parts_flagged: 3 });
// Where the 201's Location points. Prism refuses a malformed id in the path itself (422), so the
// API's 400 is reached with a query parameter the operation does not take.
await expect(200, "GET", posted.response.headers.get("Location") ?? `/metrics/${id}/metric-records/${recordId}`);
await expect(400, "GET", `/metrics/${id}/metric-records/${recordId}?expand=true`);
await expect(401, "GET", `/metrics/${id}/metric-records/${recordId}`, { headers: bearer("not-a-token") });
await expect(403, "GET", `/metrics/${id}/metric-records/${recordId}`, { headers: bearer(env.TOKEN_NONE) });
await expect(404, "GET", `/metrics/${id}/metric-records/${nowhere}`);
await expect(404, "GET", `/metrics/${alertsByType}/metric-records/${recordId}`);

// History, delete, restore
await expect(200, "GET", `/metrics/${id}/versions`);
await expect(400, "GET", `/metrics/${id}/versions?page=1`);
await expect(401, "GET", `/metrics/${id}/versions`, { headers: bearer("not-a-token") });
await expect(403, "GET", `/metrics/${id}/versions`, { headers: bearer(env.TOKEN_NONE) });
await expect(404, "GET", `/metrics/${nowhere}/versions`);
await expect(204, "DELETE", `/metrics/${second}`);
await expect(400, "DELETE", `/metrics/${id}?force=true`);
await expect(401, "DELETE", `/metrics/${id}`, { headers: bearer("not-a-token") });
await expect(403, "DELETE", `/metrics/${id}`, { headers: bearer(env.TOKEN_READER) });
await expect(404, "DELETE", `/metrics/${second}`);
await expect(409, "DELETE", `/metrics/${alertsByType}`);
await expect(412, "DELETE", `/metrics/${id}`, { headers: { ...admin, "If-Match": "\"999\"" } });
await expect(200, "POST", `/metrics/${second}/versions/1/restore`);
await expect(400, "POST", `/metrics/${second}/versions/1/restore?dry_run=true`);
await expect(401, "POST", `/metrics/${second}/versions/1/restore`, { headers: bearer("not-a-token") });
await expect(403, "POST", `/metrics/${second}/versions/1/restore`, { headers: bearer(env.TOKEN_READER) });
await expect(404, "POST", `/metrics/${second}/versions/999/restore`);
await expect(409, "POST", `/metrics/${alertsByType}/versions/1/restore`);

// Live streams. Prism passes an answer on once it has all of it, so each 200 is a stream that
// ends: its only metric is deleted (straight at the API) while it is open.
const streamMetric = async (title) =>
  (await expect(201, "POST", "/metrics", { json: { title: unique(title), is_editable: true, layouts: [], query: "SELECT 1 AS one" } })).body?.id ?? nowhere;
const deleteSoon = (metricId) => new Promise((resolve) => setTimeout(resolve, 1500))
  .then(() => fetch(`${env.MAIN_API}/metrics/${metricId}`, { method: "DELETE", headers: admin }));
const streamed = await streamMetric("Battery: streamed");
await Promise.all([expect(200, "GET", `/metrics/${streamed}/events`), deleteSoon(streamed)]);
const streamedTogether = await streamMetric("Battery: streamed together");
await Promise.all([expect(200, "GET", `/metrics/events?id=${streamedTogether}`), deleteSoon(streamedTogether)]);
await expect(400, "GET", `/metrics/${alertsByType}/events?page=1`);
await expect(400, "GET", `/metrics/events?id=${alertsByType}&page=1`);
await expect(401, "GET", `/metrics/${alertsByType}/events`, { headers: bearer("not-a-token") });
await expect(401, "GET", `/metrics/events?id=${alertsByType}`, { headers: bearer("not-a-token") });
await expect(403, "GET", `/metrics/${alertsByType}/events`, { headers: bearer(env.TOKEN_NONE) });
await expect(403, "GET", `/metrics/events?id=${alertsByType}`, { headers: bearer(env.TOKEN_NONE) });
await expect(404, "GET", `/metrics/${nowhere}/events`);
await expect(404, "GET", `/metrics/events?id=${alertsByType}&id=${nowhere}`);

// Imports
await expect(200, "GET", "/imports/latest");
await expect(400, "GET", "/imports/latest?kind=queries");
await expect(401, "GET", "/imports/latest", { headers: bearer("not-a-token") });
await expect(403, "GET", "/imports/latest", { headers: bearer(env.TOKEN_READER) });
await expect(404, "GET", "/imports/latest", { base: env.LIMITED, headers: bearer(env.TOKEN_EMPTY) });

// Over budget: on the instance with a budget of one request a second, each operation from a
// caller of its own, until it is refused.
const limitedTokens = JSON.parse(env.TOKENS_LIMITED);
const limitedCases = [
  ["GET", "/metrics"], ["POST", "/metrics"], ["GET", `/metrics/${nowhere}`], ["GET", `/metrics/${nowhere}/definition`],
  ["PUT", `/metrics/${nowhere}`], ["DELETE", `/metrics/${nowhere}`], ["GET", `/metrics/${nowhere}/versions`],
  ["POST", `/metrics/${nowhere}/versions/1/restore`], ["POST", `/metrics/${nowhere}/metric-records`],
  ["GET", `/metrics/${nowhere}/metric-records/${nowhere}`], ["GET", "/imports/latest"],
  ["GET", `/metrics/${nowhere}/events`], ["GET", `/metrics/events?id=${nowhere}`],
];
if (limitedTokens.length < limitedCases.length) {
  throw new Error(`TOKENS_LIMITED has ${limitedTokens.length} callers for ${limitedCases.length} cases: check.sh must make one per case`);
}
for (const [index, [method, path]] of limitedCases.entries()) {
  const headers = bearer(limitedTokens[index]);
  const json = method === "POST" && path.endsWith("records") ? { parts_flagged: 1 }
    : method === "POST" && path === "/metrics" ? { is_editable: true, layouts: [], query: "SELECT 1 AS one" }
    : method === "PUT" ? change : undefined;
  // The bucket refills once a second, so a slow answer can let the next request through: send until
  // refused (a GET, then its HEAD, from the same caller).
  for (const verb of method === "GET" && answersHead(path) ? ["GET", "HEAD"] : [method]) {
    let refused = false;
    for (let attempt = 0; attempt < 8 && !refused; attempt++) {
      const base = verb === "HEAD" ? env.LIMITED_API : env.LIMITED;
      refused = !(await send(429, verb, path, { base, headers, json, quiet: attempt < 7 })).missed;
    }
  }
}

// The database goes away: every operation that uses it, and the probes, answer 503.
execSync(env.STOP_DATABASE, { stdio: "inherit" });
await expect(503, "GET", "/health");
await expect(503, "GET", "/health/ready");
await expect(503, "GET", "/metrics");
await expect(503, "POST", "/metrics", { json: { is_editable: true, layouts: [], query: "SELECT 1 AS one" } });
await expect(503, "GET", `/metrics/${nowhere}`);
await expect(503, "GET", `/metrics/${nowhere}/definition`);
await expect(503, "PUT", `/metrics/${nowhere}`, { json: change });
await expect(503, "DELETE", `/metrics/${nowhere}`);
await expect(503, "GET", `/metrics/${nowhere}/versions`);
await expect(503, "POST", `/metrics/${nowhere}/versions/1/restore`);
await expect(503, "POST", `/metrics/${nowhere}/metric-records`, { json: { parts_flagged: 1 } });
await expect(503, "GET", `/metrics/${nowhere}/metric-records/${nowhere}`);
await expect(503, "GET", `/metrics/${nowhere}/events`);
await expect(503, "GET", `/metrics/events?id=${nowhere}`);
await expect(503, "GET", "/imports/latest");

// Coverage: every status of every operation was answered as expected, through the proxy.
for (const operation of operations) {
  for (const status of operation.statuses) {
    if (!seen.get(operation.id)?.has(status) && !exempt[status]) {
      failures.push(`${operation.method} ${operation.template} (${operation.id}): no case answered ${status}; add one to tools/contract/battery.mjs`);
    }
  }
}

const covered = [...seen.values()].reduce((n, s) => n + s.size, 0);
console.log(`Prism battery: ${sent} requests, ${covered} (operation, status) pairs answered as documented across ${operations.length} operations; 500 exempt (${exempt[500]}).`);
if (failures.length > 0) {
  console.error(`Prism battery: ${failures.length} failure(s):\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
