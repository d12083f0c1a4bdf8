// ECharts, tree-shaken to what the tiles draw (lines, bars, their grid, legend and tooltip, on
// canvas) and loaded as its own chunk, so the page shell and tables show before the charts arrive.
import { init, use } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { init };
export type { ECharts } from 'echarts/core';
