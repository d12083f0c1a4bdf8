import { describe, expect, it } from 'vitest';
import type { ParameterStates } from '../src/api/types';
import {
  applicabilityFromAnswer,
  applicabilityFromDefinition,
  describeAppliedWindow,
  isEmptyWindow,
  metricQuery,
  parseWindow,
  streamQuery,
  windowChangeAffects,
  windowToSearch,
  type DashboardWindow,
} from '../src/window/params';

// The README's example answer for "Alerts by type": only the BETWEEN window applies.
const alertsByType: ParameterStates = {
  start_date: { applicable: true, value: '2025-06-01', default: '2025-06-01' },
  end_date: { applicable: true, value: '2025-06-04', default: '2025-06-30' },
  day_range: { applicable: false, value: null, default: null },
  as_of: { applicable: false, value: null, default: null },
};
// "Cost avoided, last 30 days": INTERVAL '30' DAY and CURRENT_DATE.
const rolling: ParameterStates = {
  start_date: { applicable: false, value: null, default: null },
  end_date: { applicable: false, value: null, default: null },
  day_range: { applicable: true, value: 30, default: 30 },
  as_of: { applicable: true, value: '2026-12-01', default: '2026-12-01' },
};

const everything: DashboardWindow = { start_date: '2025-06-01', end_date: '2025-06-10', day_range: 7, as_of: '2025-06-30' };

describe('metricQuery', () => {
  it('sends a metric only the parameters it reports as applicable', () => {
    expect(metricQuery(everything, applicabilityFromAnswer(alertsByType)).toString()).toBe('start_date=2025-06-01&end_date=2025-06-10');
    expect(metricQuery(everything, applicabilityFromAnswer(rolling)).toString()).toBe('day_range=7&as_of=2025-06-30');
  });

  it('sends nothing while applicability is unknown, and nothing for an empty window', () => {
    expect(metricQuery(everything, undefined).toString()).toBe('');
    expect(metricQuery({}, applicabilityFromAnswer(alertsByType)).toString()).toBe('');
  });

  it('sends only the applicable parts the window sets', () => {
    expect(metricQuery({ end_date: '2025-06-15', day_range: 3 }, applicabilityFromAnswer(alertsByType)).toString()).toBe('end_date=2025-06-15');
  });

  it('learns applicability from a definition parameter list too', () => {
    const applicable = applicabilityFromDefinition([{ name: 'day_range', type: 'integer', default_value: 30 }]);
    expect(metricQuery(everything, applicable).toString()).toBe('day_range=7');
  });

  it('reads a parameter missing from the answer as not applicable', () => {
    expect(metricQuery(everything, applicabilityFromAnswer({ as_of: { applicable: true, value: null, default: null } })).toString()).toBe('as_of=2025-06-30');
  });
});

describe('streamQuery', () => {
  it('names every tile and carries the whole window (the server applies it where applicable)', () => {
    expect(streamQuery(['a', 'b'], { day_range: 5 }).toString()).toBe('id=a&id=b&day_range=5');
  });
});

describe('windowChangeAffects', () => {
  const byType = applicabilityFromAnswer(alertsByType);
  const byDays = applicabilityFromAnswer(rolling);

  it('refetches only metrics for which an applicable parameter changed', () => {
    expect(windowChangeAffects({}, { day_range: 7 }, byType)).toBe(false);
    expect(windowChangeAffects({}, { day_range: 7 }, byDays)).toBe(true);
    expect(windowChangeAffects({ start_date: '2025-06-01' }, { start_date: '2025-06-02' }, byType)).toBe(true);
    expect(windowChangeAffects({ start_date: '2025-06-01' }, { start_date: '2025-06-01', as_of: '2025-01-01' }, byType)).toBe(false);
  });

  it('refetches a metric of unknown applicability whenever a window is involved', () => {
    expect(windowChangeAffects({}, { day_range: 7 }, undefined)).toBe(true);
    expect(windowChangeAffects({}, {}, undefined)).toBe(false);
  });
});

describe('the window in the URL', () => {
  it('round-trips through the query string', () => {
    const search = windowToSearch(everything);
    expect(search).toBe('?start_date=2025-06-01&end_date=2025-06-10&day_range=7&as_of=2025-06-30');
    expect(parseWindow(search)).toEqual({ window: everything, errors: [] });
  });

  it('keeps other parameters and drops cleared parts', () => {
    expect(windowToSearch({ day_range: 0 }, '?theme=dark&start_date=2025-01-01')).toBe('?theme=dark&day_range=0');
    expect(windowToSearch({}, '?start_date=2025-01-01')).toBe('');
  });

  it('leaves out and reports invalid parts instead of guessing', () => {
    const { window, errors } = parseWindow('?start_date=2025-02-30&day_range=-1&as_of=2025-06-30&end_date=x');
    expect(window).toEqual({ as_of: '2025-06-30' });
    expect(errors).toHaveLength(3);
    expect(parseWindow('?day_range=36501').window).toEqual({});
    expect(parseWindow('?day_range=36500').window).toEqual({ day_range: 36500 });
  });

  it('reports a start after the end', () => {
    expect(parseWindow('?start_date=2025-06-10&end_date=2025-06-01').errors).toEqual(['start_date 2025-06-10 is after end_date 2025-06-01.']);
  });

  it('tells an empty window', () => {
    expect(isEmptyWindow({})).toBe(true);
    expect(isEmptyWindow({ day_range: 0 })).toBe(false);
  });
});

describe('describeAppliedWindow', () => {
  it('says the window the answer was computed for', () => {
    expect(describeAppliedWindow(alertsByType)).toBe('2025-06-01 to 2025-06-04');
    expect(describeAppliedWindow(rolling)).toBe('last 30 days, as of 2026-12-01');
    expect(describeAppliedWindow({ day_range: { applicable: true, value: null, default: 1 } })).toBe('last 1 day');
    expect(describeAppliedWindow({})).toBe('No date window');
  });
});
