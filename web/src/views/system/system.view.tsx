import { Suspense } from 'react';
import { Loading } from '../../app/view-boundary';
import { dateTime } from '../format';
import { useHeartbeatHistory } from './heartbeat-history';
import { ReconciliationQueue } from './reconciliation-queue';
import { BreakersByVenueCard, HeartbeatHistoryCard, QueueDepthCard, WorkersCard } from './system.cards';
import { useStatus } from '../../api/status.query';

/**
 * The machinery: workers, breakers by venue, queue depth, heartbeat runs (GET /api/status) and the
 * reconciliation queue with its hand resolution (operators and admins).
 */
function SystemView() {
  const { data: status } = useStatus();
  const runs = useHeartbeatHistory(status.heartbeat.lastRun);
  return (
    <>
      <h1>System</h1>
      <p className="muted">As of {dateTime(status.asOf)}</p>
      <div className="grid">
        <WorkersCard workers={status.workers} />
        <BreakersByVenueCard breakers={status.breakers} />
        <QueueDepthCard queue={status.queue} />
      </div>
      <HeartbeatHistoryCard runs={runs} />
      <Suspense fallback={<Loading label="the reconciliation queue" />}>
        <ReconciliationQueue />
      </Suspense>
    </>
  );
}

export { SystemView };
