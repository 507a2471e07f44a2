/**
 * POST /api/heartbeat: one heartbeat run through the same single-flight lease as `atc heartbeat`, for
 * deployments without CronJobs. Authenticated by the deployment's HEARTBEAT_TOKEN (access
 * `heartbeat_token`), not by an API key. The run itself is `services.runHeartbeat`, which the atc
 * binary injects (roles never import each other).
 * @module
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { HeartbeatTriggerResult } from '@atc/contracts';
import { UnavailableError } from '@atc/platform';
import { defineRoute, type ApiContext, type ApiReply } from '../api-route';

/**
 * How long the request waits for the run before answering 202 with its id (the run goes on): below
 * any sensible request timeout, so the caller gets an answer rather than a timeout.
 */
export const HEARTBEAT_REPLY_AFTER_MS = 20_000;

/** What @atc/heartbeat's runHeartbeat resolves with (HeartbeatOutcome), as far as the reply needs it. */
const HeartbeatOutcome = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('skipped'),
    holder: z.object({ runId: z.string().nullable() }).loose().optional(),
  }),
  z.object({
    kind: z.literal('ran'),
    runId: z.uuid(),
    status: z.enum(['success', 'partial_failure', 'failure']),
    durationMs: z.number(),
    tookOverRunId: z.uuid().nullable(),
    phases: z.array(z.looseObject({})),
  }),
]);

type Result = z.infer<typeof HeartbeatTriggerResult>;

function replyOf(outcome: unknown): ApiReply<Result> {
  const parsed = HeartbeatOutcome.parse(outcome);
  if (parsed.kind === 'skipped') {
    return { status: 409, body: { outcome: 'skipped', runningRunId: parsed.holder?.runId ?? null } };
  }
  const { runId, status, durationMs, tookOverRunId, phases } = parsed;
  return {
    status: 200,
    body: HeartbeatTriggerResult.parse({
      outcome: 'completed',
      runId,
      status,
      durationMs,
      tookOverRunId,
      phases,
    }),
  };
}

/** Resolves after `ms`, or at once when `signal` aborts; `cancel` clears the timer. */
function replyDeadline(ms: number, signal: AbortSignal): { reached: Promise<'deadline'>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const reached = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), ms);
    onAbort = () => resolve('deadline');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return {
    reached,
    cancel: () => {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    },
  };
}

async function triggerHeartbeat(context: ApiContext, replyAfterMs: number): Promise<ApiReply<Result>> {
  const { runHeartbeat } = context.services;
  if (!runHeartbeat) throw new UnavailableError('this dashboard cannot run the heartbeat (not configured)');
  // The id is chosen here so the 202 can name the run that goes on after the reply.
  const runId = randomUUID();
  const run = runHeartbeat({ runId });
  const deadline = replyDeadline(replyAfterMs, context.signal);
  try {
    const first = await Promise.race([run.then((outcome) => ({ outcome })), deadline.reached]);
    if (first !== 'deadline') return replyOf(first.outcome);
  } finally {
    deadline.cancel();
  }
  run.catch((error: unknown) =>
    context.logger.error({ err: error, runId }, 'heartbeat run triggered over HTTP failed after the 202'),
  );
  return { status: 202, body: { outcome: 'running', runId } };
}

/** The route; `replyAfterMs` is for tests. */
export function createHeartbeatRoute(options: { replyAfterMs?: number } = {}) {
  const replyAfterMs = options.replyAfterMs ?? HEARTBEAT_REPLY_AFTER_MS;
  return defineRoute({
    method: 'POST',
    path: '/api/heartbeat',
    access: 'heartbeat_token',
    summary: 'Run one heartbeat (200 summary, 202 still running, 409 skipped: another run holds the lease)',
    tag: 'heartbeat',
    response: HeartbeatTriggerResult,
    writes: true,
    handle: (_input, context) => triggerHeartbeat(context, replyAfterMs),
  });
}

export const heartbeatRoute = createHeartbeatRoute();
