/**
 * The three conditions of issue 17, caused for real on a running `atc up`:
 * - the global kill switch, engaged and released with `atc kill-switch`;
 * - a stale heartbeat: the heartbeat loop's process SIGSTOPped until its last success is older than
 *   the test threshold, then SIGCONTinued (`atc up` supervises exits, and a stopped child has not
 *   exited, so it is neither restarted nor replaced);
 * - an open venue breaker: every Jupiter request answers 503 (the simulator's `outage` fault) until
 *   the heartbeat's Jupiter breaker opens (it quotes the crypto universe every run); then the fault
 *   is cleared and the breaker closes on its next half-open probe.
 * @module
 */
import type { Pool } from 'pg';
import type { AlertCase } from './alert-case';
import type { LocalCompany } from './local-company';
import { pollUntil } from './poll-until';
import { findDescendant, processState } from './process-tree';
import { TEST_ALERT_PARAMS } from './test-alert-rules';

export interface AlertCaseContext {
  readonly company: LocalCompany;
  readonly db: Pool;
  /** The company's BREAKER_RESET_SECONDS: how long an open breaker waits before its probe. */
  readonly breakerResetSeconds: number;
  /** The heartbeat loop's cadence (HEARTBEAT_INTERVAL_SECONDS). */
  readonly heartbeatIntervalSeconds: number;
  /** Processes this run SIGSTOPped: cleanup resumes them whatever happens. */
  readonly stopped: Set<number>;
}

const REASON = 'alerts e2e';

async function atcOk(company: LocalCompany, args: readonly string[]): Promise<string> {
  const { code, stdout, stderr } = await company.atc(args);
  if (code !== 0) throw new Error(`atc ${args.join(' ')} exited ${code}: ${stderr.trim() || stdout.trim()}`);
  return stdout;
}

async function globalHalt(company: LocalCompany): Promise<{ reason: string; since: string } | null> {
  const halts = JSON.parse(await atcOk(company, ['kill-switch', 'status', '--json'])) as {
    global: { reason: string; since: string } | null;
  };
  return halts.global;
}

export function killSwitchCase({ company }: AlertCaseContext): AlertCase {
  return {
    title: 'global kill switch engaged',
    alert: 'AtcKillSwitchEngaged',
    labels: { scope: 'global' },
    metric: 'atc_kill_switch_engaged',
    // The dashboard exports the halt from a database snapshot it caches for a few seconds.
    fireDeadlineMs: 30_000,
    clearDeadlineMs: 30_000,
    async cause() {
      await atcOk(company, ['kill-switch', 'on', '--reason', REASON]);
      const halt = await globalHalt(company);
      if (halt?.reason !== REASON)
        throw new Error(`kill-switch status shows no global halt: ${JSON.stringify(halt)}`);
      return `atc kill-switch on; status: global halt "${halt.reason}" since ${halt.since}`;
    },
    async resolve() {
      await atcOk(company, ['kill-switch', 'off', '--reason', `${REASON} done`]);
    },
    async confirmResolved() {
      const halt = await globalHalt(company);
      if (halt !== null)
        throw new Error(`kill-switch status still shows a global halt: ${JSON.stringify(halt)}`);
      return 'atc kill-switch off; status: no global halt';
    },
  };
}

interface HeartbeatRuns {
  readonly runs: number;
  readonly sinceSuccessSeconds: number | null;
}

async function heartbeatRuns(
  db: Pool,
  after: Date = new Date(0),
): Promise<HeartbeatRuns & { succeededAfter: number }> {
  const { rows } = await db.query<{ runs: number; since_success: number | null; succeeded_after: number }>(
    `select count(*)::int as runs,
            extract(epoch from now() - max(finished_at) filter (where status = 'success'))::float8 as since_success,
            (count(*) filter (where status = 'success' and finished_at > $1::timestamptz))::int as succeeded_after
       from atc.heartbeat_runs`,
    [after.toISOString()],
  );
  const row = rows[0]!;
  return { runs: row.runs, sinceSuccessSeconds: row.since_success, succeededAfter: row.succeeded_after };
}

export function heartbeatStaleCase(context: AlertCaseContext): AlertCase {
  const { company, db, stopped } = context;
  const staleSeconds = TEST_ALERT_PARAMS.heartbeatStaleSeconds;
  let pid: number | undefined;
  let resumedAt = new Date();
  return {
    title: `heartbeat stale (no success for ${staleSeconds} s)`,
    alert: 'AtcHeartbeatStale',
    labels: {},
    metric: 'atc_heartbeat_last_success_timestamp_seconds',
    fireDeadlineMs: 20_000,
    clearDeadlineMs: 30_000,
    async cause() {
      pid = findDescendant(company.pid, ['heartbeat', '--loop']);
      const before = await heartbeatRuns(db);
      if (before.sinceSuccessSeconds === null) throw new Error('no heartbeat run has succeeded yet');
      process.kill(pid, 'SIGSTOP');
      stopped.add(pid);
      const { value, elapsedMs } = await pollUntil(
        `last heartbeat success older than ${staleSeconds} s`,
        async () => {
          const now = await heartbeatRuns(db);
          if (now.runs !== before.runs) throw new Error(`a heartbeat run started while the loop was stopped`);
          const since = now.sinceSuccessSeconds ?? 0;
          return { done: since > staleSeconds, value: now, last: `last success ${since.toFixed(1)} s ago` };
        },
        { deadlineMs: (staleSeconds + 15) * 1000 },
      );
      // Still the same, stopped process: `atc up` neither restarted nor replaced it.
      const state = processState(pid);
      if (state !== 'T') throw new Error(`the heartbeat loop (pid ${pid}) is in state ${state}, not stopped`);
      if (findDescendant(company.pid, ['heartbeat', '--loop']) !== pid)
        throw new Error('atc up started another heartbeat loop');
      return (
        `heartbeat loop pid ${pid} SIGSTOPped (state T, not restarted by atc up); no heartbeat_runs row in ` +
        `${(elapsedMs / 1000).toFixed(1)} s; last success ${value.sinceSuccessSeconds?.toFixed(1)} s ago`
      );
    },
    resolve() {
      if (pid !== undefined) {
        resumedAt = new Date();
        process.kill(pid, 'SIGCONT');
        stopped.delete(pid);
      }
      return Promise.resolve();
    },
    async confirmResolved() {
      if (pid === undefined) return 'nothing to resume (the loop was never stopped)';
      const { elapsedMs } = await pollUntil(
        'a heartbeat run succeeds after SIGCONT',
        async () => {
          const now = await heartbeatRuns(db, resumedAt);
          return { done: now.succeededAfter > 0, value: now, last: `${now.runs} runs, none succeeded since` };
        },
        { deadlineMs: 30_000 },
      );
      return `SIGCONT; a heartbeat run succeeded ${(elapsedMs / 1000).toFixed(1)} s later (state ${processState(pid)})`;
    },
  };
}

/** The venue the breaker case takes down: crypto trades around the clock, so the heartbeat quotes it every run. */
const VENUE = 'jupiter';

async function breakerState(company: LocalCompany, role: string): Promise<number | undefined> {
  const response = await fetch(`http://127.0.0.1:${company.adminPort(role)}/metrics`, {
    signal: AbortSignal.timeout(2_000),
  });
  const text = await response.text();
  const line = text.split('\n').find((entry) => entry.startsWith(`atc_venue_breaker_state{venue="${VENUE}"`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function simulator(company: LocalCompany, method: 'POST' | 'DELETE', body?: unknown): Promise<void> {
  const response = await fetch(`${company.simulatorUrl}/_sim/faults`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok)
    throw new Error(`simulator ${method} /_sim/faults: ${response.status} ${await response.text()}`);
}

export function breakerOpenCase(context: AlertCaseContext): AlertCase {
  const { company, breakerResetSeconds, heartbeatIntervalSeconds } = context;
  const awaitBreaker = async (state: number, deadlineMs: number) =>
    (
      await pollUntil(
        `the heartbeat's ${VENUE} breaker at ${state}`,
        async () => {
          const now = await breakerState(company, 'heartbeat');
          return { done: now === state, value: undefined, last: `atc_venue_breaker_state ${now}` };
        },
        { deadlineMs },
      )
    ).elapsedMs;
  return {
    title: `venue breaker open (${VENUE} answers 503)`,
    alert: 'AtcVenueBreakerOpen',
    labels: { venue: VENUE },
    metric: 'atc_venue_breaker_state',
    fireDeadlineMs: 20_000,
    clearDeadlineMs: (breakerResetSeconds + heartbeatIntervalSeconds + 20) * 1000,
    async cause() {
      await simulator(company, 'POST', { endpoint: `${VENUE}.*`, outage: true });
      const elapsedMs = await awaitBreaker(2, (heartbeatIntervalSeconds + 20) * 1000);
      return (
        `simulator fault ${VENUE}.* outage (503); the heartbeat's own /metrics shows ` +
        `atc_venue_breaker_state{venue="${VENUE}"} 2 after ${(elapsedMs / 1000).toFixed(1)} s`
      );
    },
    async resolve() {
      await simulator(company, 'DELETE');
    },
    async confirmResolved() {
      const elapsedMs = await awaitBreaker(0, (breakerResetSeconds + heartbeatIntervalSeconds + 20) * 1000);
      return (
        `simulator faults cleared; the breaker half-opened after its ${breakerResetSeconds} s reset, the ` +
        `heartbeat's next quote probed it and it closed (state 0) ${(elapsedMs / 1000).toFixed(1)} s later`
      );
    },
  };
}

/** In the order they run: the kill switch (quick), the breaker (needs the heartbeat running), then the heartbeat stopped. */
export function alertCases(context: AlertCaseContext): AlertCase[] {
  return [killSwitchCase(context), breakerOpenCase(context), heartbeatStaleCase(context)];
}
