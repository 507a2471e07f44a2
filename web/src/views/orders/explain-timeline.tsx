import { ApiError } from '../../api/api.client';
import { dateTime } from '../format';
import { timelineOf } from './explain-chain';
import { useOrderExplanation } from './orders.queries';

const STATE_LABEL = { done: 'done', pending: 'not reached yet', failed: 'failed' } as const;
const STATE_CLASS = { done: 'good', pending: 'muted', failed: 'bad' } as const;

/** The order's chain, signal to outcome, as a vertical timeline. */
function ExplainTimeline({ clientOrderId }: { readonly clientOrderId: string }) {
  const explanation = useOrderExplanation(clientOrderId);
  if (explanation.isPending) return <p className="muted">Loading the chain of {clientOrderId}…</p>;
  if (explanation.isError) {
    const error = explanation.error;
    return (
      <p role="alert" className="error">
        {error instanceof ApiError ? (error.detail ?? error.title) : String(error)}{' '}
        <button type="button" onClick={() => void explanation.refetch()}>
          Retry
        </button>
      </p>
    );
  }
  return (
    <ol className="timeline" aria-label={`Why ${clientOrderId} exists and what became of it`}>
      {timelineOf(explanation.data).map((link) => (
        <li
          key={link.key}
          className={`timeline-link ${link.state}`}
          data-testid="timeline-link"
          data-state={link.state}
        >
          <h3>
            {link.title} <span className={STATE_CLASS[link.state]}>· {STATE_LABEL[link.state]}</span>
          </h3>
          {link.at && <time dateTime={link.at}>{dateTime(link.at)}</time>}
          <ul>
            {link.facts.map((fact) => (
              <li key={fact}>{fact}</li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

export { ExplainTimeline };
