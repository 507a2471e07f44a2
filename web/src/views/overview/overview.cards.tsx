/**
 * The overview's cards, each reading one part of GET /api/status. Each is its own component so an
 * event that changes one figure re-renders that card, not the page.
 * @module
 */
import type { StatusResponse } from '@atc/contracts';
import { dateTime, signClass, time, usd } from '../format';

type Status = StatusResponse;

function PnlCard({ pnl }: { readonly pnl: Status['pnl'] }) {
  return (
    <section className="card" aria-labelledby="pnl-title">
      <h2 id="pnl-title">P&amp;L today ({pnl.tradingDay})</h2>
      <div className={`figure ${signClass(pnl.realisedToday)}`} data-testid="pnl-today">
        {usd(pnl.realisedToday)}
      </div>
      <p className="muted">
        Realised, {pnl.timeZone}. Unrealised{' '}
        <span className={signClass(pnl.unrealised)}>{usd(pnl.unrealised)}</span>
        {pnl.unmarkedPositions > 0 && ` (${pnl.unmarkedPositions} position(s) unmarked)`}
      </p>
      <ul>
        {Object.entries(pnl.realisedTodayByMarket).map(([market, value]) => (
          <li key={market}>
            {market}: <span className={signClass(value)}>{usd(value)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function HaltsCard({ halts }: { readonly halts: Status['halts'] }) {
  const halted = Object.entries(halts.markets).filter(([, halt]) => halt !== null);
  return (
    <section className="card" aria-labelledby="halts-title">
      <h2 id="halts-title">Kill switch and loss latch</h2>
      <p data-testid="kill-switch" className={halts.global ? 'bad' : 'good'}>
        {halts.global
          ? `Kill switch engaged by ${halts.global.by} at ${dateTime(halts.global.since)}: ${halts.global.reason}`
          : 'Kill switch released: trading allowed'}
      </p>
      {halted.map(([market, halt]) => (
        <p key={market} className="bad">
          {market} halted by {halt?.by}: {halt?.reason}
        </p>
      ))}
      <p data-testid="loss-latch" className={halts.lossLatch ? 'bad' : 'good'}>
        {halts.lossLatch
          ? `Loss latch tripped ${dateTime(halts.lossLatch.trippedAt)} at ${usd(halts.lossLatch.realisedPnlUsd)}: reduce-only`
          : 'Loss latch clear'}
      </p>
    </section>
  );
}

function BreakersCard({ breakers }: { readonly breakers: Status['breakers'] }) {
  return (
    <section className="card" aria-labelledby="breakers-title">
      <h2 id="breakers-title">Breakers</h2>
      {breakers.length === 0 ? (
        <p className="muted">No breaker reported yet.</p>
      ) : (
        <ul>
          {breakers.map((breaker) => (
            <li key={`${breaker.venue}/${breaker.reporter}`}>
              {breaker.venue}{' '}
              <span className={breaker.state === 'closed' ? 'good' : 'bad'}>{breaker.state}</span>{' '}
              <span className="muted">
                ({breaker.reporter}, {time(breaker.reportedAt)})
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function HeartbeatCard({ heartbeat }: { readonly heartbeat: Status['heartbeat'] }) {
  const run = heartbeat.lastRun;
  return (
    <section className="card" aria-labelledby="heartbeat-title">
      <h2 id="heartbeat-title">Last heartbeat</h2>
      {run === null ? (
        <p className="muted">No heartbeat has run yet.</p>
      ) : (
        <>
          <p>
            <span className={run.status === 'success' ? 'good' : 'bad'}>{run.status}</span> at{' '}
            {dateTime(run.startedAt)}
            {run.durationMs !== null && ` in ${run.durationMs} ms`}{' '}
            <span className="muted">({run.owner})</span>
          </p>
          {run.phases.length > 0 && (
            <ol aria-label="Phases">
              {run.phases.map((phase, index) => (
                <li key={index}>
                  {phase.name ?? 'phase'}{' '}
                  <span
                    className={
                      phase.status === 'failed' ? 'bad' : phase.status === 'success' ? 'good' : 'muted'
                    }
                  >
                    {phase.status ?? '?'}
                  </span>
                  {phase.durationMs !== null && (
                    <span className="muted"> {Math.round(phase.durationMs)} ms</span>
                  )}
                </li>
              ))}
            </ol>
          )}
          {run.errors.map((error, index) => (
            <p key={index} className="bad">
              {error.phase ?? 'run'}: {error.code} — {error.message}
            </p>
          ))}
        </>
      )}
    </section>
  );
}

/** Step counts per market, one column per status that has any. */
function QueueCard({ queue }: { readonly queue: Status['queue'] }) {
  const statuses = [...new Set(queue.map((row) => row.status))];
  const markets = [...new Set(queue.map((row) => row.market ?? 'any'))];
  const count = (market: string, status: string) =>
    queue.find((row) => (row.market ?? 'any') === market && row.status === status)?.count ?? 0;
  return (
    <section className="card" aria-labelledby="queue-title">
      <h2 id="queue-title">Queue depth by market</h2>
      {queue.length === 0 ? (
        <p className="muted">The queue is empty.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">market</th>
              {statuses.map((status) => (
                <th key={status} scope="col">
                  {status}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {markets.map((market) => (
              <tr key={market}>
                <th scope="row">{market}</th>
                {statuses.map((status) => (
                  <td key={status}>{count(market, status)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ReconciliationCard({ reconciliation }: { readonly reconciliation: Status['reconciliation'] }) {
  return (
    <section className="card" aria-labelledby="reconciliation-title">
      <h2 id="reconciliation-title">Reconciliation backlog</h2>
      <div className={`figure ${reconciliation.count > 0 ? 'warn' : ''}`}>{reconciliation.count}</div>
      <p className="muted">
        {reconciliation.oldestAgeSeconds === null
          ? 'Nothing waits for reconciliation.'
          : `Oldest waiting ${reconciliation.oldestAgeSeconds} s`}
      </p>
    </section>
  );
}

export { BreakersCard, HaltsCard, HeartbeatCard, PnlCard, QueueCard, ReconciliationCard };
