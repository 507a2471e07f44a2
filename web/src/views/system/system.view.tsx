import { Suspense } from 'react';
import { Loading } from '../../app/view-boundary';
import { dateTime } from '../format';
import { HeartbeatHistory } from './heartbeat-history';
import { ReconciliationQueue } from './reconciliation-queue';
import { BreakersByVenueCard, QueueDepthCard, WorkersCard } from './system.cards';
import { useStatus } from '../../api/status.query';

/**
 * The machinery: workers, breakers by venue, queue depth (GET /api/status), the heartbeat runs
 * (GET /api/heartbeat/runs) and the reconciliation queue with its hand resolution (operators and
 * admins).
 */
function SystemView() {
  const { data: status } = useStatus();
  return (
    <>
      <h1>System</h1>
      <p className="muted">As of {dateTime(status.asOf)}</p>
      <div className="grid">
        <WorkersCard workers={status.workers} />
        <BreakersByVenueCard breakers={status.breakers} />
        <QueueDepthCard queue={status.queue} />
      </div>
      <Suspense fallback={<Loading label="the heartbeat runs" />}>
        <HeartbeatHistory lastRun={status.heartbeat.lastRun} />
      </Suspense>
      <Suspense fallback={<Loading label="the reconciliation queue" />}>
        <ReconciliationQueue />
      </Suspense>
    </>
  );
}

export { SystemView };
