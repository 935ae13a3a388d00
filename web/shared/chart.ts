// Charts through uPlot (small, fast, no dependencies): time series lines and bars. A chart is made
// once and fed new data at each refresh; it follows its container's width.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface SeriesSpec {
  label: string;
  color: string;
  /** How the legend and the axis write a value. */
  format?: (v: number) => string;
}

export interface ChartOptions {
  series: SeriesSpec[];
  /** Bars instead of lines (the x values are then categories such as days). */
  bars?: boolean;
  /** x values are times in seconds (uPlot's convention) unless false. */
  time?: boolean;
  yRange?: [number, number];
  height?: number;
  xLabel?: (v: number) => string;
}

export class Chart {
  private plot: uPlot | undefined;
  private data: uPlot.AlignedData = [[]];

  constructor(
    private readonly container: HTMLElement,
    private readonly options: ChartOptions
  ) {
    new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: this.options.height ?? 220 })).observe(container);
  }

  private width(): number {
    return Math.max(240, this.container.clientWidth);
  }

  /** x values, then one array per series. */
  update(x: number[], ys: (number | null)[][]): void {
    this.data = [x, ...ys] as uPlot.AlignedData;
    this.container.dataset.points = String(x.length);
    if (!this.plot) {
      this.plot = new uPlot(this.makeOptions(), this.data, this.container);
      return;
    }
    this.plot.setData(this.data);
  }

  private makeOptions(): uPlot.Options {
    const o = this.options;
    const fmt = (spec?: SeriesSpec) => (_u: uPlot, v: number | null) => (v === null ? '–' : spec?.format ? spec.format(v) : String(v));
    const bars = o.bars ? uPlot.paths.bars!({ size: [0.6, 64] }) : undefined;
    const yFormat = o.series[0]?.format;
    return {
      width: this.width(),
      height: o.height ?? 220,
      // Bars stand on whole x values (categories), with half a step of room each side.
      scales: { x: o.bars ? { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] } : { time: o.time !== false }, y: o.yRange ? { range: o.yRange } : {} },
      axes: [
        {
          ...(o.bars ? { splits: (u: uPlot) => [...(u.data[0] as number[])] } : {}),
          ...(o.xLabel ? { values: (_u: uPlot, vals: number[]) => vals.map((v) => o.xLabel!(v)) } : {})
        },
        { size: 70, values: (_u, vals) => vals.map((v) => (yFormat ? yFormat(v) : String(v))) }
      ],
      series: [
        o.xLabel ? { value: (_u, v) => (v === null ? '–' : o.xLabel!(v)) } : {},
        ...o.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          fill: o.bars ? s.color : undefined,
          width: o.bars ? 0 : 2,
          paths: bars,
          points: { show: !o.bars },
          value: fmt(s)
        }))
      ]
    };
  }
}
