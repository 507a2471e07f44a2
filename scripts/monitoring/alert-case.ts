/**
 * One alert the e2e causes for real, watches fire in Prometheus, resolves and watches clear. The
 * cause and its removal are each confirmed without Prometheus first (the database, the process
 * table, a role's own /metrics), so a failure says whether the world or the alerting went wrong.
 * @module
 */
import { alertState, describeAlerts, type AlertState, type PrometheusApi } from './prometheus-api';
import { DeadlineError, pollUntil } from './poll-until';

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

/** Before its cause the alert must be quiet: an alert that fires anyway proves nothing. */
const QUIET_DEADLINE_MS = 30_000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function awaitAlert(
  prometheus: PrometheusApi,
  entry: AlertCase,
  wanted: (state: AlertState) => boolean,
  what: string,
  deadlineMs: number,
): Promise<void> {
  await pollUntil(
    `${entry.alert} ${what}`,
    async () => {
      const alerts = await prometheus.alerts();
      const state = alertState(alerts, entry.alert, entry.labels);
      return { done: wanted(state), value: state, last: `${state} (${describeAlerts(alerts)})` };
    },
    { deadlineMs },
  );
}

async function isExported(prometheus: PrometheusApi, metric: string): Promise<boolean> {
  return (await prometheus.query(`count(${metric})`)).length > 0;
}

/**
 * Runs one case: quiet first, cause (confirmed), `firing`, resolve (confirmed, always, even after a
 * failure, so the next case starts from a healthy company), then gone.
 */
export async function runAlertCase(prometheus: PrometheusApi, entry: AlertCase): Promise<AlertCaseResult> {
  const evidence: string[] = [];
  const result = (outcome: { failure?: string; fireMs?: number; clearMs?: number }) => ({
    title: entry.title,
    alert: entry.alert,
    passed: outcome.failure === undefined,
    evidence,
    ...outcome,
  });
  const lastAnswer = async () => describeAlerts(await prometheus.alerts().catch(() => []));
  try {
    await awaitAlert(
      prometheus,
      entry,
      (state) => state === 'inactive',
      'quiet before its cause',
      QUIET_DEADLINE_MS,
    );
  } catch (error) {
    return { ...result({ failure: messageOf(error) }), lastAnswer: await lastAnswer() };
  }

  let failure: string | undefined;
  let fireMs: number | undefined;
  let clearMs: number | undefined;
  let fired = false;
  const causedAt = Date.now();
  try {
    evidence.push(`caused: ${await entry.cause()}`);
    if (await isExported(prometheus, entry.metric)) {
      await awaitAlert(prometheus, entry, (state) => state === 'firing', 'firing', entry.fireDeadlineMs);
      fireMs = Date.now() - causedAt;
      fired = true;
    } else {
      failure = `no target exports ${entry.metric}, so ${entry.alert} cannot fire (the cause itself was confirmed above)`;
    }
  } catch (error) {
    failure = messageOf(error);
  }
  let answer = failure ? await lastAnswer() : undefined;

  try {
    await entry.resolve();
    const resolvedAt = Date.now();
    // Both at once: the alert may clear before the independent check completes (a half-open breaker
    // is no longer open, and closes only on its probe).
    const [confirmed] = await Promise.all([
      entry.confirmResolved(),
      fired
        ? awaitAlert(
            prometheus,
            entry,
            (state) => state === 'inactive',
            'cleared',
            entry.clearDeadlineMs,
          ).then(() => (clearMs = Date.now() - resolvedAt))
        : undefined,
    ]);
    evidence.push(`resolved: ${confirmed}`);
  } catch (error) {
    failure ??= messageOf(error);
    if (error instanceof DeadlineError) evidence.push(`not resolved: ${error.message}`);
  }
  if (failure !== undefined) answer ??= await lastAnswer();
  return {
    ...result({
      ...(failure !== undefined ? { failure } : {}),
      ...(fireMs !== undefined ? { fireMs } : {}),
      ...(clearMs !== undefined ? { clearMs } : {}),
    }),
    ...(answer !== undefined ? { lastAnswer: answer } : {}),
  };
}
