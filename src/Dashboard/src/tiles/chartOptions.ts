import type { Row } from '../api/types';
import { columnLabel, formatCell } from './format';
import { timeValue, type TileView } from './viewChoice';

type ChartView = Extract<TileView, { kind: 'timeseries' | 'bars' }>;

export interface TooltipItem {
  seriesName?: string;
  name?: string;
  value?: unknown;
  axisValueLabel?: string;
  marker?: unknown;
}

/**
 * A tooltip as DOM built from text nodes: ECharts would insert a formatter's string as HTML, so
 * series names and values (which come from stored SQL and its rows) never go through a string.
 */
export function tooltipElement(items: TooltipItem | TooltipItem[], doc: Document = document): HTMLElement {
  const list = Array.isArray(items) ? items : [items];
  const root = doc.createElement('div');
  root.className = 'chart-tooltip';
  const heading = list[0]?.axisValueLabel ?? list[0]?.name;
  if (heading) {
    const title = doc.createElement('div');
    title.className = 'chart-tooltip-title';
    title.textContent = heading;
    root.appendChild(title);
  }
  for (const item of list) {
    const line = doc.createElement('div');
    const value = Array.isArray(item.value) ? item.value[item.value.length - 1] : item.value;
    line.textContent = `${item.seriesName ?? ''}: ${formatCell(value as never)}`;
    root.appendChild(line);
  }
  return root;
}

/** The ECharts option for a chart view (time axis in UTC, one series per numeric column). */
export function chartOption(view: ChartView, rows: readonly Row[]): Record<string, unknown> {
  const many = rows.length > 60;
  const common = {
    animation: false,
    useUTC: true,
    grid: { left: 8, right: 16, top: view.values.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
    legend: view.values.length > 1 ? { top: 0, type: 'plain', textStyle: { fontSize: 11 } } : undefined,
    tooltip: {
      trigger: 'axis',
      confine: true,
      renderMode: 'html',
      formatter: (params: TooltipItem | TooltipItem[]) => tooltipElement(params),
    },
    yAxis: { type: 'value', scale: false },
  };
  if (view.kind === 'timeseries') {
    const points = rows
      .map((row) => ({ t: timeValue(row[view.time] ?? null), row }))
      .filter((p): p is { t: number; row: Row } => p.t !== null)
      .sort((a, b) => a.t - b.t);
    return {
      ...common,
      xAxis: {
        type: 'time',
        // Dates have no time of day: no ticks between days.
        minInterval: view.timeKind === 'date' ? 24 * 3600 * 1000 : undefined,
        axisLabel: {
          hideOverlap: true,
          formatter: { year: '{yyyy}', month: '{MMM} {yyyy}', day: '{MMM} {d}', hour: '{HH}:{mm}', minute: '{HH}:{mm}', second: '{HH}:{mm}:{ss}' },
        },
      },
      series: view.values.map((column) => ({
        type: 'line',
        name: columnLabel(column),
        showSymbol: !many,
        sampling: 'lttb',
        connectNulls: false,
        data: points.map((p) => [p.t, typeof p.row[column] === 'number' ? p.row[column] : null]),
      })),
    };
  }
  return {
    ...common,
    tooltip: { ...common.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: rows.map((row) => formatCell(row[view.category])), axisLabel: { interval: 'auto', hideOverlap: true } },
    series: view.values.map((column) => ({
      type: 'bar',
      name: columnLabel(column),
      data: rows.map((row) => (typeof row[column] === 'number' ? row[column] : null)),
    })),
  };
}

/** The chart in words, for its accessible name. */
export function chartDescription(view: ChartView, rows: readonly Row[]): string {
  const values = view.values.map(columnLabel).join(', ');
  if (view.kind === 'timeseries') return `Line chart of ${values} by ${columnLabel(view.time)}, ${rows.length} points. The table view lists every value.`;
  return `Bar chart of ${values} by ${columnLabel(view.category)}, ${rows.length} bars. The table view lists every value.`;
}
