import { describeScheduling, parseSchedstat } from './renderer-scheduling';

describe('renderer scheduling', () => {
  it('reads /proc schedstat: ns on a CPU, ns waiting, timeslices', () => {
    expect(parseSchedstat('174200453 198313574 610\n')).toEqual({ cpuNs: 174200453, waitNs: 198313574 });
    expect(() => parseSchedstat('')).toThrow('schedstat reads ""');
  });

  it('describes the share of the burst on a CPU and the time spent waiting for one', () => {
    const before = { cpuNs: 1e9, waitNs: 2e9 };
    const after = { cpuNs: 1e9 + 36e9, waitNs: 2e9 + 9.4e9 };
    expect(describeScheduling(before, after, 200_000)).toBe(
      `the page's main thread was on a CPU 18% of the burst and waited 9.4 s for one`,
    );
  });
});
