import { ApiError, errorFromResponse, networkError } from './problem';
import type { MetricAnswer, MetricDefinition, MetricPage, MetricSummary, StoredLayout } from './types';

export const PAGE_SIZE = 200; // the API's maximum page size

export interface ApiClientOptions {
  /** Where the API lives; '' = the page's own origin (the host serves both). */
  baseUrl?: string;
  /** The current access token, or null when signed out. */
  getToken: () => string | null;
  /** Told about every 401 so the page can renew the token or ask to sign in again. */
  onUnauthorized?: (error: ApiError) => void;
  fetchImpl?: typeof fetch;
}

export type Fetched<T> = { status: 'ok'; body: T; etag: string | null } | { status: 'not-modified' };

export interface LayoutUpdate {
  is_editable: boolean;
  layouts: StoredLayout[];
}

/** The dashboard's only way to the API: Bearer token, problem details as ApiError, no HTTP cache in between. */
export class ApiClient {
  private readonly baseUrl: string;
  private readonly options: ApiClientOptions;

  constructor(options: ApiClientOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl ?? '';
  }

  async listMetrics(signal?: AbortSignal): Promise<MetricSummary[]> {
    const all: MetricSummary[] = [];
    for (let page = 1; ; page++) {
      const result = await this.request<MetricPage>('GET', `/metrics?page=${page}&page_size=${PAGE_SIZE}`, { signal });
      if (result.status !== 'ok') break;
      all.push(...result.body.items);
      if (result.body.items.length === 0 || page * result.body.page_size >= result.body.total) break;
    }
    return all;
  }

  getMetric(id: string, query: URLSearchParams, etag?: string | null, signal?: AbortSignal): Promise<Fetched<MetricAnswer>> {
    const qs = query.toString();
    return this.request<MetricAnswer>('GET', `/metrics/${encodeURIComponent(id)}${qs ? `?${qs}` : ''}`, {
      signal,
      headers: etag ? { 'If-None-Match': etag } : undefined,
    });
  }

  getDefinition(id: string, etag?: string | null, signal?: AbortSignal): Promise<Fetched<MetricDefinition>> {
    return this.request<MetricDefinition>('GET', `/metrics/${encodeURIComponent(id)}/definition`, {
      signal,
      headers: etag ? { 'If-None-Match': etag } : undefined,
    });
  }

  async putLayouts(id: string, body: LayoutUpdate, ifMatch: string): Promise<{ definition: MetricDefinition; etag: string | null }> {
    const result = await this.request<MetricDefinition>('PUT', `/metrics/${encodeURIComponent(id)}`, {
      headers: { 'If-Match': ifMatch, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (result.status !== 'ok') throw new ApiError(304, { title: 'Unexpected 304', status: 304 });
    return { definition: result.body, etag: result.etag };
  }

  /** Headers every call carries; also used by the live stream. */
  authHeaders(): Record<string, string> {
    const token = this.options.getToken();
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  private async request<T>(
    method: string,
    path: string,
    init: { signal?: AbortSignal; headers?: Record<string, string>; body?: string },
  ): Promise<Fetched<T>> {
    const doFetch = this.options.fetchImpl ?? fetch;
    let response: Response;
    try {
      response = await doFetch(this.url(path), {
        method,
        signal: init.signal,
        body: init.body,
        // The page does its own revalidation with If-None-Match; the browser's cache must not answer for the server.
        cache: 'no-store',
        credentials: 'omit',
        headers: { Accept: 'application/json', ...this.authHeaders(), ...init.headers },
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw networkError(cause);
    }
    if (response.status === 304) return { status: 'not-modified' };
    if (!response.ok) {
      const error = await errorFromResponse(response);
      if (error.status === 401) this.options.onUnauthorized?.(error);
      throw error;
    }
    const body = (await response.json()) as T;
    return { status: 'ok', body, etag: response.headers.get('ETag') };
  }
}
