// The README's calls, made through a client generated from the served OpenAPI document
// (openapi-typescript + openapi-fetch). tools/contract/check.sh compiles this with `tsc --noEmit`:
// it must type-check with no cast, every result typed from the document, and the expected
// errors at the end prove that what the API refuses does not compile.
import createClient from "openapi-fetch";
import type { components, paths } from "./api.js";

type Metric = components["schemas"]["Metric"];
type MetricRecord = components["schemas"]["MetricRecord"];

// ./run.sh token
declare const token: string;
// ./run.sh token --scope api/metrics.read
declare const readToken: string;

const api = createClient<paths>({
  baseUrl: "http://localhost:8080",
  headers: { Authorization: `Bearer ${token}` },
});

const alertsByType = "c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11";

export async function readmeExamples(): Promise<void> {
  // GET /metrics/{id}?start_date=2025-06-01&end_date=2025-06-04
  const metric = await api.GET("/metrics/{id}", {
    params: { path: { id: alertsByType }, query: { start_date: "2025-06-01", end_date: "2025-06-04" } },
  });
  if (metric.data) {
    const tile: Metric = metric.data;
    const title: string = tile.title;
    const start: string | null = tile.parameters.start_date.value;
    const days: number | null = tile.parameters.day_range.default;
    const applicable: boolean = tile.parameters.as_of.applicable;
    const cells: (string | number | boolean | null | undefined)[] = tile.records.map((row) => row["total_alerts"]);
    const x: number | undefined = tile.layouts[0]?.x;
    const pinned: boolean | null = tile.layouts[0]?.static ?? null;
    const etag: string | null = metric.response.headers.get("ETag");
    console.log(title, start, days, applicable, cells, x, pinned, etag, tile.truncated);
  } else {
    // Every error is a problem document with a trace id; 400s name the fields at fault.
    const traceId: string = metric.error.traceId;
    const status: number = metric.error.status;
    console.log(traceId, status);
  }

  // GET /health, /health/live, /health/ready (anonymous)
  const live = await api.GET("/health/live");
  const ready = await api.GET("/health/ready");
  const checks: string[] = Object.entries(ready.data?.checks ?? {}).map(([name, check]) => `${name}: ${check.status}`);
  console.log(live.data?.status, ready.data?.status, checks);

  // GET /metrics?page_size=2 (and ?page=1&page_size=50)
  const firstTwo = await api.GET("/metrics", { params: { query: { page_size: 2 } } });
  const updatedAts: string[] = firstTwo.data?.items.map((item) => item.updated_at) ?? [];
  console.log(updatedAts);
  const page = await api.GET("/metrics", { params: { query: { page: 1, page_size: 50 } } });
  const titles: string[] = page.data?.items.map((item) => item.title) ?? [];
  const total: number | undefined = page.data?.total;
  console.log(titles, total);

  // POST /metrics from a prompt (the README's body)
  const created = await api.POST("/metrics", {
    body: {
      is_editable: true,
      layouts: [
        { breakpoint: "lg", x: 0, y: 20, w: 5, h: 4, static: false },
        { breakpoint: "md", x: 0, y: 10, w: 1, h: 4, static: null },
      ],
      query_generation_prompt: "Metrics needing approval from March 2025 to April 2025",
    },
  });
  const id: string | undefined = created.data?.id;
  const location: string | null = created.response.headers.get("Location");
  if (created.error && created.response.status === 400) {
    const fields: Record<string, string[]> | undefined = "errors" in created.error ? created.error.errors : undefined;
    console.log(fields);
  }

  // POST /metrics from SQL
  await api.POST("/metrics", {
    body: { is_editable: false, layouts: [], query: "SELECT alert_type, COUNT(*) AS total FROM metrics GROUP BY alert_type" },
  });

  // The worked examples: POST /metrics from a prompt, then GET /metrics/$ID without filters
  const worked = await api.POST("/metrics", {
    body: {
      is_editable: true,
      layouts: [{ breakpoint: "lg", x: 0, y: 20, w: 5, h: 4, static: false }],
      query_generation_prompt: "Parts flagged per day in June 2025",
    },
  });
  if (worked.data) {
    const tile = await api.GET("/metrics/{id}", { params: { path: { id: worked.data.id } } });
    const rows: number | undefined = tile.data?.records.length;
    console.log(rows);
  }

  if (id === undefined) {
    return;
  }

  // GET /metrics/{id}/definition, then PUT /metrics/{id} with If-Match
  const definition = await api.GET("/metrics/{id}/definition", { params: { path: { id } } });
  const version: number | undefined = definition.data?.version;
  const sql: string | undefined = definition.data?.sql;
  const defaults: (string | null)[] = definition.data?.parameters.map((p) => p.default_value) ?? [];
  const updated = await api.PUT("/metrics/{id}", {
    params: { path: { id }, header: { "If-Match": definition.response.headers.get("ETag") ?? "*" } },
    body: {
      title: "Approvals, spring 2025",
      is_editable: true,
      layouts: [{ breakpoint: "lg", x: 5, y: 20, w: 5, h: 4, static: false }],
    },
  });
  const updatedAt: string | undefined = updated.data?.updated_at;
  // The same request again, still naming version 1: 412, a problem document.
  const stale = await api.PUT("/metrics/{id}", {
    params: { path: { id }, header: { "If-Match": "\"1\"" } },
    body: { title: "Parts flagged per day", is_editable: true, layouts: [{ breakpoint: "lg", x: 5, y: 20, w: 5, h: 4, static: false }] },
  });
  const staleDetail: string | undefined = stale.error?.detail;
  console.log(version, sql, defaults, updatedAt, staleDetail);

  // POST /metrics/{id}/metric-records: one measure is enough
  const record = await api.POST("/metrics/{id}/metric-records", {
    params: { path: { id } },
    body: { date: "2025-06-03T08:15:00Z", parts_flagged: 3 },
  });
  const recordId: string | undefined = record.data?.id;

  // Idempotency keys: the same key and body again get the first answer; another body is a 422
  const key = "5f0c2a9e-8d1b-4c3e-9a7f-2b6d4e8c1a05";
  const keyed = await api.POST("/metrics/{id}/metric-records", {
    params: { path: { id }, header: { "Idempotency-Key": key } },
    body: { parts_flagged: 3 },
  });
  const retried = await api.POST("/metrics/{id}/metric-records", {
    params: { path: { id }, header: { "Idempotency-Key": key } },
    body: { parts_flagged: 3 },
  });
  const reused = await api.POST("/metrics/{id}/metric-records", {
    params: { path: { id }, header: { "Idempotency-Key": key } },
    body: { parts_flagged: 4 },
  });
  const sameRecord: boolean = keyed.data?.id === retried.data?.id;
  const reusedTitle: string | undefined = reused.error?.title;
  console.log(sameRecord, reusedTitle);

  // The README's record: a date with an offset, read back where Location points
  const posted = await api.POST("/metrics/{id}/metric-records", {
    params: { path: { id } },
    body: { date: "2025-06-03T09:30:00+02:00", parts_flagged: 3, alert_type: "Critical" },
  });
  if (posted.data) {
    const stored = await api.GET("/metrics/{id}/metric-records/{recordId}", { params: { path: { id, recordId: posted.data.id } } });
    if (stored.data) {
      const saved: MetricRecord = stored.data;
      const utc: string = saved.date;
      const flagged: number | null = saved.parts_flagged;
      const obsolescence: number | null = saved.obsolescence;
      const category: string | null = saved.alert_category;
      const through: string = saved.metric_id;
      console.log(utc, flagged, obsolescence, category, through, saved.created_at);
    } else {
      console.log(stored.error.status, stored.error.detail);
    }
  }

  // GET /metrics/{id}/versions, DELETE /metrics/{id}, POST .../versions/{version}/restore
  const versions = await api.GET("/metrics/{id}/versions", { params: { path: { id } } });
  const changes: string[] = versions.data?.map((v) => `${v.version} ${v.changed_by}: ${v.change}`) ?? [];
  const deleted = await api.DELETE("/metrics/{id}", { params: { path: { id }, header: { "If-Match": "\"2\"" } } });
  const gone = await api.GET("/metrics/{id}", { params: { path: { id } } });
  const restored = await api.POST("/metrics/{id}/versions/{version}/restore", { params: { path: { id, version: 2 } } });
  console.log(gone.error?.title);
  console.log(recordId, changes, deleted.response.status, restored.data?.version);

  // GET /imports/latest
  const report = await api.GET("/imports/latest");
  const rejected: number | undefined = report.data?.counts.queries?.rejected;
  const reasons: string[] = report.data?.issues.map((issue) => `${issue.file} ${issue.position}: ${issue.reason}`) ?? [];
  console.log(rejected, reasons, location);

  // GET /health
  const health = await api.GET("/health");
  const database: boolean | undefined = health.data?.database ?? (health.error && "database" in health.error ? health.error.database : undefined);
  console.log(database);

  // Live metrics: GET /metrics/events?id=<id>&id=<id>&start_date=2025-06-01 (text/event-stream), and one metric's stream
  const stream = await api.GET("/metrics/events", {
    params: { query: { id: [alertsByType, alertsByType], start_date: "2025-06-01" } },
    parseAs: "stream",
  });
  const oneStream = await api.GET("/metrics/{id}/events", { params: { path: { id: alertsByType } }, parseAs: "stream" });
  console.log(stream.response.headers.get("Content-Type"), stream.response.body !== null, oneStream.response.status, stream.error?.detail);

  // Refusals: no token (401, WWW-Authenticate), a token without the permission (403)
  const anonymous = createClient<paths>({ baseUrl: "http://localhost:8080" });
  const refused = await anonymous.GET("/metrics");
  const challenge: string | null = refused.response.headers.get("WWW-Authenticate");
  const reader = createClient<paths>({ baseUrl: "http://localhost:8080", headers: { Authorization: `Bearer ${readToken}` } });
  const forbidden = await reader.GET("/imports/latest");
  console.log(challenge, refused.error?.status, forbidden.error?.detail);
}

// What the API refuses does not compile.
export async function refusedByTheTypes(): Promise<void> {
  // @ts-expect-error page is a whole number, not text
  await api.GET("/metrics", { params: { query: { page: "one" } } });
  // @ts-expect-error a date filter the operation does not take
  await api.GET("/metrics/{id}", { params: { path: { id: alertsByType }, query: { startdate: "2025-06-01" } } });
  // @ts-expect-error is_editable and layouts are required
  await api.POST("/metrics", { body: { query: "SELECT 1" } });
  // @ts-expect-error a prompt or SQL is required on create
  await api.POST("/metrics", { body: { is_editable: true, layouts: [] } });
  // @ts-expect-error a record needs at least one measure
  await api.POST("/metrics/{id}/metric-records", { params: { path: { id: alertsByType } }, body: { date: "2025-06-03" } });
  // @ts-expect-error a record is read through its metric: both ids are needed
  await api.GET("/metrics/{id}/metric-records/{recordId}", { params: { path: { id: alertsByType } } });
  // @ts-expect-error x is a number
  await api.PUT("/metrics/{id}", { params: { path: { id: alertsByType } }, body: { is_editable: true, layouts: [{ breakpoint: "lg", x: "0", y: 0, w: 1, h: 1 }] } });
}
