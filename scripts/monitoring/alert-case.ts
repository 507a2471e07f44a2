/**
 * One alert the e2e causes for real, watches fire in Prometheus, resolves and watches clear. The
 * cause and its removal are each confirmed without Prometheus first (the database, the process
 * table, a role's own /metrics), so a failure says whether the world or the alerting went wrong.
 * @module
 */
import { alertState, describeAlerts, type AlertState, type PrometheusApi } from './prometheus-api';
import { pollUntil } from './poll-until';

export interface AlertCase {
  /** What is caused, for the report: `kill switch engaged`. */
  readonly title: string;
  readonly alert: string;
  /** Labels the firing alert must carry (`venue: jupiter`). */
  readonly labels: Readonly<Record<string, string>>;
  /** The metric the rule reads: when no target exports it, the alert cannot fire, and the report says so. */
  readonly metric: string;
  readonly fireDeadlineMs: number;
  readonly clearDeadlineMs: number;
  /** Causes the condition; resolves once an independent check sees it, with that evidence. */
  cause(): Promise<string>;
  /** Removes the cause (the clock of "cleared in" starts when it returns). */
  resolve(): Promise<void>;
  /** Resolves once an independent check sees the cause gone, with that evidence. */
  confirmResolved(): Promise<string>;
}

export interface AlertCaseResult {
  readonly title: string;
  readonly alert: string;
  readonly passed: boolean;
  /** From the cause to `firing` in Prometheus. */
  readonly fireMs?: number;
  /** From the resolution to the alert gone (or inactive). */
  readonly clearMs?: number;
  readonly evidence: readonly string[];
  readonly failure?: string;
  /** Prometheus's last `/api/v1/alerts` answer, on a failure. */
  readonly lastAnswer?: string;
}

/** What the runner asks Prometheus (the API client, or a fake in the runner's tests). */
export type AlertsReader = Pick<PrometheusApi, 'alerts' | 'query'>;

export interface RunAlertCaseOptions {
  /** Before its cause the alert must be quiet (an alert that fires anyway proves nothing): how long to wait for that. */
  readonly quietDeadlineMs?: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function awaitAlert(
  prometheus: AlertsReader,
  entry: AlertCase,
  wanted: AlertState,
  what: string,
  deadlineMs: number,
): Promise<void> {
  await pollUntil(
    `${entry.alert} ${what}`,
    async () => {
      const alerts = await prometheus.alerts();
      const state = alertState(alerts, entry.alert, entry.labels);
      return { done: state === wanted, value: state, last: `${state} (${describeAlerts(alerts)})` };
    },
    { deadlineMs },
  );
}

/** Causes the condition and awaits `firing`; the time from the cause, or why not. */
async function causeAndFire(
  prometheus: AlertsReader,
  entry: AlertCase,
  evidence: string[],
): Promise<{ fireMs?: number; failure?: string }> {
  const causedAt = Date.now();
  try {
    evidence.push(`caused: ${await entry.cause()}`);
    if ((await prometheus.query(`count(${entry.metric})`)).length === 0)
      return {
        failure: `no target exports ${entry.metric}, so ${entry.alert} cannot fire (the cause itself was confirmed)`,
      };
    await awaitAlert(prometheus, entry, 'firing', 'firing', entry.fireDeadlineMs);
    return { fireMs: Date.now() - causedAt };
  } catch (error) {
    return { failure: messageOf(error) };
  }
}

/**
 * Removes the cause, confirms it gone and, when the alert fired, awaits it gone from Prometheus:
 * both at once, as the alert may clear before the confirmation completes (a half-open breaker is no
 * longer open, and closes only on its probe).
 */
async function resolveAndClear(
  prometheus: AlertsReader,
  entry: AlertCase,
  fired: boolean,
  evidence: string[],
): Promise<{ clearMs?: number; failure?: string }> {
  try {
    await entry.resolve();
    const resolvedAt = Date.now();
    let clearMs: number | undefined;
    const cleared = fired
      ? awaitAlert(prometheus, entry, 'inactive', 'cleared', entry.clearDeadlineMs).then(() => {
          clearMs = Date.now() - resolvedAt;
        })
      : Promise.resolve();
    const [confirmed] = await Promise.all([entry.confirmResolved(), cleared]);
    evidence.push(`resolved: ${confirmed}`);
    return clearMs === undefined ? {} : { clearMs };
  } catch (error) {
    evidence.push(`not resolved: ${messageOf(error)}`);
    return { failure: messageOf(error) };
  }
}

/**
 * Runs one case: quiet first, the cause (confirmed), `firing`, then — always, even after a failure,
 * so the next case starts from a healthy company — the resolution (confirmed) and the alert gone.
 */
export async function runAlertCase(
  prometheus: AlertsReader,
  entry: AlertCase,
  options: RunAlertCaseOptions = {},
): Promise<AlertCaseResult> {
  const evidence: string[] = [];
  const report = async (outcome: { failure?: string; fireMs?: number; clearMs?: number }) => ({
    title: entry.title,
    alert: entry.alert,
    passed: outcome.failure === undefined,
    evidence,
    ...outcome,
    ...(outcome.failure === undefined
      ? {}
      : { lastAnswer: describeAlerts(await prometheus.alerts().catch(() => [])) }),
  });
  try {
    await awaitAlert(
      prometheus,
      entry,
      'inactive',
      'quiet before its cause',
      options.quietDeadlineMs ?? 30_000,
    );
  } catch (error) {
    return report({ failure: messageOf(error) });
  }
  const fire = await causeAndFire(prometheus, entry, evidence);
  const clear = await resolveAndClear(prometheus, entry, fire.fireMs !== undefined, evidence);
  const failure = fire.failure ?? clear.failure;
  return report({
    ...(fire.fireMs === undefined ? {} : { fireMs: fire.fireMs }),
    ...(clear.clearMs === undefined ? {} : { clearMs: clear.clearMs }),
    ...(failure === undefined ? {} : { failure }),
  });
}
