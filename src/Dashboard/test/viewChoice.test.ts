import { describe, expect, it } from 'vitest';
import { MAX_BARS, chooseView, describeColumns, isDate, isTimestamp, timeValue } from '../src/tiles/viewChoice';

describe('chooseView', () => {
  it('shows the table for no rows', () => {
    expect(chooseView([])).toEqual({ kind: 'table', reason: 'no-rows' });
  });

  it('shows a time series for a date column plus a number (the sample "cost avoided" shape)', () => {
    const rows = [
      { day: '2025-06-01', cost_avoided: 120.5 },
      { day: '2025-06-02', cost_avoided: 80 },
    ];
    expect(chooseView(rows)).toEqual({ kind: 'timeseries', time: 'day', timeKind: 'date', values: ['cost_avoided'] });
  });

  it('shows a time series for a timestamp column, told apart from dates', () => {
    const rows = [
      { at: '2025-06-01T08:15:00Z', n: 1 },
      { at: '2025-06-01T09:15:00.5+02:00', n: 2 },
    ];
    expect(chooseView(rows)).toEqual({ kind: 'timeseries', time: 'at', timeKind: 'timestamp', values: ['n'] });
  });

  it('treats a column mixing dates and timestamps as a timestamp axis', () => {
    const rows = [
      { at: '2025-06-01', n: 1 },
      { at: '2025-06-02T10:00:00Z', n: 2 },
    ];
    expect(chooseView(rows)).toMatchObject({ kind: 'timeseries', timeKind: 'timestamp' });
  });

  it('draws one line per numeric column', () => {
    const rows = [{ day: '2025-06-01', a: 1, b: 2, c: 3.5 }];
    expect(chooseView(rows)).toEqual({ kind: 'timeseries', time: 'day', timeKind: 'date', values: ['a', 'b', 'c'] });
  });

  it('keeps nulls inside a numeric column (gaps in the line)', () => {
    const rows = [
      { day: '2025-06-01', v: null },
      { day: '2025-06-02', v: 3 },
    ];
    expect(chooseView(rows)).toMatchObject({ kind: 'timeseries', values: ['v'] });
  });

  it('shows bars for a text column plus a number (the sample "alerts by type" shape)', () => {
    const rows = [
      { alert_type: 'Critical', total_alerts: 1 },
      { alert_type: 'Warning', total_alerts: 1 },
    ];
    expect(chooseView(rows)).toEqual({ kind: 'bars', category: 'alert_type', values: ['total_alerts'] });
  });

  it('shows grouped bars for a text column plus several numbers', () => {
    expect(chooseView([{ k: 'a', x: 1, y: 2 }])).toEqual({ kind: 'bars', category: 'k', values: ['x', 'y'] });
  });

  it('shows one bar for a single row of text plus a number, not a figure', () => {
    expect(chooseView([{ alert_category: 'Need Approval', alerts: 4 }])).toMatchObject({ kind: 'bars' });
  });

  it('gives up bars for the table beyond MAX_BARS categories', () => {
    const rows = Array.from({ length: MAX_BARS + 1 }, (_, i) => ({ k: `c${i}`, v: i }));
    expect(chooseView(rows)).toEqual({ kind: 'table', reason: 'too-many-categories' });
    expect(chooseView(rows.slice(0, MAX_BARS))).toMatchObject({ kind: 'bars' });
  });

  it('shows a big figure for one row with one number', () => {
    expect(chooseView([{ critical_alerts: 7 }])).toEqual({ kind: 'figure', column: 'critical_alerts', value: 7 });
    expect(chooseView([{ total: 0 }])).toEqual({ kind: 'figure', column: 'total', value: 0 });
  });

  it('does not show a figure for one null, or for one number over several rows', () => {
    expect(chooseView([{ total: null }])).toEqual({ kind: 'table', reason: 'shape' });
    expect(chooseView([{ total: 1 }, { total: 2 }])).toEqual({ kind: 'table', reason: 'shape' });
  });

  it('reads numeric strings as text, not numbers', () => {
    expect(chooseView([{ n: '5' }])).toEqual({ kind: 'table', reason: 'shape' });
    expect(chooseView([{ code: '007', v: 3 }])).toMatchObject({ kind: 'bars', category: 'code' });
    expect(chooseView([{ day: '2025-06-01', v: '3' }])).toEqual({ kind: 'table', reason: 'shape' });
  });

  it('shows the table for shapes it cannot chart', () => {
    // text only
    expect(chooseView([{ a: 'x' }])).toEqual({ kind: 'table', reason: 'shape' });
    // a date, a text and a number: which would be the series?
    expect(chooseView([{ day: '2025-06-01', kind: 'a', v: 1 }])).toEqual({ kind: 'table', reason: 'shape' });
    // two time columns
    expect(chooseView([{ from: '2025-06-01', to: '2025-06-02', v: 1 }])).toEqual({ kind: 'table', reason: 'shape' });
    // two text columns
    expect(chooseView([{ a: 'x', b: 'y', v: 1 }])).toEqual({ kind: 'table', reason: 'shape' });
    // booleans and objects
    expect(chooseView([{ ok: true, v: 1 }])).toEqual({ kind: 'table', reason: 'shape' });
    expect(chooseView([{ j: { a: 1 }, v: 1 }])).toEqual({ kind: 'table', reason: 'shape' });
    // a column that is null in every row
    expect(chooseView([{ day: '2025-06-01', v: 1, w: null }])).toEqual({ kind: 'table', reason: 'shape' });
    // numbers and text mixed in one column
    expect(chooseView([{ k: 'a', v: 1 }, { k: 'b', v: 'two' }])).toEqual({ kind: 'table', reason: 'shape' });
  });

  it('reads text that looks like a date in only some rows as text', () => {
    expect(describeColumns([{ k: '2025-06-01' }, { k: 'later' }])).toEqual([{ name: 'k', kind: 'text' }]);
    expect(describeColumns([{ k: 'later' }, { k: '2025-06-01' }])).toEqual([{ name: 'k', kind: 'text' }]);
  });

  it('lists columns in order of first appearance, also those missing from the first row', () => {
    expect(describeColumns([{ a: 1 }, { b: 'x', a: 2 }]).map((c) => c.name)).toEqual(['a', 'b']);
  });
});

describe('dates and timestamps', () => {
  it('accepts only real calendar dates', () => {
    expect(isDate('2025-06-30')).toBe(true);
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('2025-02-29')).toBe(false);
    expect(isDate('2025-13-01')).toBe(false);
    expect(isDate('2025-6-1')).toBe(false);
    expect(isTimestamp('2025-06-30')).toBe(false);
    expect(isTimestamp('2025-06-30T24:61:00Z')).toBe(false);
    expect(isTimestamp('2025-06-30T10:00:00Z')).toBe(true);
  });

  it('places a date at midnight UTC', () => {
    expect(timeValue('2025-06-01')).toBe(Date.UTC(2025, 5, 1));
    expect(timeValue('2025-06-01T10:00:00Z')).toBe(Date.UTC(2025, 5, 1, 10));
    expect(timeValue(null)).toBeNull();
    expect(timeValue('soon')).toBeNull();
  });
});
