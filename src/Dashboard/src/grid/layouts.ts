import { verticalCompactor, type Layout, type LayoutItem, type ResponsiveLayouts } from 'react-grid-layout';
import type { StoredLayout } from '../api/types';

/** react-grid-layout's default breakpoints (min widths in px). */
export const BREAKPOINTS = { lg: 1200, md: 996, sm: 768, xs: 480, xxs: 0 } as const;
export type BreakpointName = keyof typeof BREAKPOINTS;

/**
 * Columns per breakpoint. The stored layouts are written for these, not for react-grid-layout's
 * default 12/10/6/4/2: at `lg` the sample tiles are 5 wide side by side and 10 wide across the grid,
 * at `md` every tile is 1 wide at x 0 (one column). See README.md, "Grid".
 */
export const COLS: Record<BreakpointName, number> = { lg: 10, md: 1, sm: 1, xs: 1, xxs: 1 };

/** `y` at or beyond this is the import files' "bottom" sentinel (9999999); real positions stay below 10,000. */
export const BOTTOM_SENTINEL_Y = 10_000;
export const DEFAULT_TILE_HEIGHT = 4;

export function isBreakpoint(name: string): name is BreakpointName {
  return Object.hasOwn(BREAKPOINTS, name);
}

export interface GridTile {
  id: string;
  isEditable: boolean;
  layouts: readonly StoredLayout[];
}

/** A tile the user may not move: stored as static, or a metric that is not editable (changed through import files only). */
export function isStaticTile(tile: GridTile, breakpoint: string): boolean {
  if (!tile.isEditable) return true;
  return tile.layouts.find((l) => l.breakpoint === breakpoint)?.static === true;
}

/**
 * The layout of one breakpoint: each tile at its stored position (clamped into the grid), tiles at
 * the bottom sentinel and tiles without a position for this breakpoint stacked below everything
 * else, in list order.
 */
export function layoutFor(tiles: readonly GridTile[], breakpoint: BreakpointName): LayoutItem[] {
  const cols = COLS[breakpoint];
  const placed: LayoutItem[] = [];
  const bottom: LayoutItem[] = [];
  for (const tile of tiles) {
    const stored = tile.layouts.find((l) => l.breakpoint === breakpoint);
    const isStatic = isStaticTile(tile, breakpoint);
    if (stored) {
      const w = Math.max(1, Math.min(stored.w, cols));
      const item: LayoutItem = { i: tile.id, x: Math.max(0, Math.min(stored.x, cols - w)), y: stored.y, w, h: Math.max(1, stored.h), static: isStatic };
      (stored.y >= BOTTOM_SENTINEL_Y ? bottom : placed).push(item);
    } else {
      const w = cols >= 2 ? Math.ceil(cols / 2) : 1;
      bottom.push({ i: tile.id, x: 0, y: BOTTOM_SENTINEL_Y, w, h: DEFAULT_TILE_HEIGHT, static: isStatic });
    }
  }
  // Compacted upwards first, as the grid shows them, so that "the bottom" is below what is shown:
  // a static tile placed below a stored gap (y 20 under tiles ending at row 8) would otherwise
  // stop the tiles above the gap from rising past it.
  const compacted = verticalCompactor.compact(placed, cols).map((item) => ({ ...item }));
  let y = compacted.reduce((max, item) => Math.max(max, item.y + item.h), 0);
  for (const item of bottom) {
    item.y = y;
    y += item.h;
  }
  return [...compacted, ...bottom];
}

/**
 * Layouts for the breakpoints the stored data speaks of. A breakpoint no tile has a position for
 * is left out, so react-grid-layout derives it from the nearest larger one, as it does by design.
 */
export function buildLayouts(tiles: readonly GridTile[]): ResponsiveLayouts<BreakpointName> {
  const used = new Set(tiles.flatMap((t) => t.layouts.map((l) => l.breakpoint)).filter(isBreakpoint));
  if (used.size === 0) used.add('lg');
  const layouts: ResponsiveLayouts<BreakpointName> = {};
  for (const bp of Object.keys(BREAKPOINTS) as BreakpointName[]) {
    if (used.has(bp)) layouts[bp] = layoutFor(tiles, bp);
  }
  return layouts;
}

/** What a drag or resize changed: the tiles whose place differs, and tiles with no stored place at this breakpoint yet. */
export interface LayoutChange {
  id: string;
  item: Pick<LayoutItem, 'x' | 'y' | 'w' | 'h'>;
}

function samePlace(a: Pick<LayoutItem, 'x' | 'y' | 'w' | 'h'>, b: Pick<LayoutItem, 'x' | 'y' | 'w' | 'h'>): boolean {
  return a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;
}

/**
 * The tiles to save after a drag or resize at `breakpoint`: every movable tile the gesture moved
 * (compaction can move several), plus every movable tile that had no stored position for this
 * breakpoint, so that the arrangement the user made survives a reload (otherwise those tiles would
 * go to the bottom). Static and non-editable tiles are never saved.
 */
export function changedTiles(before: Layout, after: Layout, tiles: readonly GridTile[], breakpoint: string): LayoutChange[] {
  const previous = new Map(before.map((item) => [item.i, item]));
  const changes: LayoutChange[] = [];
  for (const item of after) {
    const tile = tiles.find((t) => t.id === item.i);
    if (!tile || isStaticTile(tile, breakpoint)) continue;
    const old = previous.get(item.i);
    const hasStored = tile.layouts.some((l) => l.breakpoint === breakpoint);
    if (!old || !samePlace(old, item) || !hasStored) {
      changes.push({ id: item.i, item: { x: item.x, y: item.y, w: item.w, h: item.h } });
    }
  }
  return changes;
}

/** A metric's layouts with one breakpoint's position replaced (its `static` kept), for PUT. */
export function withPosition(layouts: readonly StoredLayout[], breakpoint: string, item: LayoutChange['item']): StoredLayout[] {
  const existing = layouts.find((l) => l.breakpoint === breakpoint);
  const updated: StoredLayout = { breakpoint, x: item.x, y: item.y, w: item.w, h: item.h, static: existing?.static ?? null };
  return existing ? layouts.map((l) => (l.breakpoint === breakpoint ? updated : l)) : [...layouts, updated];
}
