import type { Problem } from './types';

/** A non-2xx answer (or a network failure, status 0) with the problem details it carried. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  readonly retryAfterMs: number | null;

  constructor(status: number, problem: Problem, retryAfterMs: number | null = null) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.retryAfterMs = retryAfterMs;
  }
}

const FALLBACK_TITLES: Record<number, string> = {
  0: 'The API could not be reached',
  400: 'Invalid request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  412: 'Changed meanwhile',
  429: 'Too many requests',
  500: 'Server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Timed out',
};

/** Reads a problem from any value (a parsed body, an event's data): only string/number members are kept. */
export function toProblem(value: unknown, status?: number): Problem {
  const problem: Problem = {};
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.type === 'string') problem.type = v.type;
    if (typeof v.title === 'string') problem.title = v.title;
    if (typeof v.status === 'number') problem.status = v.status;
    if (typeof v.detail === 'string') problem.detail = v.detail;
    if (typeof v.traceId === 'string') problem.traceId = v.traceId;
    if (typeof v.metric_id === 'string') problem.metric_id = v.metric_id;
    if (v.errors && typeof v.errors === 'object') {
      const errors: Record<string, string[]> = {};
      for (const [key, list] of Object.entries(v.errors as Record<string, unknown>)) {
        if (Array.isArray(list)) errors[key] = list.filter((m): m is string => typeof m === 'string');
      }
      problem.errors = errors;
    }
  }
  if (problem.status === undefined && status !== undefined) problem.status = status;
  if (problem.title === undefined) problem.title = FALLBACK_TITLES[problem.status ?? -1] ?? `HTTP ${problem.status ?? 'error'}`;
  return problem;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Builds an ApiError from a failed response, reading its problem+json body when there is one. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    const type = response.headers.get('Content-Type') ?? '';
    if (type.includes('json')) body = await response.json();
  } catch {
    body = null;
  }
  return new ApiError(response.status, toProblem(body, response.status), parseRetryAfter(response.headers.get('Retry-After')));
}

export function networkError(cause: unknown): ApiError {
  const detail = cause instanceof Error && cause.message ? cause.message : 'Network failure.';
  return new ApiError(0, { title: FALLBACK_TITLES[0], detail, status: 0 });
}
