import { parseRetryAfter, toProblem } from '../api/problem';
import type { MetricAnswer, Problem } from '../api/types';
import { streamQuery, type DashboardWindow } from '../window/params';
import { SseParser, readEventStream, type SseEvent } from './sse';

/** Where the live stream stands; anything but `open` means the page revalidates tiles itself. */
export type StreamStatus =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'open' }
  | { kind: 'unavailable'; reason: string; retryInMs: number }
  | { kind: 'backoff'; reason: string; retryInMs: number }
  | { kind: 'signed-out'; reason: string };

export interface LiveHandlers {
  onMetric(answer: MetricAnswer, etag: string): void;
  onDeleted(id: string): void;
  onMetricError(id: string, problem: Problem): void;
  /** The token expired or was refused: resolve true once a new one is available. */
  reauthenticate(detail: string): Promise<boolean>;
  onStatus(status: StreamStatus): void;
}

type Timers = { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };

export interface LiveStreamOptions {
  baseUrl?: string;
  headers: () => Record<string, string>;
  handlers: LiveHandlers;
  fetchImpl?: typeof fetch;
  timers?: Timers;
  random?: () => number;
  /** How long to wait before trying again a server that has no stream (404/405/501). */
  unavailableRetryMs?: number;
  maxBackoffMs?: number;
}

export const DEFAULT_RETRY_MS = 3_000;
const NO_STREAM_STATUSES = new Set([404, 405, 501]);
const BUSY_STATUSES = new Set([429, 503]);

/**
 * One fetch-based event stream for all the dashboard's tiles (`GET /metrics/events?id=..&id=..`),
 * reconnecting with Last-Event-ID, backing off when the server is busy or unreachable, and
 * re-authenticating when the server says the token expired.
 */
export class LiveStream {
  private ids: string[] = [];
  private window: DashboardWindow = {};
  private controller: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;
  private lastEventId = '';
  private retryMs = DEFAULT_RETRY_MS;
  private failures = 0;
  private running = false;
  private readonly options: LiveStreamOptions;

  constructor(options: LiveStreamOptions) {
    this.options = options;
  }

  private get timers(): Timers {
    return this.options.timers ?? globalThis;
  }

  /** Follows the tiles and the window: a changed subscription is a new stream (without Last-Event-ID). */
  update(ids: readonly string[], window: DashboardWindow): void {
    const sameIds = ids.length === this.ids.length && ids.every((id, i) => id === this.ids[i]);
    const sameWindow = streamQuery([], window).toString() === streamQuery([], this.window).toString();
    if (this.running && sameIds && sameWindow) return;
    this.ids = [...ids];
    this.window = { ...window };
    this.lastEventId = '';
    this.failures = 0;
    this.running = true;
    this.restart(0);
  }

  /** Ends the stream (page hidden, signed out, unmounted); `resume` opens it again with Last-Event-ID. */
  stop(): void {
    this.running = false;
    this.generation++;
    this.cancel();
    this.options.handlers.onStatus({ kind: 'idle' });
  }

  resume(): void {
    if (this.running) return;
    this.running = true;
    this.restart(0);
  }

  /** A metric was deleted: the stream goes on for the others; the next reconnection leaves it out. */
  forget(id: string): void {
    this.ids = this.ids.filter((x) => x !== id);
  }

  get eventId(): string {
    return this.lastEventId;
  }

  private cancel(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.controller?.abort();
    this.controller = null;
  }

  private restart(delayMs: number): void {
    this.cancel();
    const generation = ++this.generation;
    if (delayMs <= 0) void this.connect(generation);
    else this.timer = this.timers.setTimeout(() => void this.connect(generation), delayMs);
  }

  private backoffMs(): number {
    const max = this.options.maxBackoffMs ?? 60_000;
    const base = Math.min(max, 1_000 * 2 ** Math.min(this.failures, 16));
    const jitter = 0.5 + 0.5 * (this.options.random ?? Math.random)();
    return Math.round(base * jitter);
  }

  private retryLater(kind: 'backoff' | 'unavailable', reason: string, retryAfterMs: number | null = null): void {
    this.failures++;
    const delay = kind === 'unavailable' ? (this.options.unavailableRetryMs ?? 300_000) : Math.max(retryAfterMs ?? 0, this.backoffMs());
    this.options.handlers.onStatus({ kind, reason, retryInMs: delay });
    this.restart(delay);
  }

  private async reauthenticate(detail: string, generation: number): Promise<void> {
    this.options.handlers.onStatus({ kind: 'connecting' });
    const renewed = await this.options.handlers.reauthenticate(detail);
    if (generation !== this.generation) return;
    if (renewed) this.restart(0);
    else {
      this.running = false;
      this.options.handlers.onStatus({ kind: 'signed-out', reason: detail });
    }
  }

  private async connect(generation: number): Promise<void> {
    if (generation !== this.generation || !this.running) return;
    if (this.ids.length === 0) {
      this.options.handlers.onStatus({ kind: 'idle' });
      return;
    }
    this.options.handlers.onStatus({ kind: 'connecting' });
    const controller = new AbortController();
    this.controller = controller;
    const headers: Record<string, string> = { ...this.options.headers(), Accept: 'text/event-stream' };
    if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
    const url = `${this.options.baseUrl ?? ''}/metrics/events?${streamQuery(this.ids, this.window).toString()}`;

    let response: Response;
    try {
      response = await (this.options.fetchImpl ?? fetch)(url, { headers, signal: controller.signal, cache: 'no-store', credentials: 'omit' });
    } catch (error) {
      if (generation !== this.generation || controller.signal.aborted) return;
      this.retryLater('backoff', `The live stream could not be reached (${error instanceof Error ? error.message : 'network failure'}).`);
      return;
    }
    if (generation !== this.generation) return;

    if (response.status === 401) {
      await this.reauthenticate('The API refused the token.', generation);
      return;
    }
    if (NO_STREAM_STATUSES.has(response.status)) {
      this.retryLater('unavailable', `This API has no live stream (HTTP ${response.status}).`);
      return;
    }
    if (BUSY_STATUSES.has(response.status)) {
      this.retryLater('backoff', `The live stream is busy (HTTP ${response.status}).`, parseRetryAfter(response.headers.get('Retry-After')));
      return;
    }
    if (response.status >= 400 && response.status < 500) {
      // The server does not understand the stream request (an API without the stream may route
      // /metrics/events to /metrics/{id} and answer 400): asking again soon would not help.
      this.retryLater('unavailable', `The live stream was refused (HTTP ${response.status}).`);
      return;
    }
    if (!response.ok) {
      this.retryLater('backoff', `The live stream failed (HTTP ${response.status}).`);
      return;
    }
    if (!(response.headers.get('Content-Type') ?? '').includes('text/event-stream') || !response.body) {
      this.retryLater('unavailable', 'The server did not answer with an event stream.');
      return;
    }

    this.options.handlers.onStatus({ kind: 'open' });
    let received = false;
    let reauthenticate: string | null = null;
    const parser = new SseParser(
      {
        onEvent: (event) => {
          if (generation !== this.generation) return;
          received = true;
          this.lastEventId = event.lastEventId;
          const detail = this.dispatch(event);
          if (detail !== null) reauthenticate = detail;
        },
        onRetry: (ms) => {
          this.retryMs = ms;
        },
      },
      this.lastEventId,
    );
    try {
      await readEventStream(response.body, parser, controller.signal);
    } catch (error) {
      if (generation !== this.generation || controller.signal.aborted) return;
      if (received) this.failures = 0;
      this.retryLater('backoff', `The live stream was interrupted (${error instanceof Error ? error.message : 'read error'}).`);
      return;
    }
    if (generation !== this.generation || controller.signal.aborted) return;
    if (reauthenticate !== null) {
      await this.reauthenticate(reauthenticate, generation);
      return;
    }
    // The server ended the stream (a restart, a rolling deploy): come back after its retry hint.
    if (received) {
      this.failures = 0;
      this.options.handlers.onStatus({ kind: 'backoff', reason: 'The live stream ended; reconnecting.', retryInMs: this.retryMs });
      this.restart(this.retryMs);
    } else {
      this.retryLater('backoff', 'The live stream ended without events.');
    }
  }

  /** Applies one event; returns the reauthentication detail when the server asks for a new token. */
  private dispatch(event: SseEvent): string | null {
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return null; // not JSON: nothing this page can apply
    }
    const record = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
    switch (event.event) {
      case 'metric':
        if (typeof record.id === 'string' && Array.isArray(record.records)) {
          this.options.handlers.onMetric(data as MetricAnswer, event.lastEventId ? `"${event.lastEventId}"` : '');
        }
        return null;
      case 'deleted':
        if (typeof record.id === 'string') this.options.handlers.onDeleted(record.id);
        return null;
      case 'error':
        if (typeof record.metric_id === 'string') this.options.handlers.onMetricError(record.metric_id, toProblem(record));
        return null;
      case 'reauthenticate':
        return typeof record.detail === 'string' ? record.detail : 'The token expired.';
      default:
        return null;
    }
  }
}
