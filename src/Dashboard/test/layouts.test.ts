import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api/problem';
import type { MetricDefinition, StoredLayout } from '../src/api/types';
import { COLS, buildLayouts, changedTiles, layoutFor, withPosition, type GridTile } from '../src/grid/layouts';
import { saveLayoutChanges, type KnownDefinition } from '../src/grid/save';

// The repository's sample metrics.json, as the API returns each metric's layouts.
interface SampleFile {
  items: { id: string; isEditable: boolean }[];
  layouts: Record<string, { i: string; x: number; y: number; w: number; h: number; static?: boolean | null }[]>;
}
const sample = JSON.parse(readFileSync(new URL('../../../data/metrics.json', import.meta.url), 'utf8')) as SampleFile;
// The import keeps the first definition of a duplicated id.
const firstOfEach = sample.items.filter((m, i) => sample.items.findIndex((n) => n.id === m.id) === i);
const sampleTiles: GridTile[] = firstOfEach.map((m) => ({
  id: m.id,
  isEditable: m.isEditable,
  layouts: Object.entries(sample.layouts).flatMap(([bp, items]) =>
    items.filter((l) => l.i === m.id).map((l) => ({ breakpoint: bp, x: l.x, y: l.y, w: l.w, h: l.h, static: l.static ?? null })),
  ),
}));

const COST = '5b0c1f9e-2d4a-4c7b-9e1f-0a3b6c8d2e41';
const ALERTS = 'c797b618-3b4c-4d0e-9a57-8f0d2c1e6a11'; // not editable, static at lg
const CRITICAL = '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b71'; // at the bottom sentinel, not editable
const APPROVAL = '3f2e1d0c-9b8a-4765-8c3d-2e1f0a9b8c61'; // y 20 at lg

describe('the stored layouts on the grid', () => {
  it('fit the columns the sample data is written for', () => {
    for (const [bp, items] of Object.entries(sample.layouts)) {
      const cols = COLS[bp as keyof typeof COLS];
      for (const item of items) expect(item.x + item.w, `${bp} ${item.i}`).toBeLessThanOrEqual(cols);
    }
  });

  it('places each tile at its stored position and the bottom sentinel below everything', () => {
    const lg = layoutFor(sampleTiles, 'lg');
    expect(lg.find((l) => l.i === COST)).toMatchObject({ x: 0, y: 0, w: 5, h: 4, static: false });
    expect(lg.find((l) => l.i === ALERTS)).toMatchObject({ x: 5, y: 0, w: 5, h: 4, static: true });
    // stored at y 20 below a gap: shown (and given to the grid) compacted, right under the tiles above
    expect(lg.find((l) => l.i === APPROVAL)).toMatchObject({ x: 0, y: 8, w: 5, h: 4 });
    // below the lowest tile as the grid shows it (y 20 compacts to 8, + h 4), at a real row rather than row 9,999,999
    expect(lg.find((l) => l.i === CRITICAL)).toMatchObject({ x: 0, y: 12, w: 10, h: 3, static: true });
  });

  it('puts a metric without a layout for the breakpoint at the bottom, in list order', () => {
    const tiles: GridTile[] = [
      { id: 'a', isEditable: true, layouts: [{ breakpoint: 'lg', x: 0, y: 0, w: 5, h: 2 }] },
      { id: 'b', isEditable: true, layouts: [] },
      { id: 'c', isEditable: true, layouts: [{ breakpoint: 'md', x: 0, y: 0, w: 1, h: 2 }] },
    ];
    const lg = layoutFor(tiles, 'lg');
    expect(lg.map((l) => [l.i, l.y]).sort()).toEqual([
      ['a', 0],
      ['b', 2],
      ['c', 6],
    ]);
  });

  it('honours static, and makes tiles of metrics that are not editable static', () => {
    const md = layoutFor(sampleTiles, 'md');
    expect(md.find((l) => l.i === '9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c51')?.static).toBe(true); // static: true at md only
    expect(layoutFor(sampleTiles, 'lg').find((l) => l.i === '9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c51')?.static).toBe(false);
    expect(md.find((l) => l.i === ALERTS)?.static).toBe(true); // static null at md, but not editable
  });

  it('clamps a position wider than the grid into it', () => {
    const [item] = layoutFor([{ id: 'a', isEditable: true, layouts: [{ breakpoint: 'md', x: 3, y: 0, w: 5, h: 2 }] }], 'md');
    expect(item).toMatchObject({ x: 0, w: 1 });
  });

  it('gives only the breakpoints the data speaks of, so smaller ones derive from the nearest larger', () => {
    expect(Object.keys(buildLayouts(sampleTiles))).toEqual(['lg', 'md']);
    expect(Object.keys(buildLayouts([{ id: 'a', isEditable: true, layouts: [] }]))).toEqual(['lg']);
  });
});

describe('changedTiles', () => {
  const tiles: GridTile[] = [
    { id: 'a', isEditable: true, layouts: [{ breakpoint: 'lg', x: 0, y: 0, w: 5, h: 4 }] },
    { id: 'b', isEditable: true, layouts: [{ breakpoint: 'lg', x: 0, y: 4, w: 5, h: 4 }] },
    { id: 'c', isEditable: true, layouts: [{ breakpoint: 'lg', x: 5, y: 0, w: 5, h: 4 }] },
    { id: 'fixed', isEditable: false, layouts: [{ breakpoint: 'lg', x: 0, y: 8, w: 10, h: 3 }] },
  ];
  const before = [
    { i: 'a', x: 0, y: 0, w: 5, h: 4 },
    { i: 'b', x: 0, y: 4, w: 5, h: 4 },
    { i: 'c', x: 5, y: 0, w: 5, h: 4 },
    { i: 'fixed', x: 0, y: 8, w: 10, h: 3, static: true },
  ];

  it('saves every tile the gesture moved, including those compaction moved', () => {
    // b dragged above a: a is pushed down by compaction
    const after = [
      { i: 'a', x: 0, y: 4, w: 5, h: 4 },
      { i: 'b', x: 0, y: 0, w: 5, h: 4 },
      { i: 'c', x: 5, y: 0, w: 5, h: 4 },
      { i: 'fixed', x: 0, y: 8, w: 10, h: 3, static: true },
    ];
    expect(changedTiles(before, after, tiles, 'lg')).toEqual([
      { id: 'a', item: { x: 0, y: 4, w: 5, h: 4 } },
      { id: 'b', item: { x: 0, y: 0, w: 5, h: 4 } },
    ]);
  });

  it('saves a resize and nothing for an unchanged layout', () => {
    expect(changedTiles(before, before, tiles, 'lg')).toEqual([]);
    const resized = before.map((l) => (l.i === 'c' ? { ...l, h: 6 } : l));
    expect(changedTiles(before, resized, tiles, 'lg')).toEqual([{ id: 'c', item: { x: 5, y: 0, w: 5, h: 6 } }]);
  });

  it('never saves a static or non-editable tile', () => {
    const moved = before.map((l) => (l.i === 'fixed' ? { ...l, y: 20 } : l));
    expect(changedTiles(before, moved, tiles, 'lg')).toEqual([]);
    const staticAtLg: GridTile[] = [{ id: 'a', isEditable: true, layouts: [{ breakpoint: 'lg', x: 0, y: 0, w: 5, h: 4, static: true }] }];
    expect(changedTiles([{ i: 'a', x: 0, y: 0, w: 5, h: 4 }], [{ i: 'a', x: 0, y: 1, w: 5, h: 4 }], staticAtLg, 'lg')).toEqual([]);
  });

  it('also saves movable tiles that had no position for this breakpoint, so the arrangement survives a reload', () => {
    const sm = [
      { i: 'a', x: 0, y: 0, w: 1, h: 4 },
      { i: 'b', x: 0, y: 4, w: 1, h: 4 },
    ];
    const after = [
      { i: 'a', x: 0, y: 4, w: 1, h: 4 },
      { i: 'b', x: 0, y: 0, w: 1, h: 4 },
      { i: 'c', x: 0, y: 8, w: 1, h: 4 },
    ];
    expect(changedTiles([...sm, { i: 'c', x: 0, y: 8, w: 1, h: 4 }], after, tiles, 'sm').map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('withPosition', () => {
  const layouts: StoredLayout[] = [
    { breakpoint: 'lg', x: 0, y: 0, w: 5, h: 4, static: false },
    { breakpoint: 'md', x: 0, y: 0, w: 1, h: 4, static: null },
  ];
  it('replaces one breakpoint, keeps the others and static', () => {
    expect(withPosition(layouts, 'lg', { x: 5, y: 2, w: 5, h: 3 })).toEqual([
      { breakpoint: 'lg', x: 5, y: 2, w: 5, h: 3, static: false },
      { breakpoint: 'md', x: 0, y: 0, w: 1, h: 4, static: null },
    ]);
  });
  it('adds a breakpoint the metric had no position for', () => {
    expect(withPosition(layouts, 'sm', { x: 0, y: 1, w: 1, h: 4 })).toHaveLength(3);
  });
});

function definition(id: string, version: number, layouts: StoredLayout[] = [{ breakpoint: 'lg', x: 0, y: 0, w: 5, h: 4, static: false }]): MetricDefinition {
  return { id, title: id, is_editable: true, parameters: [], layouts, version };
}

describe('saveLayoutChanges', () => {
  function deps(known: Record<string, KnownDefinition>, api: { getDefinition: ReturnType<typeof vi.fn>; putLayouts: ReturnType<typeof vi.fn> }) {
    const remembered = new Map(Object.entries(known));
    return {
      remembered,
      deps: { api: api as never, known: (id: string) => remembered.get(id), remember: (id: string, k: KnownDefinition) => remembered.set(id, k) },
    };
  }

  it('PUTs each changed tile with If-Match carrying that metric’s definition ETag', async () => {
    const putLayouts = vi.fn(async (id: string, _body: unknown, _etag: string) => ({ definition: definition(id, 8), etag: '"8"' }));
    const getDefinition = vi.fn(async (id: string) => ({ status: 'ok', body: definition(id, 3), etag: '"3"' }));
    const { deps: d, remembered } = deps({ a: { definition: definition('a', 7), etag: '"7"' } }, { getDefinition, putLayouts });
    const outcomes = await saveLayoutChanges(
      [
        { id: 'a', item: { x: 0, y: 4, w: 5, h: 4 } },
        { id: 'b', item: { x: 0, y: 0, w: 5, h: 4 } },
      ],
      'lg',
      d,
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['saved', 'saved']);
    expect(getDefinition).toHaveBeenCalledTimes(1); // only b was not known yet
    expect(putLayouts).toHaveBeenCalledWith('a', { is_editable: true, layouts: [{ breakpoint: 'lg', x: 0, y: 4, w: 5, h: 4, static: false }] }, '"7"');
    expect(putLayouts).toHaveBeenCalledWith('b', expect.anything(), '"3"');
    expect(remembered.get('a')?.etag).toBe('"8"');
  });

  it('reports a 412 as a conflict with the fresh definition, without retrying the PUT', async () => {
    const putLayouts = vi.fn(async () => {
      throw new ApiError(412, { title: 'Precondition failed', status: 412, detail: 'The metric changed.' });
    });
    const fresh = definition('a', 9, [{ breakpoint: 'lg', x: 5, y: 5, w: 5, h: 4, static: false }]);
    const getDefinition = vi.fn(async () => ({ status: 'ok', body: fresh, etag: '"9"' }));
    const { deps: d, remembered } = deps({ a: { definition: definition('a', 7), etag: '"7"' } }, { getDefinition, putLayouts });
    const [outcome] = await saveLayoutChanges([{ id: 'a', item: { x: 0, y: 4, w: 5, h: 4 } }], 'lg', d);
    expect(outcome).toMatchObject({ kind: 'conflict', known: { etag: '"9"', definition: fresh }, problem: { status: 412 } });
    expect(putLayouts).toHaveBeenCalledTimes(1);
    expect(remembered.get('a')?.etag).toBe('"9"');
  });

  it('reports 403 as forbidden and other problems as failed', async () => {
    const putLayouts = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(403, { title: 'Forbidden', status: 403 }))
      .mockRejectedValueOnce(new ApiError(409, { title: 'Not editable', status: 409, detail: 'Change it through the import files.' }));
    const { deps: d } = deps(
      { a: { definition: definition('a', 1), etag: '"1"' }, b: { definition: definition('b', 1), etag: '"1"' } },
      { getDefinition: vi.fn(), putLayouts },
    );
    const outcomes = await saveLayoutChanges(
      [
        { id: 'a', item: { x: 0, y: 0, w: 5, h: 4 } },
        { id: 'b', item: { x: 0, y: 0, w: 5, h: 4 } },
      ],
      'lg',
      d,
    );
    expect(outcomes).toMatchObject([
      { id: 'a', kind: 'forbidden' },
      { id: 'b', kind: 'failed', problem: { detail: 'Change it through the import files.' } },
    ]);
  });
});
