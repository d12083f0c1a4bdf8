import { useEffect, useMemo, useRef, useState } from 'react';
import type { Row } from '../api/types';
import { chartDescription, chartOption } from './chartOptions';
import type { ECharts } from './echarts';
import type { TileView } from './viewChoice';

interface Props {
  view: Extract<TileView, { kind: 'timeseries' | 'bars' }>;
  rows: readonly Row[];
  title: string;
}

export function TileChart({ view, rows, title }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ECharts | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const option = useMemo(() => chartOption(view, rows), [view, rows]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let disposed = false;
    let instance: ECharts | null = null;
    let observer: ResizeObserver | null = null;
    import('./echarts')
      .then(({ init }) => {
        if (disposed) return;
        instance = init(element, undefined, { renderer: 'canvas' });
        observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => instance?.resize());
        observer?.observe(element);
        setChart(instance);
      })
      .catch((error: unknown) => {
        if (!disposed) setFailed(error instanceof Error ? error.message : String(error));
      });
    return () => {
      disposed = true;
      observer?.disconnect();
      instance?.dispose();
    };
  }, []);

  useEffect(() => {
    chart?.setOption(option, { notMerge: true });
  }, [chart, option]);

  return (
    <div ref={container} className="tile-chart" role="img" aria-label={`${title}: ${chartDescription(view, rows)}`}>
      {failed && <p className="tile-note">The chart could not be drawn ({failed}); the table view shows the values.</p>}
    </div>
  );
}
