// Charts drawn from their table twins: each <figure data-chart data-for=TABLE> reads the numbers
// from the rows' data-x / data-y (and data-y2) attributes, so the chart can
// never show anything the table does not.
import uPlot from 'uplot';

type Kind = 'bars' | 'scatter' | 'burnup';

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

function rows(table: HTMLTableElement): HTMLTableRowElement[] {
  return Array.from(table.tBodies[0]?.rows ?? []);
}

function num(v: string | undefined): number | null {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function axes(xTime: boolean, labels?: string[]): uPlot.Axis[] {
  const stroke = css('--muted');
  const grid = { stroke: css('--line'), width: 1 };
  return [
    {
      stroke,
      grid,
      ticks: grid,
      ...(labels ? { values: (_u: uPlot, ticks: number[]) => ticks.map((t) => labels[t] ?? '') } : {}),
      ...(xTime ? {} : {}),
    },
    { stroke, grid, ticks: grid },
  ];
}

function options(fig: HTMLElement, kind: Kind, xTime: boolean, labels?: string[]): uPlot.Options {
  const width = Math.max(240, fig.clientWidth);
  const accent = css('--accent');
  const base = { width, height: 220, legend: { show: kind === 'burnup' }, cursor: { drag: { x: false, y: false } }, scales: { x: { time: xTime } }, axes: axes(xTime, labels) };
  if (kind === 'bars') {
    return {
      ...base,
      scales: { x: { time: false, range: (_u, min, max) => [min - 0.6, max + 0.6] } },
      series: [{}, { label: 'minutes', fill: accent, stroke: accent, paths: uPlot.paths.bars!({ size: [0.6, 48] }), points: { show: false } }],
    };
  }
  if (kind === 'scatter') {
    return { ...base, series: [{}, { label: 'minutes', stroke: accent, paths: () => null, points: { show: true, size: 7, fill: accent } }] };
  }
  const band = css('--band');
  // The forecast window (P50 to P85 completion dates) as a shaded band behind the lines.
  const p50 = num(fig.dataset.p50);
  const p85 = num(fig.dataset.p85);
  return {
    ...base,
    scales: {
      // From the data, not uPlot's padding: a single day would otherwise span years.
      x: {
        time: true,
        range: (u) => {
          const xs = u.data[0] as number[];
          const lo = xs[0] ?? 0;
          const hi = Math.max(xs[xs.length - 1] ?? lo, p85 ?? lo);
          const pad = Math.max(86_400, (hi - lo) * 0.03);
          return [lo - pad, hi + pad];
        },
      },
      y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.08] },
    },
    series: [{}, { label: 'done', stroke: accent, width: 2 }, { label: 'scope', stroke: css('--warn'), width: 2, dash: [6, 4] }],
    hooks: {
      drawClear: [
        (u: uPlot) => {
          if (p50 === null || p85 === null) return;
          const x0 = u.valToPos(p50, 'x', true);
          const x1 = u.valToPos(p85, 'x', true);
          u.ctx.save();
          u.ctx.fillStyle = band;
          u.ctx.fillRect(x0, u.bbox.top, Math.max(2, x1 - x0), u.bbox.height);
          u.ctx.restore();
        },
      ],
    },
  };
}

const charts = new Map<HTMLElement, uPlot>();

function draw(): void {
  for (const [fig, plot] of charts) {
    plot.destroy();
    charts.delete(fig);
  }
  for (const fig of Array.from(document.querySelectorAll<HTMLElement>('figure[data-chart]'))) {
    const table = document.getElementById(fig.dataset.for ?? '') as HTMLTableElement | null;
    if (!table) continue;
    const kind = fig.dataset.chart as Kind;
    const rs = rows(table);
    if (rs.length === 0) continue;
    let data: uPlot.AlignedData;
    let labels: string[] | undefined;
    if (kind === 'bars') {
      labels = rs.map((r) => r.dataset.label ?? '');
      data = [rs.map((_r, i) => i), rs.map((r) => num(r.dataset.y))];
    } else if (kind === 'scatter') {
      data = [rs.map((r) => num(r.dataset.x) ?? 0), rs.map((r) => num(r.dataset.y))];
    } else {
      data = [rs.map((r) => num(r.dataset.x) ?? 0), rs.map((r) => num(r.dataset.y)), rs.map((r) => num(r.dataset.y2))];
    }
    const xTime = fig.dataset.xKind === 'time';
    charts.set(fig, new uPlot(options(fig, kind, xTime, labels), data, fig));
  }
}

draw();
document.addEventListener('cairn:updated', draw);
document.addEventListener('cairn:theme', draw);
let resize: number | undefined;
addEventListener('resize', () => {
  clearTimeout(resize);
  resize = window.setTimeout(draw, 150);
});
