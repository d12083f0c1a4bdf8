import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveStream, type LiveHandlers, type StreamStatus } from '../src/live/stream';
import { eventStreamResponse, fakeFetch, flush, metricEvent, type OpenStream } from './fakeStream';

function handlers(reauth: () => Promise<boolean> = async () => false) {
  const log = {
    metrics: [] as { id: string; etag: string }[],
    deleted: [] as string[],
    errors: [] as { id: string; title?: string; detail?: string }[],
    statuses: [] as StreamStatus[],
    reauth: vi.fn(reauth),
  };
  const h: LiveHandlers = {
    onMetric: (answer, etag) => log.metrics.push({ id: answer.id, etag }),
    onDeleted: (id) => log.deleted.push(id),
    onMetricError: (id, problem) => log.errors.push({ id, title: problem.title, detail: problem.detail }),
    reauthenticate: log.reauth,
    onStatus: (s) => log.statuses.push(s),
  };
  return { log, h };
}

function lastStatus(log: { statuses: StreamStatus[] }) {
  return log.statuses.at(-1);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('LiveStream', () => {
  it('opens one stream for all tiles with the token and the window, and applies each kind of event', async () => {
    const { response, stream } = eventStreamResponse();
    const server = fakeFetch([() => response]);
    const { log, h } = handlers();
    const live = new LiveStream({ headers: () => ({ Authorization: 'Bearer t1' }), handlers: h, fetchImpl: server.fetch });
    live.update(['m1', 'm2', 'm3'], { start_date: '2025-06-01', day_range: 7 });
    await flush();

    expect(server.requests[0]!.url).toBe('/metrics/events?id=m1&id=m2&id=m3&start_date=2025-06-01&day_range=7');
    expect(server.requests[0]!.headers).toMatchObject({ Authorization: 'Bearer t1', Accept: 'text/event-stream' });
    expect(server.requests[0]!.headers['Last-Event-ID']).toBeUndefined();
    expect(lastStatus(log)).toEqual({ kind: 'open' });

    stream.push(': heartbeat\n\n');
    stream.push(metricEvent('m1', 'e1'));
    stream.push('event: deleted\ndata: {"id":"m2"}\n\n');
    stream.push('event: error\ndata: {"type":"about:blank","title":"Query timed out","status":504,"detail":"10 s","traceId":"t","metric_id":"m3"}\n\n');
    stream.push(metricEvent('m3', 'e2'));
    await flush();

    expect(log.metrics).toEqual([
      { id: 'm1', etag: '"e1"' },
      { id: 'm3', etag: '"e2"' },
    ]);
    expect(log.deleted).toEqual(['m2']);
    expect(log.errors).toEqual([{ id: 'm3', title: 'Query timed out', detail: '10 s' }]);
    live.stop();
  });

  it.each([404, 405, 501, 400])('falls back (status unavailable) when the server has no stream: %i', async (status) => {
    vi.useFakeTimers();
    const server = fakeFetch([() => new Response('', { status }), () => new Response('', { status })]);
    const { log, h } = handlers();
    const live = new LiveStream({ headers: () => ({}), handlers: h, fetchImpl: server.fetch, unavailableRetryMs: 60_000 });
    live.update(['m1'], {});
    await vi.advanceTimersByTimeAsync(0);
    expect(lastStatus(log)).toMatchObject({ kind: 'unavailable', retryInMs: 60_000 });
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.requests).toHaveLength(2);
    live.stop();
  });

  it('backs off (not the long wait) on a server error', async () => {
    const server = fakeFetch([() => new Response('', { status: 500 })]);
    const { log, h } = handlers();
    const live = new LiveStream({ headers: () => ({}), handlers: h, fetchImpl: server.fetch, random: () => 1 });
    live.update(['m1'], {});
    await flush();
    expect(lastStatus(log)).toMatchObject({ kind: 'backoff', retryInMs: 2_000 });
    live.stop();
  });

  it('treats an answer that is not an event stream as no stream', async () => {
    const server = fakeFetch([() => new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } })]);
    const { log, h } = handlers();
    const live = new LiveStream({ headers: () => ({}), handlers: h, fetchImpl: server.fetch });
    live.update(['m1'], {});
    await flush();
    expect(lastStatus(log)?.kind).toBe('unavailable');
    live.stop();
  });

  it('backs off exponentially after network failures, then connects', async () => {
    vi.useFakeTimers();
    const { response } = eventStreamResponse();
    const server = fakeFetch([() => new TypeError('Failed to fetch'), () => new TypeError('Failed to fetch'), () => response]);
    const { log, h } = handlers();
    const live = new LiveStream({ headers: () => ({}), handlers: h, fetchImpl: server.fetch, random: () => 1 });
    live.update(['m1'], {});
    await vi.advanceTimersByTimeAsync(0);
    expect(lastStatus(log)).toMatchObject({ kind: 'backoff', retryInMs: 2_000 });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(server.requests).toHaveLength(2);
    expect(lastStatus(log)).toMatchObject({ kind: 'backoff', retryInMs: 4_000 });
    await vi.advanceTimersByTimeAsync(4_000);
    expect(server.requests).toHaveLength(3);
    expect(lastStatus(log)).toEqual({ kind: 'open' });
    live.stop();
  });

  it('waits at least Retry-After when the server is over its limit (429), and backs off on 503', async () => {
    vi.useFakeTimers();
    const server = fakeFetch([
      () => new Response('', { status: 429, headers: { 'Retry-After': '30' } }),
      () => new Response('', { status: 503 }),
    ]);
    const { log, h } = handlers();
    const live = new LiveStream({ headers: () => ({}), handlers: h, fetchImpl: server.fetch, random: () => 0 });
    live.update(['m1'], {});
    await vi.advanceTimersByTimeAsync(0);
    expect(lastStatus(log)).toMatchObject({ kind: 'backoff', retryInMs: 30_000 });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.requests).toHaveLength(2);
    expect(lastStatus(log)?.kind).toBe('backoff');
    live.stop();
  });

  it('reconnects after the server ends the stream, with Last-Event-ID and after its retry hint', async () => {
    vi.useFakeTimers();
    const first = eventStreamResponse();
    const second = eventStreamResponse();
    const server = fakeFetch([() => first.response, () => second.response]);
    const { log, h } = handlers();
    const live = new LiveStream({ headers: () => ({}), handlers: h, fetchImpl: server.fetch });
    live.update(['m1', 'm2'], {});
    await vi.advanceTimersByTimeAsync(0);
    first.stream.push('retry: 1500\n\n');
    first.stream.push(metricEvent('m1', 'etag-1'));
    first.stream.push(metricEvent('m2', 'etag-2'));
    first.stream.end();
    await vi.advanceTimersByTimeAsync(0);
    expect(lastStatus(log)).toMatchObject({ kind: 'backoff', retryInMs: 1_500 });
    await vi.advanceTimersByTimeAsync(1_500);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers['Last-Event-ID']).toBe('etag-2');
    live.stop();
  });

  it('reconnects with Last-Event-ID after the connection breaks mid-stream', async () => {
    vi.useFakeTimers();
    const first = eventStreamResponse();
    const second = eventStreamResponse();
    const server = fakeFetch([() => first.response, () => second.response]);
    const { h } = handlers();
    const live = new LiveStream({ headers: () => ({}), handlers: h, fetchImpl: server.fetch, random: () => 0 });
    live.update(['m1'], {});
    await vi.advanceTimersByTimeAsync(0);
    first.stream.push(metricEvent('m1', 'e9'));
    await vi.advanceTimersByTimeAsync(0);
    first.stream.fail(new TypeError('network error'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers['Last-Event-ID']).toBe('e9');
    live.stop();
  });

  it('gets a new token on "reauthenticate" and reconnects with it', async () => {
    const first = eventStreamResponse();
    const second = eventStreamResponse();
    const server = fakeFetch([() => first.response, () => second.response]);
    let token = 'old';
    const { log, h } = handlers(async () => {
      token = 'new';
      return true;
    });
    const live = new LiveStream({ headers: () => ({ Authorization: `Bearer ${token}` }), handlers: h, fetchImpl: server.fetch });
    live.update(['m1'], {});
    await flush();
    first.stream.push(metricEvent('m1', 'e1'));
    first.stream.push('event: reauthenticate\ndata: {"detail":"The token expired at 10:00."}\n\n');
    first.stream.end();
    await flush();
    expect(log.reauth).toHaveBeenCalledWith('The token expired at 10:00.');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers).toMatchObject({ Authorization: 'Bearer new', 'Last-Event-ID': 'e1' });
    live.stop();
  });

  it('stops (signed-out) when no new token can be had, also after a 401', async () => {
    const server = fakeFetch([() => new Response('', { status: 401 })]);
    const { log, h } = handlers(async () => false);
    const live = new LiveStream({ headers: () => ({}), handlers: h, fetchImpl: server.fetch });
    live.update(['m1'], {});
    await flush();
    expect(log.reauth).toHaveBeenCalledTimes(1);
    expect(lastStatus(log)?.kind).toBe('signed-out');
    expect(server.requests).toHaveLength(1);
  });

  it('opens a new stream (without Last-Event-ID) when the window or the tiles change, and none for the same ones', async () => {
    const streams: OpenStream[] = [];
    const next = () => {
      const s = eventStreamResponse();
      streams.push(s.stream);
      return s.response;
    };
    const server = fakeFetch([next, next]);
    const { h } = handlers();
    const live = new LiveStream({ headers: () => ({}), handlers: h, fetchImpl: server.fetch });
    live.update(['m1'], {});
    await flush();
    streams[0]!.push(metricEvent('m1', 'e1'));
    await flush();
    live.update(['m1'], {});
    await flush();
    expect(server.requests).toHaveLength(1);
    live.update(['m1'], { day_range: 3 });
    await flush();
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.signal?.aborted).toBe(true);
    expect(server.requests[1]!.url).toContain('day_range=3');
    expect(server.requests[1]!.headers['Last-Event-ID']).toBeUndefined();
    live.stop();
    expect(server.requests[1]!.signal?.aborted).toBe(true);
  });

  it('resumes after stop with the Last-Event-ID it had', async () => {
    const first = eventStreamResponse();
    const second = eventStreamResponse();
    const server = fakeFetch([() => first.response, () => second.response]);
    const { h } = handlers();
    const live = new LiveStream({ headers: () => ({}), handlers: h, fetchImpl: server.fetch });
    live.update(['m1'], {});
    await flush();
    first.stream.push(metricEvent('m1', 'e5'));
    await flush();
    live.stop();
    live.resume();
    await flush();
    expect(server.requests[1]!.headers['Last-Event-ID']).toBe('e5');
    live.stop();
  });
});
