import { runAlertCase, type AlertCase, type AlertsReader } from './alert-case';
import type { PrometheusAlert } from './prometheus-api';

// The runner against a fake Prometheus whose alert follows the fake cause: what it reports when the
// alert fires and clears, when the metric is not exported, when the alert fires before its cause,
// and that it always resolves the cause.

interface World {
  caused: boolean;
  exported: boolean;
  /** The alert fires while caused (and before it, with `firesAnyway`). */
  firesAnyway: boolean;
  calls: string[];
}

function fakePrometheus(world: World): AlertsReader {
  return {
    alerts: () => {
      const firing = world.exported && (world.caused || world.firesAnyway);
      const alerts: PrometheusAlert[] = firing
        ? [{ labels: { alertname: 'AtcThing', venue: 'jupiter' }, annotations: {}, state: 'firing' }]
        : [];
      return Promise.resolve(alerts);
    },
    query: () => Promise.resolve(world.exported ? [{ metric: {}, value: [0, '1'] as [number, string] }] : []),
  };
}

function fakeCase(world: World, overrides: Partial<AlertCase> = {}): AlertCase {
  return {
    title: 'a thing',
    alert: 'AtcThing',
    labels: { venue: 'jupiter' },
    metric: 'atc_thing',
    fireDeadlineMs: 0,
    clearDeadlineMs: 0,
    cause: () => {
      world.calls.push('cause');
      world.caused = true;
      return Promise.resolve('the thing happened');
    },
    resolve: () => {
      world.calls.push('resolve');
      world.caused = false;
      return Promise.resolve();
    },
    confirmResolved: () => Promise.resolve('the thing is gone'),
    ...overrides,
  };
}

const newWorld = (overrides: Partial<World> = {}): World => ({
  caused: false,
  exported: true,
  firesAnyway: false,
  calls: [],
  ...overrides,
});

describe('runAlertCase', () => {
  it('passes when the alert fires on the cause and clears on its resolution, with both times', async () => {
    const world = newWorld();
    const result = await runAlertCase(fakePrometheus(world), fakeCase(world), { quietDeadlineMs: 0 });
    expect(result).toMatchObject({ passed: true, alert: 'AtcThing' });
    expect(result.fireMs).toEqual(expect.any(Number));
    expect(result.clearMs).toEqual(expect.any(Number));
    expect(result.evidence).toEqual(['caused: the thing happened', 'resolved: the thing is gone']);
    expect(world.calls).toEqual(['cause', 'resolve']);
  });

  it('fails naming the metric when no target exports it, and still resolves the cause', async () => {
    const world = newWorld({ exported: false });
    const result = await runAlertCase(fakePrometheus(world), fakeCase(world), { quietDeadlineMs: 0 });
    expect(result.passed).toBe(false);
    expect(result.failure).toMatch(/no target exports atc_thing/);
    expect(result.lastAnswer).toBe('no active alerts');
    expect(result.evidence).toContain('caused: the thing happened');
    expect(world.calls).toEqual(['cause', 'resolve']);
  });

  it('fails when the alert is firing before its cause, without causing anything', async () => {
    const world = newWorld({ firesAnyway: true });
    const result = await runAlertCase(fakePrometheus(world), fakeCase(world), { quietDeadlineMs: 0 });
    expect(result.passed).toBe(false);
    expect(result.failure).toMatch(/AtcThing quiet before its cause/);
    expect(result.lastAnswer).toBe('AtcThing{venue="jupiter"} firing');
    expect(world.calls).toEqual([]);
  });

  it('fails when the alert fires for other labels only', async () => {
    const world = newWorld();
    const result = await runAlertCase(
      fakePrometheus(world),
      fakeCase(world, { labels: { venue: 'tradier' } }),
      {
        quietDeadlineMs: 0,
      },
    );
    expect(result.passed).toBe(false);
    expect(result.failure).toMatch(/AtcThing firing: not within 0 s/);
    expect(world.calls).toEqual(['cause', 'resolve']);
  });

  it('fails when the alert does not clear, and when the cause cannot be confirmed it still resolves', async () => {
    const stuck = newWorld();
    const notCleared = await runAlertCase(
      fakePrometheus(stuck),
      fakeCase(stuck, { resolve: () => Promise.resolve() }),
      { quietDeadlineMs: 0 },
    );
    expect(notCleared.passed).toBe(false);
    expect(notCleared.failure).toMatch(/AtcThing cleared: not within 0 s/);

    const world = newWorld();
    const failedCause = await runAlertCase(
      fakePrometheus(world),
      fakeCase(world, {
        cause: () => {
          world.calls.push('cause');
          return Promise.reject(new Error('kill-switch status shows no global halt'));
        },
      }),
      { quietDeadlineMs: 0 },
    );
    expect(failedCause.failure).toBe('kill-switch status shows no global halt');
    expect(world.calls).toEqual(['cause', 'resolve']);
  });
});
