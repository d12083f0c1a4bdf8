// Wire shapes of the MetricsEngine API, as the repository README documents them (snake_case JSON).

/** One value of a row: the API sends dates as "YYYY-MM-DD", timestamps as ISO 8601 UTC, numerics as numbers. */
export type CellValue = string | number | boolean | null | Record<string, unknown> | unknown[];
export type Row = Record<string, CellValue>;

export const WINDOW_PARAMETERS = ['start_date', 'end_date', 'day_range', 'as_of'] as const;
export type WindowParameter = (typeof WINDOW_PARAMETERS)[number];

/** How one date parameter applied to a metric's answer. */
export interface ParameterState {
  applicable: boolean;
  value: string | number | null;
  default: string | number | null;
}

export type ParameterStates = Partial<Record<string, ParameterState>>;

export interface StoredLayout {
  breakpoint: string;
  x: number;
  y: number;
  w: number;
  h: number;
  static?: boolean | null;
}

/** `GET /metrics/{id}` (and each `event: metric` of the live stream). */
export interface MetricAnswer {
  id: string;
  title: string;
  is_editable: boolean;
  parameters: ParameterStates;
  records: Row[];
  truncated: boolean;
  layouts: StoredLayout[];
}

export interface MetricSummary {
  id: string;
  title: string;
  is_editable: boolean;
  updated_at: string;
}

export interface MetricPage {
  items: MetricSummary[];
  page: number;
  page_size: number;
  total: number;
}

export interface DefinitionParameter {
  name: string;
  type: string;
  default_value: string | number | null;
}

/** `GET /metrics/{id}/definition`; its ETag is what `PUT` expects in `If-Match`. */
export interface MetricDefinition {
  id: string;
  title: string;
  is_editable: boolean;
  parameters: DefinitionParameter[];
  layouts: StoredLayout[];
  version: number;
}

/** RFC 9457 problem details, as every non-2xx answer carries them. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  traceId?: string;
  errors?: Record<string, string[]>;
  metric_id?: string;
}
