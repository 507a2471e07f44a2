import { soakReportHtml } from './soak-chart';
import type { SoakSample } from './soak-sample';

const sample = (role: string, elapsedSeconds: number, heapUsedBytes: number): SoakSample => ({
  time: new Date(elapsedSeconds * 1000).toISOString(),
  elapsedSeconds,
  role,
  rssBytes: 2 * heapUsedBytes,
  heapUsedBytes,
  heapAfterGcBytes: heapUsedBytes,
  eventLoopLagP99Seconds: 0.01,
  activeHandles: 5,
  dbConnections: role === 'sim' ? undefined : 3,
});

describe('soakReportHtml', () => {
  const html = soakReportHtml({
    title: 'soak <10 min>',
    samples: [
      sample('heartbeat', 0, 10 * 2 ** 20),
      sample('heartbeat', 10, 12 * 2 ** 20),
      sample('sim', 10, 2 ** 20),
    ],
    verdicts: [
      {
        role: 'heartbeat',
        series: 'after GC',
        verdict: {
          samples: 60,
          slope: 2 ** 20,
          low: -(2 ** 20),
          high: 3 * 2 ** 20,
          verdict: 'no leak',
          why: 'the 95 % interval includes 0',
        },
      },
      { role: 'sim', verdict: undefined, missing: 'only 1 sample' },
    ],
    thresholdBytesPerHour: 10 * 2 ** 20,
  });

  it('draws a chart per figure with a line per role', () => {
    expect(html.match(/<svg /g)).toHaveLength(6);
    expect(html.match(/<polyline /g)).toHaveLength(12);
    expect(html).toContain('points="60,');
  });

  it('tabulates each verdict in MiB per hour and escapes text', () => {
    expect(html).toContain(
      '<td>heartbeat</td><td>after GC</td><td>60</td><td>1.00</td><td>[-1.00, 3.00]</td><td>no leak</td>',
    );
    expect(html).toContain('only 1 sample');
    expect(html).toContain('soak &lt;10 min&gt;');
  });
});
