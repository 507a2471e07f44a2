import { ProposalCard } from './proposal-card';
import { useProposalLists } from './proposals.queries';

/** Proposals: those awaiting approval first, then the latest decided; kept live by the stream. */
function ProposalsView() {
  const { awaiting, recent } = useProposalLists();
  const others = recent.filter((proposal) => proposal.status !== 'awaiting_approval');
  return (
    <>
      <h1>Proposals</h1>
      <section aria-labelledby="awaiting-title">
        <h2 id="awaiting-title">Awaiting approval ({awaiting.length})</h2>
        {awaiting.length === 0 ? (
          <p className="muted">Nothing awaits approval.</p>
        ) : (
          awaiting.map((proposal) => <ProposalCard key={proposal.id} proposal={proposal} />)
        )}
      </section>
      <section aria-labelledby="recent-title">
        <h2 id="recent-title">Latest</h2>
        {others.length === 0 ? (
          <p className="muted">No proposal yet.</p>
        ) : (
          others.map((proposal) => <ProposalCard key={proposal.id} proposal={proposal} />)
        )}
      </section>
    </>
  );
}

export { ProposalsView };
