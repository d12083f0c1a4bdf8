import type { CellValue, Row } from '../api/types';

/** What a column holds, judged from all of its non-null values. */
export type ColumnKind = 'date' | 'timestamp' | 'number' | 'text' | 'empty' | 'other';

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
}

export type TileView =
  | { kind: 'timeseries'; time: string; timeKind: 'date' | 'timestamp'; values: string[] }
  | { kind: 'bars'; category: string; values: string[] }
  | { kind: 'figure'; column: string; value: number }
  | { kind: 'table'; reason: TableReason };

export type TableReason = 'no-rows' | 'shape' | 'too-many-categories';

/** Beyond this many bars a chart stops being readable in a tile; the table says it better. */
export const MAX_BARS = 100;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// ISO 8601 date-time as the API writes timestamps (UTC "Z"), also with an offset or without one.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export function isTimestamp(value: string): boolean {
  return TIMESTAMP.test(value) && isDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));
}

function kindOf(value: CellValue): ColumnKind {
  if (typeof value === 'number') return Number.isFinite(value) ? 'number' : 'other';
  if (typeof value === 'string') {
    if (isDate(value)) return 'date';
    if (isTimestamp(value)) return 'timestamp';
    // A numeric string stays text: the API sends numerics as JSON numbers, so a string of digits is
    // a code or a label ("007", "2025"), not a measure to plot.
    return 'text';
  }
  return 'other';
}

/** Columns in order of first appearance, each with the kind all its non-null values share. */
export function describeColumns(rows: readonly Row[]): ColumnInfo[] {
  const kinds = new Map<string, ColumnKind>();
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      const seen = kinds.get(name) ?? 'empty';
      if (value === null || value === undefined) {
        if (!kinds.has(name)) kinds.set(name, 'empty');
        continue;
      }
      const kind = kindOf(value);
      if (seen === 'empty' || seen === kind) kinds.set(name, kind);
      // Dates and timestamps mixed in one column are still a time axis.
      else if ((seen === 'date' && kind === 'timestamp') || (seen === 'timestamp' && kind === 'date')) kinds.set(name, 'timestamp');
      // Text that merely looks like dates in some rows is text.
      else if ((seen === 'text' && (kind === 'date' || kind === 'timestamp')) || (kind === 'text' && (seen === 'date' || seen === 'timestamp'))) kinds.set(name, 'text');
      else kinds.set(name, 'other');
    }
  }
  return [...kinds].map(([name, kind]) => ({ name, kind }));
}

/**
 * The view a tile shows for its rows (docs: src/Dashboard/README.md, "Which view a tile shows"):
 * one row of one number → a big figure; one date or timestamp column plus numbers → a time series;
 * one text column plus numbers → bars; anything else (no rows, an all-null column, two time
 * columns, booleans, mixed types) → the table.
 */
export function chooseView(rows: readonly Row[]): TileView {
  if (rows.length === 0) return { kind: 'table', reason: 'no-rows' };
  const columns = describeColumns(rows);
  const of = (kind: ColumnKind) => columns.filter((c) => c.kind === kind);
  const numbers = of('number');
  const times = [...of('date'), ...of('timestamp')];
  const texts = of('text');
  const others = columns.length - numbers.length - times.length - texts.length;

  if (others > 0 || numbers.length === 0) return { kind: 'table', reason: 'shape' };

  if (rows.length === 1 && columns.length === 1 && numbers.length === 1) {
    const value = rows[0]![numbers[0]!.name];
    if (typeof value === 'number') return { kind: 'figure', column: numbers[0]!.name, value };
  }

  if (times.length === 1 && texts.length === 0) {
    const time = times[0]!;
    return { kind: 'timeseries', time: time.name, timeKind: time.kind === 'date' ? 'date' : 'timestamp', values: numbers.map((c) => c.name) };
  }

  if (texts.length === 1 && times.length === 0) {
    if (rows.length > MAX_BARS) return { kind: 'table', reason: 'too-many-categories' };
    return { kind: 'bars', category: texts[0]!.name, values: numbers.map((c) => c.name) };
  }

  return { kind: 'table', reason: 'shape' };
}

/** Milliseconds since the epoch for a date ("YYYY-MM-DD" is midnight UTC) or a timestamp. */
export function timeValue(value: CellValue): number | null {
  if (typeof value !== 'string') return null;
  const t = isDate(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  return Number.isNaN(t) ? null : t;
}
