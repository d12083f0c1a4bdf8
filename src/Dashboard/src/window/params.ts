import { WINDOW_PARAMETERS, type DefinitionParameter, type ParameterStates, type WindowParameter } from '../api/types';
import { isDate } from '../tiles/viewChoice';

/** The dashboard-wide window: what the user chose, each part optional. */
export interface DashboardWindow {
  start_date?: string;
  end_date?: string;
  day_range?: number;
  as_of?: string;
}

export const MAX_DAY_RANGE = 36500; // the API's bound for day_range

/** Which parameters apply to one metric, by name; undefined while nothing has told us yet. */
export type Applicability = ReadonlySet<string>;

export function applicabilityFromAnswer(parameters: ParameterStates): Applicability {
  return new Set(Object.entries(parameters).filter(([, p]) => p?.applicable === true).map(([name]) => name));
}

/** The definition lists exactly the parameters its SQL uses. */
export function applicabilityFromDefinition(parameters: readonly DefinitionParameter[]): Applicability {
  return new Set(parameters.map((p) => p.name));
}

export function isEmptyWindow(window: DashboardWindow): boolean {
  return WINDOW_PARAMETERS.every((name) => window[name] === undefined);
}

function valueOf(window: DashboardWindow, name: WindowParameter): string | undefined {
  const value = window[name];
  return value === undefined ? undefined : String(value);
}

/** Reads the window from a query string; invalid parts are left out and reported, never guessed. */
export function parseWindow(search: string): { window: DashboardWindow; errors: string[] } {
  const params = new URLSearchParams(search);
  const window: DashboardWindow = {};
  const errors: string[] = [];
  for (const name of ['start_date', 'end_date', 'as_of'] as const) {
    const raw = params.get(name);
    if (raw === null || raw === '') continue;
    if (isDate(raw)) window[name] = raw;
    else errors.push(`${name} "${raw}" is not a date (YYYY-MM-DD); it was ignored.`);
  }
  const days = params.get('day_range');
  if (days !== null && days !== '') {
    if (/^\d+$/.test(days) && Number(days) <= MAX_DAY_RANGE) window.day_range = Number(days);
    else errors.push(`day_range "${days}" is not a whole number of days from 0 to ${MAX_DAY_RANGE}; it was ignored.`);
  }
  if (window.start_date && window.end_date && window.start_date > window.end_date) {
    errors.push(`start_date ${window.start_date} is after end_date ${window.end_date}.`);
  }
  return { window, errors };
}

/** Writes the window into a query string, keeping any other parameters the URL carries. */
export function windowToSearch(window: DashboardWindow, currentSearch = ''): string {
  const params = new URLSearchParams(currentSearch);
  for (const name of WINDOW_PARAMETERS) {
    const value = valueOf(window, name);
    if (value === undefined) params.delete(name);
    else params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The query string for one metric: only the window's parameters that this metric reports as
 * applicable. Unknown applicability sends nothing (the caller learns it first).
 */
export function metricQuery(window: DashboardWindow, applicable: Applicability | undefined): URLSearchParams {
  const query = new URLSearchParams();
  if (!applicable) return query;
  for (const name of WINDOW_PARAMETERS) {
    const value = valueOf(window, name);
    if (value !== undefined && applicable.has(name)) query.set(name, value);
  }
  return query;
}

/** The live stream's query: every tile's id and the whole window (the server applies it where applicable). */
export function streamQuery(ids: readonly string[], window: DashboardWindow): URLSearchParams {
  const query = new URLSearchParams();
  for (const id of ids) query.append('id', id);
  for (const name of WINDOW_PARAMETERS) {
    const value = valueOf(window, name);
    if (value !== undefined) query.set(name, value);
  }
  return query;
}

/** Whether going from one window to another changes what this metric is asked. */
export function windowChangeAffects(before: DashboardWindow, after: DashboardWindow, applicable: Applicability | undefined): boolean {
  if (!applicable) return !isEmptyWindow(before) || !isEmptyWindow(after);
  return metricQuery(before, applicable).toString() !== metricQuery(after, applicable).toString();
}

/** The window a metric's answer was computed for, in words, e.g. "2025-06-01 to 2025-06-30". */
export function describeAppliedWindow(parameters: ParameterStates): string {
  const effective = (name: WindowParameter): string | null => {
    const p = parameters[name];
    if (!p?.applicable) return null;
    const v = p.value ?? p.default;
    return v === null || v === undefined ? null : String(v);
  };
  const parts: string[] = [];
  const start = effective('start_date');
  const end = effective('end_date');
  if (start && end) parts.push(`${start} to ${end}`);
  else if (start) parts.push(`from ${start}`);
  else if (end) parts.push(`until ${end}`);
  const days = effective('day_range');
  if (days !== null) parts.push(`last ${days} ${days === '1' ? 'day' : 'days'}`);
  const asOf = effective('as_of');
  if (asOf) parts.push(`as of ${asOf}`);
  return parts.length > 0 ? parts.join(', ') : 'No date window';
}
