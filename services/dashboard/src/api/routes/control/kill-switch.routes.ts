/**
 * The kill switch, market halts and the daily-loss latch, through the same domain functions as
 * `atc kill-switch on|off|status|reset-latch`; every toggle is evented and audited by the trading
 * core with the principal's name as the actor.
 * @module
 */
import {
  KillSwitchChange,
  type KillSwitchClusterReport,
  KillSwitchEngageBody,
  KillSwitchReleaseBody,
  KillSwitchStatus,
  LossLatchReset,
  LossLatchResetBody,
  type HaltsState,
} from '@atc/contracts';
import {
  type ClusterAccess,
  engageKillSwitch,
  engageKillSwitchAndScaleDown,
  haltMarket,
  readHalts,
  releaseKillSwitch,
  releaseKillSwitchAndRestore,
  resetLossLatch,
  resumeMarket,
} from '@atc/trading';
import { defineRoute, ok, type ApiContext, type ApiRoute } from '../../api-route';
import { actorOf } from './actor';

export function killSwitchStatusOf(halts: HaltsState): KillSwitchStatus {
  return {
    engaged: halts.global !== null,
    reason: halts.global?.reason ?? null,
    by: halts.global?.by ?? null,
    since: halts.global?.since ?? null,
    halts,
  };
}

const status = defineRoute({
  method: 'GET',
  path: '/api/kill-switch',
  access: 'read',
  tag: 'kill-switch',
  summary: 'Whether the kill switch is engaged (reason, by, since), the market halts and the loss latch.',
  response: KillSwitchStatus,
  async handle(_input, { pool }) {
    return ok(killSwitchStatusOf(await readHalts(pool)));
  },
});

/** The injected cluster, or one whose every connection fails saying why (the halt itself never waits on it). */
function clusterOf(context: ApiContext): ClusterAccess {
  return (
    context.services.killSwitchCluster ?? {
      selector: '',
      connect: () => Promise.reject(new Error('this dashboard has no Kubernetes access configured')),
    }
  );
}

/** A refused cluster half still answers 200 (the halt is what was asked for); the log says what failed. */
function warnOnClusterFailure(context: ApiContext, cluster: KillSwitchClusterReport): void {
  if (cluster.ok) return;
  const failed = cluster.outcomes.filter((outcome) => outcome.result === 'failed');
  context.logger.warn(
    { action: cluster.action, namespace: cluster.namespace, failed },
    'the kill switch could not finish in the cluster; the database halt is unaffected',
  );
}

const engage = defineRoute({
  method: 'POST',
  path: '/api/kill-switch/engage',
  access: 'kill_switch.engage',
  tag: 'kill-switch',
  summary:
    'Engages the kill switch (or halts one market): no new venue order once it commits; `scaleDown` also stops the workers in Kubernetes.',
  body: KillSwitchEngageBody,
  response: KillSwitchChange,
  writes: true,
  async handle({ body }, context) {
    const request = { reason: body.reason, by: actorOf(context), clock: context.clock };
    if (body.scaleDown) {
      const { halts, cluster } = await engageKillSwitchAndScaleDown(context.pool, {
        ...request,
        cluster: clusterOf(context),
      });
      warnOnClusterFailure(context, cluster);
      return ok({ ...killSwitchStatusOf(halts), cluster });
    }
    const halts = body.market
      ? await haltMarket(context.pool, { ...request, market: body.market })
      : await engageKillSwitch(context.pool, request);
    return ok(killSwitchStatusOf(halts));
  },
});

const release = defineRoute({
  method: 'POST',
  path: '/api/kill-switch/release',
  access: 'kill_switch.release',
  tag: 'kill-switch',
  summary:
    "Releases the kill switch (or one market's halt), the reason audited; `restore` also restarts the workers a scale-down stopped.",
  body: KillSwitchReleaseBody,
  response: KillSwitchChange,
  writes: true,
  async handle({ body }, context) {
    const request = { reason: body.reason, by: actorOf(context), clock: context.clock };
    if (body.restore) {
      const { halts, cluster } = await releaseKillSwitchAndRestore(context.pool, {
        ...request,
        cluster: clusterOf(context),
      });
      warnOnClusterFailure(context, cluster);
      return ok({ ...killSwitchStatusOf(halts), cluster });
    }
    const halts = body.market
      ? await resumeMarket(context.pool, { ...request, market: body.market })
      : await releaseKillSwitch(context.pool, request);
    return ok(killSwitchStatusOf(halts));
  },
});

const resetLatch = defineRoute({
  method: 'POST',
  path: '/api/loss-latch/reset',
  access: 'loss_latch.reset',
  tag: 'kill-switch',
  summary: 'Resets the daily-loss latch (entries resume); `cleared` is false when it was not tripped.',
  body: LossLatchResetBody,
  response: LossLatchReset,
  writes: true,
  async handle({ body }, context) {
    const cleared = await resetLossLatch(context.pool, { by: actorOf(context), reason: body.reason });
    return ok({ cleared, status: killSwitchStatusOf(await readHalts(context.pool)) });
  },
});

export const killSwitchRoutes: readonly ApiRoute[] = [status, engage, release, resetLatch];
