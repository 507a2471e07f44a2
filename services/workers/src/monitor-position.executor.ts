import { PermanentError, type Queryable } from '@atc/platform';
import { MonitorPositionStep } from '@atc/contracts';
import { selectOpenPosition } from '@atc/trading';
import { type StepExecutor } from '@atc/queue';

/**
 * A `monitor_position` step registers that a position is watched. The watching itself — marks,
 * stop-loss, take-profit and trailing stops — is the heartbeat's mark-to-market phase, which runs
 * whether or not a worker is up; this step only checks that there is an open position to watch.
 */
export function createMonitorPositionExecutor(db: Queryable): StepExecutor {
  return async (step) => {
    const parsed = MonitorPositionStep.safeParse(step.payload);
    if (!parsed.success)
      throw new PermanentError(`monitor_position payload is invalid: ${parsed.error.message}`);
    const position = await selectOpenPosition(db, parsed.data.market, parsed.data.symbol);
    if (!position)
      throw new PermanentError(`no open ${parsed.data.market} position in ${parsed.data.symbol} to monitor`);
    return {
      type: 'succeeded',
      result: { positionId: position.id, monitoredBy: 'heartbeat mark_to_market' },
    };
  };
}
