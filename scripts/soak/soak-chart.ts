/**
 * The soak's report page: one inline SVG line chart per figure (a line per role) and the verdict
 * table, in a single HTML file with no script and no dependency.
 * @module
 */
import type { LeakVerdict } from './soak-stats';
import type { SoakSample } from './soak-sample';

type Figure =
  | 'rssBytes'
  | 'heapUsedBytes'
  | 'heapAfterGcBytes'
  | 'eventLoopLagP99Seconds'
  | 'activeHandles'
  | 'dbConnections';

const FIGURES: readonly { key: Figure; title: string; unit: string; scale: number }[] = [
  {
    key: 'heapAfterGcBytes',
    title: 'V8 heap used after the latest major GC',
    unit: 'MiB',
    scale: 1 / 1024 / 1024,
  },
  { key: 'heapUsedBytes', title: 'V8 heap used (as sampled)', unit: 'MiB', scale: 1 / 1024 / 1024 },
  { key: 'rssBytes', title: 'Resident set size', unit: 'MiB', scale: 1 / 1024 / 1024 },
  { key: 'eventLoopLagP99Seconds', title: 'Event-loop delay p99', unit: 'ms', scale: 1000 },
  { key: 'activeHandles', title: 'Active handles', unit: 'handles', scale: 1 },
  { key: 'dbConnections', title: 'PostgreSQL connections (pg_stat_activity)', unit: 'connections', scale: 1 },
];

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 60, right: 150, top: 24, bottom: 30 };

export interface RoleVerdict {
  readonly role: string;
  readonly verdict: LeakVerdict | undefined;
  /** Which heap the verdict fitted: `after GC` (after the latest major GC) or `used` (as sampled). */
  readonly series?: 'after GC' | 'used';
  /** Why there is no verdict (too few samples), when there is none. */
  readonly missing?: string;
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const round = (value: number) => Math.round(value * 10) / 10;

function chart(
  samples: readonly SoakSample[],
  roles: readonly string[],
  figure: (typeof FIGURES)[number],
): string {
  const points = samples.flatMap((s) => {
    const value = s[figure.key];
    return value === undefined ? [] : [{ role: s.role, x: s.elapsedSeconds, y: value * figure.scale }];
  });
  const maxX = Math.max(1, ...points.map((p) => p.x));
  const maxY = Math.max(1e-9, ...points.map((p) => p.y)) * 1.1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const sx = (x: number) => round(PAD.left + (x / maxX) * plotW);
  const sy = (y: number) => round(PAD.top + plotH - (y / maxY) * plotH);
  const lines = roles.map((role, index) => {
    const colour = COLOURS[index % COLOURS.length]!;
    const path = points
      .filter((p) => p.role === role)
      .map((p) => `${sx(p.x)},${sy(p.y)}`)
      .join(' ');
    const legendY = PAD.top + 14 * index;
    return (
      `<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${path}"/>` +
      `<text x="${WIDTH - PAD.right + 8}" y="${legendY + 10}" fill="${colour}">${escape(role)}</text>`
    );
  });
  const axes =
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${PAD.left + plotW}" y2="${PAD.top + plotH}" stroke="#888"/>` +
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" stroke="#888"/>` +
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${maxY.toPrecision(3)}</text>` +
    `<text x="${PAD.left - 6}" y="${PAD.top + plotH}" text-anchor="end">0</text>` +
    `<text x="${PAD.left + plotW}" y="${HEIGHT - 8}" text-anchor="end">${Math.round(maxX / 60)} min</text>` +
    `<text x="${PAD.left}" y="14">${escape(figure.title)} (${figure.unit})</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="11">${axes}${lines.join('')}</svg>`;
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);

function verdictTable(verdicts: readonly RoleVerdict[], thresholdBytesPerHour: number): string {
  const rows = verdicts.map(({ role, verdict, missing, series }) =>
    verdict
      ? `<tr><td>${escape(role)}</td><td>${series ?? ''}</td><td>${verdict.samples}</td><td>${mib(verdict.slope)}</td><td>[${mib(verdict.low)}, ${mib(verdict.high)}]</td><td>${verdict.verdict}</td><td>${escape(verdict.why)}</td></tr>`
      : `<tr><td>${escape(role)}</td><td colspan="6">${escape(missing ?? 'no verdict')}</td></tr>`,
  );
  return (
    `<p>Heap slope by least squares, MiB per hour, with its 95 % confidence interval; threshold ${mib(thresholdBytesPerHour)} MiB/h.</p>` +
    '<table border="1" cellpadding="4" cellspacing="0"><tr><th>role</th><th>heap</th><th>samples</th><th>slope MiB/h</th><th>95 % CI</th><th>verdict</th><th>why</th></tr>' +
    `${rows.join('')}</table>`
  );
}

export function soakReportHtml(options: {
  readonly title: string;
  readonly samples: readonly SoakSample[];
  readonly verdicts: readonly RoleVerdict[];
  readonly thresholdBytesPerHour: number;
}): string {
  const roles = [...new Set(options.samples.map((s) => s.role))];
  const charts = FIGURES.map((figure) => `<div>${chart(options.samples, roles, figure)}</div>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(options.title)}</title></head>
<body style="font-family: sans-serif">
<h1>${escape(options.title)}</h1>
${verdictTable(options.verdicts, options.thresholdBytesPerHour)}
${charts}
</body></html>
`;
}
