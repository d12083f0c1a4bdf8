import { useCallback, useMemo, useRef } from 'react';
import { Responsive, getBreakpointFromWidth, useContainerWidth, type Layout, type ResponsiveLayouts } from 'react-grid-layout';
import type { TileState } from '../dashboard/controller';
import { Tile } from '../tiles/Tile';
import { BREAKPOINTS, COLS, buildLayouts, changedTiles, isStaticTile, type BreakpointName, type GridTile, type LayoutChange } from './layouts';

interface Props {
  tiles: readonly TileState[];
  /** Whether this user may move tiles (the API decides in the end). */
  editable: boolean;
  layoutRevision: number;
  onSave: (changes: LayoutChange[], breakpoint: string) => void;
  onDismissNotice: (id: string) => void;
}

export const ROW_HEIGHT = 80;

function gridTiles(tiles: readonly TileState[]): GridTile[] {
  return tiles.map((t) => ({ id: t.id, isEditable: t.isEditable, layouts: t.answer?.layouts ?? [] }));
}

/** The tiles on react-grid-layout's responsive grid, at their stored positions for the current breakpoint. */
export function DashboardGrid({ tiles, editable, layoutRevision, onSave, onDismissNotice }: Props) {
  const { width, containerRef, mounted } = useContainerWidth();
  const before = useRef<Layout | null>(null);
  const grid = useMemo(() => gridTiles(tiles), [tiles]);
  // The same computation the grid makes, so saves name the breakpoint the user sees.
  const breakpoint = getBreakpointFromWidth(BREAKPOINTS, width) as BreakpointName;

  // The grid keeps its own state while the user drags; it is given the stored positions again only
  // when they change (an answer, a save, a move elsewhere) or a save is refused (layoutRevision).
  const storedKey = JSON.stringify(grid.map((t) => [t.id, t.isEditable, t.layouts])) + `#${layoutRevision}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const layouts = useMemo<ResponsiveLayouts<BreakpointName>>(() => buildLayouts(grid), [storedKey]);

  const onStart = useCallback((layout: Layout) => {
    before.current = layout;
  }, []);
  const onStop = useCallback(
    (layout: Layout) => {
      const start = before.current;
      before.current = null;
      if (!start) return;
      const changes = changedTiles(start, layout, grid, breakpoint);
      if (changes.length > 0) onSave(changes, breakpoint);
    },
    [grid, breakpoint, onSave],
  );

  return (
    <div ref={containerRef} className="grid-container">
      {mounted && (
        <Responsive
          width={width}
          breakpoints={BREAKPOINTS}
          cols={COLS}
          layouts={layouts}
          rowHeight={ROW_HEIGHT}
          margin={[12, 12]}
          dragConfig={{ enabled: editable, handle: '.tile-drag-handle', cancel: 'button, a, input, select, textarea' }}
          resizeConfig={{ enabled: editable }}
          onDragStart={onStart}
          onDragStop={onStop}
          onResizeStart={onStart}
          onResizeStop={onStop}
        >
          {tiles.map((tile) => {
            const movable = editable && !isStaticTile({ id: tile.id, isEditable: tile.isEditable, layouts: tile.answer?.layouts ?? [] }, breakpoint);
            return (
              <div key={tile.id} className="grid-cell">
                <Tile tile={tile} draggable={movable} onDismissNotice={onDismissNotice} />
              </div>
            );
          })}
        </Responsive>
      )}
    </div>
  );
}
