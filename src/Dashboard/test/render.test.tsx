// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MetricAnswer } from '../src/api/types';
import type { TileState } from '../src/dashboard/controller';
import { chartOption, tooltipElement } from '../src/tiles/chartOptions';
import { Tile } from '../src/tiles/Tile';

// ECharts draws on canvas, which jsdom lacks; the chart's own output is checked through its option.
vi.mock('../src/tiles/TileChart', () => ({
  TileChart: ({ title, view }: { title: string; view: { kind: string } }) => <div role="img" aria-label={`${title} ${view.kind}`} data-chart={view.kind} />,
}));

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

function answer(overrides: Partial<MetricAnswer> = {}): MetricAnswer {
  return {
    id: 'm1',
    title: 'Alerts by type',
    is_editable: true,
    parameters: {
      start_date: { applicable: true, value: '2025-06-01', default: '2025-06-01' },
      end_date: { applicable: true, value: '2025-06-30', default: '2025-06-30' },
    },
    records: [
      { alert_type: 'Critical', total_alerts: 1 },
      { alert_type: 'Warning', total_alerts: 2 },
    ],
    truncated: false,
    layouts: [],
    ...overrides,
  };
}

function tile(overrides: Partial<TileState> = {}): TileState {
  const a = overrides.answer === undefined ? answer() : overrides.answer;
  return { id: 'm1', title: a?.title ?? 'Metric', isEditable: true, state: 'ready', answer: a, etag: '"e"', problem: null, notice: null, applicable: undefined, ...overrides };
}

afterEach(() => cleanup());

describe('Tile', () => {
  it('carries the testing contract: data-metric-id and data-state', () => {
    const { container, rerender } = render(<Tile tile={tile({ state: 'loading', answer: null, title: 'Loading one' })} draggable={false} />);
    const section = container.querySelector('[data-metric-id="m1"]')!;
    expect(section.getAttribute('data-state')).toBe('loading');
    rerender(<Tile tile={tile()} draggable={false} />);
    expect(section.getAttribute('data-state')).toBe('ready');
    rerender(<Tile tile={tile({ state: 'error', problem: { title: 'Query timed out', detail: 'After 10 s.' } })} draggable={false} />);
    expect(section.getAttribute('data-state')).toBe('error');
  });

  it('says which view it shows in data-view, for the browser tests', () => {
    const { container, rerender } = render(<Tile tile={tile({ state: 'loading', answer: null })} draggable={false} />);
    const section = container.querySelector('[data-metric-id="m1"]')!;
    expect(section.hasAttribute('data-view')).toBe(false);
    rerender(<Tile tile={tile()} draggable={false} />);
    expect(section.getAttribute('data-view')).toBe('bars');
    fireEvent.click(screen.getByRole('button', { name: 'Table' }));
    expect(section.getAttribute('data-view')).toBe('table');
    fireEvent.click(screen.getByRole('button', { name: 'Chart' }));
    rerender(<Tile tile={tile({ answer: answer({ records: [{ critical_alerts: 3 }] }) })} draggable={false} />);
    expect(section.getAttribute('data-view')).toBe('figure');
  });

  it('shows the title, the applied window and truncated', () => {
    render(<Tile tile={tile({ answer: answer({ truncated: true }) })} draggable={false} />);
    expect(screen.getByRole('heading', { name: 'Alerts by type' })).toBeTruthy();
    expect(screen.getByText('2025-06-01 to 2025-06-30')).toBeTruthy();
    expect(screen.getByText('Truncated: first 2 rows')).toBeTruthy();
  });

  it('shows errors as the problem details say them', () => {
    render(<Tile tile={tile({ state: 'error', problem: { title: 'Query failed', detail: 'division by zero' } })} draggable={false} />);
    expect(screen.getByRole('alert').textContent).toBe('Query failed division by zero');
  });

  it('picks the chart from the rows and switches to the table and back', () => {
    const { container } = render(<Tile tile={tile()} draggable={false} />);
    expect(container.querySelector('[data-chart="bars"]')).not.toBeNull();
    const toggle = screen.getByRole('button', { name: 'Table' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(toggle);
    expect(container.querySelector('[data-chart]')).toBeNull();
    expect(screen.getByRole('table')).toBeTruthy();
    expect(screen.getByRole('cell', { name: 'Warning' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Chart' }));
    expect(container.querySelector('[data-chart="bars"]')).not.toBeNull();
  });

  it('shows one number as a big figure', () => {
    render(<Tile tile={tile({ answer: answer({ records: [{ critical_alerts: 1234.5 }] }) })} draggable={false} />);
    expect(screen.getByRole('img', { name: 'Critical alerts: 1,234.5' })).toBeTruthy();
  });

  it('renders a hostile title, values, problem and notice as text, never as HTML', () => {
    const hostile = answer({ title: HOSTILE, records: [{ [HOSTILE]: HOSTILE, n: 1 }] });
    const { container } = render(
      <Tile
        tile={tile({ title: HOSTILE, answer: hostile, state: 'error', problem: { title: HOSTILE, detail: HOSTILE }, notice: HOSTILE })}
        draggable={false}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Table' }));
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByRole('heading').textContent).toBe(HOSTILE);
    expect(screen.getAllByText(HOSTILE).length).toBeGreaterThanOrEqual(4); // heading, problem title, notice, table cell
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('says so when a tile has no rows', () => {
    render(<Tile tile={tile({ answer: answer({ records: [] }) })} draggable={false} />);
    expect(screen.getByText('No rows for this window.')).toBeTruthy();
  });
});

describe('chart tooltips', () => {
  it('are built from text nodes, so a hostile series name or category stays text', () => {
    const element = tooltipElement([{ axisValueLabel: HOSTILE, seriesName: HOSTILE, value: 3 }]);
    expect(element.querySelector('img')).toBeNull();
    expect(element.textContent).toBe(`${HOSTILE}${HOSTILE}: 3`);
  });

  it('are what the chart option uses', () => {
    const option = chartOption({ kind: 'bars', category: 'k', values: ['v'] }, [{ k: HOSTILE, v: 1 }]) as { tooltip: { formatter: (p: unknown) => unknown } };
    const result = option.tooltip.formatter([{ name: HOSTILE, seriesName: 'V', value: 1 }]);
    expect(result).toBeInstanceOf(HTMLElement);
    expect((result as HTMLElement).querySelector('img')).toBeNull();
  });

  it('put time series on a UTC time axis in time order, with gaps for nulls', () => {
    const option = chartOption({ kind: 'timeseries', time: 'day', timeKind: 'date', values: ['v'] }, [
      { day: '2025-06-02', v: null },
      { day: '2025-06-01', v: 5 },
    ]) as { useUTC: boolean; xAxis: { type: string }; series: { data: unknown[] }[] };
    expect(option.useUTC).toBe(true);
    expect(option.xAxis.type).toBe('time');
    expect(option.series[0]!.data).toEqual([
      [Date.UTC(2025, 5, 1), 5],
      [Date.UTC(2025, 5, 2), null],
    ]);
  });
});
