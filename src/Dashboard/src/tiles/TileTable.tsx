import type { Row } from '../api/types';
import { formatCell } from './format';
import { describeColumns } from './viewChoice';

/** Rows beyond this are counted, not drawn: a tile is not a spreadsheet (the API caps at 10,000 rows). */
export const MAX_TABLE_ROWS = 500;

export function TileTable({ rows, caption }: { rows: readonly Row[]; caption: string }) {
  if (rows.length === 0) return <p className="tile-empty">No rows for this window.</p>;
  const columns = describeColumns(rows);
  const shown = rows.slice(0, MAX_TABLE_ROWS);
  return (
    <div className="tile-table-wrap" tabIndex={0} role="region" aria-label={`${caption}: table`}>
      <table className="tile-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.name} scope="col" className={c.kind === 'number' ? 'num' : undefined}>
                {c.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((row, index) => (
            <tr key={index}>
              {columns.map((c) => (
                <td key={c.name} className={c.kind === 'number' ? 'num' : undefined}>
                  {formatCell(row[c.name])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown.length && (
        <p className="tile-note">
          Showing the first {shown.length} of {rows.length} rows.
        </p>
      )}
    </div>
  );
}
