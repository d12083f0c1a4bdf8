import { useMemo, useState } from 'react';
import type { Problem } from '../api/types';
import type { TileState } from '../dashboard/controller';
import { describeAppliedWindow } from '../window/params';
import { columnLabel, formatCell } from './format';
import { TileChart } from './TileChart';
import { TileTable } from './TileTable';
import { chooseView } from './viewChoice';

export function ProblemText({ problem }: { problem: Problem }) {
  return (
    <div className="tile-problem" role="alert">
      <strong>{problem.title ?? 'Error'}</strong>
      {problem.detail ? <span> {problem.detail}</span> : null}
    </div>
  );
}

interface Props {
  tile: TileState;
  draggable: boolean;
  onDismissNotice?: (id: string) => void;
}

/** One metric: its title, the window its answer applies, its chart or table, and what went wrong, all as text. */
export function Tile({ tile, draggable, onDismissNotice }: Props) {
  const [asTable, setAsTable] = useState(false);
  const answer = tile.answer;
  const rows = useMemo(() => answer?.records ?? [], [answer]);
  const view = useMemo(() => chooseView(rows), [rows]);
  const titleId = `tile-title-${tile.id}`;
  const canChart = view.kind !== 'table';
  const showTable = asTable || !canChart;

  return (
    <section
      className={`tile tile-${tile.state}`}
      data-metric-id={tile.id}
      data-state={tile.state}
      data-view={answer ? (showTable ? 'table' : view.kind) : undefined}
      aria-labelledby={titleId}
      aria-busy={tile.state === 'loading'}
    >
      <header className={`tile-header${draggable ? ' tile-drag-handle' : ''}`}>
        <h2 id={titleId} className="tile-title" title={tile.title}>
          {tile.title}
        </h2>
        {canChart && answer && (
          <button type="button" className="tile-toggle" aria-pressed={asTable} onClick={() => setAsTable((v) => !v)}>
            {asTable ? 'Chart' : 'Table'}
          </button>
        )}
      </header>
      <div className="tile-meta">
        {answer && <span className="tile-window">{describeAppliedWindow(answer.parameters)}</span>}
        {answer?.truncated && (
          <span className="tile-truncated" title="The API's row cap applied: the answer holds the first rows only.">
            Truncated: first {rows.length} rows
          </span>
        )}
        {tile.state === 'loading' && <span className="tile-loading">Loading…</span>}
        {!draggable && !tile.isEditable && <span className="tile-fixed">Fixed</span>}
      </div>
      {tile.notice && (
        <div className="tile-notice" role="status">
          <span>{tile.notice}</span>
          {onDismissNotice && (
            <button type="button" className="link-button" onClick={() => onDismissNotice(tile.id)} aria-label={`Dismiss the notice on ${tile.title}`}>
              Dismiss
            </button>
          )}
        </div>
      )}
      {tile.state === 'error' && tile.problem && <ProblemText problem={tile.problem} />}
      <div className="tile-body">
        {answer &&
          (showTable ? (
            <TileTable rows={rows} caption={tile.title} />
          ) : view.kind === 'figure' ? (
            <div className="tile-figure" aria-label={`${columnLabel(view.column)}: ${formatCell(view.value)}`} role="img">
              <span className="tile-figure-value">{formatCell(view.value)}</span>
              <span className="tile-figure-label">{columnLabel(view.column)}</span>
            </div>
          ) : view.kind === 'timeseries' || view.kind === 'bars' ? (
            <TileChart view={view} rows={rows} title={tile.title} />
          ) : null)}
      </div>
    </section>
  );
}
