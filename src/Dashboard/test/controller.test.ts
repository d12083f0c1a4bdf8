import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../src/api/client';
import type { MetricAnswer, ParameterStates } from '../src/api/types';
import { CONFLICT_NOTICE, DashboardController } from '../src/dashboard/controller';
import type { LiveHandlers, StreamStatus } from '../src/live/stream';

const dates: ParameterStates = {
  start_date: { applicable: true, value: '2025-06-01', default: '2025-06-01' },
  end_date: { applicable: true, value: '2025-06-30', default: '2025-06-30' },
  day_range: { applicable: false, value: null, default: null },
  as_of: { applicable: false, value: null, default: null },
};
const rolling: ParameterStates = {
  start_date: { applicable: false, value: null, default: null },
  end_date: { applicable: false, value: null, default: null },
  day_range: { applicable: true, value: 30, default: 30 },
  as_of: { applicable: true, value: '2026-12-01', default: '2026-12-01' },
};

function metric(id: string, parameters: ParameterStates, n = 1): MetricAnswer {
  return { id, title: `Metric ${id}`, is_editable: true, parameters, records: [{ v: n }], truncated: false, layouts: [{ breakpoint: 'lg', x: 0, y: 0, w: 5, h: 4, static: false }] };
}

/** A fake API: answers by path, counts requests, gives ETags and honours If-None-Match. */
function fakeApi(answers: Record<string, MetricAnswer>, pageSize = 200) {
  const calls: { method: string; url: string; headers: Record<string, string>; body?: string }[] = [];
  const versions: Record<string, number> = Object.fromEntries(Object.keys(answers).map((id) => [id, 1]));
  let putStatus = 200;
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://api');
    const headers = { ...(init?.headers as Record<string, string>) };
    calls.push({ method: init?.method ?? 'GET', url: `${url.pathname}${url.search}`, headers, body: init?.body as string | undefined });
    const json = (body: unknown, status = 200, extra: Record<string, string> = {}) =>
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...extra } });
    const ids = Object.keys(answers);
    if (url.pathname === '/metrics') {
      const page = Number(url.searchParams.get('page'));
      const items = ids.slice((page - 1) * pageSize, page * pageSize).map((id) => ({ id, title: answers[id]!.title, is_editable: true, updated_at: '' }));
      return json({ items, page, page_size: pageSize, total: ids.length });
    }
    const m = /^\/metrics\/([^/]+)(\/definition)?$/.exec(url.pathname);
    const id = m?.[1] ?? '';
    const a = answers[id];
    if (!a) return json({ title: 'Not found', status: 404 }, 404);
    if (m?.[2]) {
      const parameters = Object.entries(a.parameters).filter(([, p]) => p?.applicable).map(([name]) => ({ name, type: 'date', default_value: null }));
      return json({ id, title: a.title, is_editable: true, parameters, layouts: a.layouts, version: versions[id] }, 200, { ETag: `"${versions[id]}"` });
    }
    if (init?.method === 'PUT') {
      if (putStatus !== 200) return json({ title: 'Precondition failed', status: putStatus, detail: 'The definition changed.' }, putStatus);
      versions[id]! += 1;
      return json({ id, title: a.title, is_editable: true, parameters: [], layouts: JSON.parse(String(init.body)).layouts, version: versions[id] }, 200, { ETag: `"${versions[id]}"` });
    }
    const etag = `"${id}-${JSON.stringify(a.records)}-${url.search}"`;
    if (headers['If-None-Match'] === etag) return new Response(null, { status: 304 });
    return json(a, 200, { ETag: etag });
  });
  return {
    calls,
    fetchImpl: fetchImpl as unknown as typeof fetch,
    gets: () => calls.filter((c) => c.method === 'GET' && /^\/metrics\/[^/?]+(\?|$)/.test(c.url)),
    setPutStatus: (s: number) => {
      putStatus = s;
    },
  };
}

function fakeStream() {
  let handlers!: LiveHandlers;
  const stream = { update: vi.fn(), stop: vi.fn(), resume: vi.fn(), forget: vi.fn() };
  return {
    stream,
    factory: (h: LiveHandlers) => {
      handlers = h;
      return stream;
    },
    emit: (status: StreamStatus) => handlers.onStatus(status),
    handlers: () => handlers,
  };
}

async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
}

function setup(answers: Record<string, MetricAnswer>, window = {}, pageSize = 200) {
  const api = fakeApi(answers, pageSize);
  const live = fakeStream();
  const controller = new DashboardController(
    {
      api: new ApiClient({ getToken: () => 'tok', fetchImpl: api.fetchImpl }),
      stream: live.factory,
      reauthenticate: async () => false,
      canWrite: () => true,
      pollIntervalMs: 60_000,
    },
    window,
  );
  return { api, live, controller };
}

let running: DashboardController | null = null;
afterEach(() => {
  running?.stop();
  running = null;
});

describe('DashboardController', () => {
  it('lists every page of metrics and opens one stream for all of them', async () => {
    const { live, controller, api } = setup({ a: metric('a', dates), b: metric('b', rolling), c: metric('c', dates) }, {}, 2);
    running = controller;
    await controller.start();
    expect(api.calls.filter((c) => c.url.startsWith('/metrics?')).map((c) => c.url)).toEqual(['/metrics?page=1&page_size=200', '/metrics?page=2&page_size=200']);
    expect(controller.getSnapshot().tiles.map((t) => [t.id, t.state])).toEqual([
      ['a', 'loading'],
      ['b', 'loading'],
      ['c', 'loading'],
    ]);
    expect(live.stream.update).toHaveBeenCalledWith(['a', 'b', 'c'], {});
    expect(api.calls[0]!.headers.Authorization).toBe('Bearer tok');
  });

  it('falls back to GETs when the stream is unavailable, then revalidates with If-None-Match', async () => {
    const { live, controller, api } = setup({ a: metric('a', dates), b: metric('b', rolling) });
    running = controller;
    await controller.start();
    live.emit({ kind: 'unavailable', reason: 'HTTP 404', retryInMs: 300_000 });
    await settle();
    expect(controller.getSnapshot().tiles.map((t) => t.state)).toEqual(['ready', 'ready']);
    expect(controller.getSnapshot().polling).toBe(true);
    const first = api.gets().length;
    await controller.revalidateAll();
    const again = api.gets().slice(first);
    expect(again).toHaveLength(2);
    expect(again.every((c) => c.headers['If-None-Match']?.startsWith('"'))).toBe(true);
    expect(controller.getSnapshot().tiles.map((t) => t.state)).toEqual(['ready', 'ready']);
    live.emit({ kind: 'open' });
    expect(controller.getSnapshot().polling).toBe(false);
  });

  it('adds metrics created since the page loaded and drops deleted ones on each polling round', async () => {
    const answers: Record<string, MetricAnswer> = { a: metric('a', dates), b: metric('b', rolling) };
    const { live, controller } = setup(answers);
    running = controller;
    await controller.start();
    live.emit({ kind: 'unavailable', reason: 'HTTP 404', retryInMs: 300_000 });
    await settle();
    answers.c = metric('c', dates);
    delete answers.b;
    await controller.revalidateAll();
    await settle();
    expect(controller.getSnapshot().tiles.map((t) => [t.id, t.state])).toEqual([
      ['a', 'ready'],
      ['c', 'ready'],
    ]);
    expect(live.stream.update).toHaveBeenLastCalledWith(['a', 'c'], {});
  });

  it('updates tiles in place from stream events: metric, error, deleted', async () => {
    const { live, controller } = setup({ a: metric('a', dates), b: metric('b', rolling) });
    running = controller;
    await controller.start();
    live.emit({ kind: 'open' });
    live.handlers().onMetric(metric('a', dates, 42), '"e1"');
    expect(controller.getSnapshot().tiles[0]).toMatchObject({ state: 'ready', etag: '"e1"' });
    expect(controller.getSnapshot().tiles[0]!.answer?.records).toEqual([{ v: 42 }]);
    live.handlers().onMetricError('a', { title: 'Query timed out', detail: 'After 10 s.' });
    expect(controller.getSnapshot().tiles[0]).toMatchObject({ state: 'error', problem: { title: 'Query timed out' } });
    expect(controller.getSnapshot().tiles[0]!.answer?.records).toEqual([{ v: 42 }]); // the last answer stays
    live.handlers().onDeleted('b');
    expect(controller.getSnapshot().tiles.map((t) => t.id)).toEqual(['a']);
    expect(live.stream.forget).toHaveBeenCalledWith('b');
  });

  it('refetches only the tiles the window change applies to, with only their applicable parameters', async () => {
    const { live, controller, api } = setup({ a: metric('a', dates), b: metric('b', rolling) });
    running = controller;
    await controller.start();
    live.emit({ kind: 'unavailable', reason: 'HTTP 404', retryInMs: 300_000 });
    await settle();
    const before = api.gets().length;
    controller.setWindow({ day_range: 7, as_of: '2025-06-30' });
    expect(controller.getSnapshot().tiles.map((t) => t.state)).toEqual(['ready', 'loading']);
    await settle();
    const after = api.gets().slice(before);
    expect(after.map((c) => c.url)).toEqual(['/metrics/b?day_range=7&as_of=2025-06-30']);
    expect(live.stream.update).toHaveBeenLastCalledWith(['a', 'b'], { day_range: 7, as_of: '2025-06-30' });

    controller.setWindow({ day_range: 7, as_of: '2025-06-30', start_date: '2025-06-10' });
    await settle();
    expect(api.gets().slice(before + 1).map((c) => c.url)).toEqual(['/metrics/a?start_date=2025-06-10']);
  });

  it('learns applicability from the definition before the first GET when the page opens with a window', async () => {
    const { live, controller, api } = setup({ a: metric('a', dates), b: metric('b', rolling) }, { day_range: 7 });
    running = controller;
    await controller.start();
    live.emit({ kind: 'backoff', reason: 'network', retryInMs: 1000 });
    await settle();
    expect(api.gets().map((c) => c.url).sort()).toEqual(['/metrics/a', '/metrics/b?day_range=7']);
    expect(api.calls.filter((c) => c.url.endsWith('/definition')).map((c) => c.url).sort()).toEqual(['/metrics/a/definition', '/metrics/b/definition']);
  });

  it('saves moved tiles with If-Match, and on 412 reloads the tile and says so', async () => {
    const { live, controller, api } = setup({ a: metric('a', dates), b: metric('b', rolling) });
    running = controller;
    await controller.start();
    live.emit({ kind: 'unavailable', reason: 'HTTP 404', retryInMs: 300_000 });
    await settle();
    await controller.saveLayout([{ id: 'a', item: { x: 5, y: 0, w: 5, h: 4 } }], 'lg');
    const put = api.calls.find((c) => c.method === 'PUT')!;
    expect(put.url).toBe('/metrics/a');
    expect(put.headers['If-Match']).toBe('"1"');
    expect(JSON.parse(put.body!)).toEqual({ is_editable: true, layouts: [{ breakpoint: 'lg', x: 5, y: 0, w: 5, h: 4, static: false }] });
    expect(controller.getSnapshot().tiles[0]!.answer?.layouts[0]).toMatchObject({ x: 5 });

    api.setPutStatus(412);
    const revision = controller.getSnapshot().layoutRevision;
    const getsBefore = api.gets().length;
    await controller.saveLayout([{ id: 'b', item: { x: 0, y: 9, w: 5, h: 4 } }], 'lg');
    await settle();
    expect(controller.getSnapshot().tiles[1]!.notice).toBe(CONFLICT_NOTICE);
    expect(controller.getSnapshot().layoutRevision).toBe(revision + 1);
    expect(api.gets().slice(getsBefore).map((c) => c.url)).toEqual(['/metrics/b']);
  });

  it('turns the grid read-only when the server refuses a write (403)', async () => {
    const { live, controller, api } = setup({ a: metric('a', dates) });
    running = controller;
    await controller.start();
    live.emit({ kind: 'open' });
    api.setPutStatus(403);
    await controller.saveLayout([{ id: 'a', item: { x: 5, y: 0, w: 5, h: 4 } }], 'lg');
    expect(controller.getSnapshot().writeRefused).toBe(true);
  });

  it('stops streaming and polling while the page is hidden and resumes after', async () => {
    const { live, controller } = setup({ a: metric('a', dates) });
    running = controller;
    await controller.start();
    live.emit({ kind: 'unavailable', reason: 'HTTP 404', retryInMs: 300_000 });
    controller.setHidden(true);
    expect(live.stream.stop).toHaveBeenCalled();
    expect(controller.getSnapshot().polling).toBe(false);
    controller.setHidden(false);
    expect(live.stream.resume).toHaveBeenCalled();
  });

  it('shows the list’s problem when the metrics cannot be listed', async () => {
    const api = { listMetrics: vi.fn(async () => Promise.reject(new (await import('../src/api/problem')).ApiError(503, { title: 'Service unavailable', detail: 'The database is down.' }))) };
    const live = fakeStream();
    const controller = new DashboardController({ api: api as never, stream: live.factory, reauthenticate: async () => false, canWrite: () => false }, {});
    await controller.start();
    expect(controller.getSnapshot()).toMatchObject({ phase: 'error', listProblem: { detail: 'The database is down.' } });
  });
});
