import { useId, useState } from 'react';
import { ApiError } from '../../api/api.client';
import { canAct, useSession } from '../../session/session.context';
import { dateTime } from '../format';
import { type ProposalItem, useDecideProposal, useProposalDetail } from './proposals.queries';

function Details({ id }: { readonly id: string }) {
  const detail = useProposalDetail(id, true);
  if (detail.isPending) return <p className="muted">Loading gate results…</p>;
  if (detail.isError) {
    const error = detail.error;
    return (
      <p role="alert" className="error">
        {error instanceof ApiError ? (error.detail ?? error.title) : String(error)}{' '}
        <button type="button" onClick={() => void detail.refetch()}>
          Retry
        </button>
      </p>
    );
  }
  const { gateResults, votes } = detail.data;
  return (
    <>
      <h4>Gate results</h4>
      {gateResults.length === 0 ? (
        <p className="muted">No decision yet.</p>
      ) : (
        <ul>
          {gateResults.map((gate) => (
            <li key={gate.at + gate.status}>
              {dateTime(gate.at)} <strong>{gate.status}</strong> by {gate.decidedBy}
              {gate.reasonCode && (
                <span className="bad">
                  {' '}
                  — {gate.reasonCode}: {gate.reasonMessage}
                </span>
              )}
              {gate.policyVersion !== null && <span className="muted"> (policy v{gate.policyVersion})</span>}
            </li>
          ))}
        </ul>
      )}
      <h4>Votes</h4>
      {votes.length === 0 ? (
        <p className="muted">No roundtable vote.</p>
      ) : (
        <ul>
          {votes.map((vote) => (
            <li key={`${vote.conversationId}/${vote.agent}`}>
              {vote.agent}: <strong>{vote.vote}</strong> — {vote.reason}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Decide({ proposal }: { readonly proposal: ProposalItem }) {
  const decide = useDecideProposal(proposal);
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const error = decide.error;
  return (
    <div className="actions">
      <span className="muted">
        Content hash <code data-testid="content-hash">{proposal.contentHash.slice(0, 16)}…</code>
      </span>
      <button type="button" disabled={decide.isPending} onClick={() => decide.mutate({ action: 'approve' })}>
        Approve
      </button>
      <label htmlFor={reasonId}>Reason</label>
      <input id={reasonId} value={reason} onChange={(event) => setReason(event.target.value)} />
      <button
        type="button"
        disabled={decide.isPending || reason.trim() === ''}
        onClick={() => decide.mutate({ action: 'reject', reason: reason.trim() })}
      >
        Reject
      </button>
      {decide.isSuccess && <span role="status">Decided: {decide.data.status}</span>}
      {error && (
        <span role="alert" className="error">
          {error instanceof ApiError ? (error.detail ?? error.title) : String(error)}
        </span>
      )}
    </div>
  );
}

/** A proposal: who, what, its status and reason; gate results and votes; approve/reject for operators. */
function ProposalCard({ proposal }: { readonly proposal: ProposalItem }) {
  const { session } = useSession();
  const awaiting = proposal.status === 'awaiting_approval';
  const [open, setOpen] = useState(awaiting);
  return (
    <article className="card proposal" aria-label={proposal.title}>
      <header>
        <strong>{proposal.title}</strong>
        <span className="badge">{proposal.status}</span>
        <span className="muted">
          {proposal.agent} · confidence {proposal.confidence} · {dateTime(proposal.createdAt)}
        </span>
      </header>
      {proposal.reasonCode && (
        <p className="bad">
          {proposal.reasonCode}: {proposal.reasonMessage}
        </p>
      )}
      <details open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary>Gate results and votes</summary>
        {open && <Details id={proposal.id} />}
      </details>
      {awaiting && canAct(session?.role) && <Decide proposal={proposal} />}
    </article>
  );
}

export { ProposalCard };
