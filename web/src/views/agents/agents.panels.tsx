/**
 * The Agents view's panels: the six agents, the affinity matrix, one agent's memories, and the
 * roundtable conversations with a transcript.
 * @module
 */
import { type Agent, agents, type AgentSummary } from '@atc/contracts';
import { type ReactNode, useId, useState } from 'react';
import { ApiError } from '../../api/api.client';
import { dateTime } from '../format';
import { AFFINITY_SCALE, affinityClass, affinityLevel, affinityMatrix } from './affinity-matrix';
import {
  useAgents,
  useConversation,
  useConversations,
  useMemories,
  useRelationships,
} from './agents.queries';

/** A panel's own failed read, with a Retry that reads again. */
function PanelError({ error, onRetry }: { readonly error: unknown; readonly onRetry: () => void }) {
  return (
    <div role="alert" className="error">
      <p>{error instanceof ApiError ? (error.detail ?? error.title) : String(error)}</p>
      <button type="button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}

function AgentCard({ agent }: { readonly agent: AgentSummary }) {
  const { figures } = agent;
  return (
    <article className="card" aria-labelledby={`agent-${agent.agent}`}>
      <h3 id={`agent-${agent.agent}`}>{agent.agent}</h3>
      <p>
        <strong>{agent.role}</strong>
      </p>
      <p className="muted">Voice: {agent.voice}</p>
      <p>{agent.directive}</p>
      <p className="muted">
        {figures.memories} memories ({figures.promotedMemories} promoted) · {figures.proposals} proposals (
        {figures.approvedProposals} approved) · {figures.conversations} conversations · mean affinity{' '}
        {figures.averageAffinity ?? '—'}
      </p>
    </article>
  );
}

function AgentCards() {
  const { data } = useAgents();
  if (data.items.length === 0) return <p className="muted">No agent is configured.</p>;
  return (
    <div className="grid">
      {data.items.map((agent) => (
        <AgentCard key={agent.agent} agent={agent} />
      ))}
    </div>
  );
}

/** The diverging scale's swatches with the affinities each covers. */
function AffinityLegend() {
  return (
    <ol className="affinity-legend" aria-label="Affinity scale">
      {AFFINITY_SCALE.map(({ level, range, meaning }) => (
        <li key={level}>
          <span className={`affinity-swatch ${affinityClass(level)}`} aria-hidden="true" />
          {range}
          {meaning ? ` ${meaning}` : ''}
        </li>
      ))}
    </ol>
  );
}

/** How a cell reads to a screen reader: its value first (shown), then where it sits on the scale. */
function toneWord(level: number): string {
  if (level === 0) return 'neutral';
  return `${level < 0 ? 'averse' : 'drawn'}, ${Math.abs(level)} of 3`;
}

function RelationshipMatrix() {
  const { data } = useRelationships();
  if (data.items.length === 0) return <p className="muted">No relationship is recorded yet.</p>;
  const matrix = affinityMatrix(data.items);
  return (
    <>
      <table aria-label="Affinity between agents" className="affinity-matrix">
        <thead>
          <tr>
            <td />
            {agents.map((agent) => (
              <th key={agent} scope="col">
                {agent}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {agents.map((row) => (
            <tr key={row}>
              <th scope="row">{row}</th>
              {agents.map((column) => {
                const pair = matrix.get(row)?.get(column) ?? null;
                if (pair === null) {
                  return (
                    <td key={column} className="muted">
                      —
                    </td>
                  );
                }
                const level = affinityLevel(pair.affinity);
                return (
                  <td
                    key={column}
                    className={affinityClass(level)}
                    title={`${row} and ${column}: ${pair.affinity} (${toneWord(level)}), ${pair.totalInteractions} interactions`}
                  >
                    {pair.affinity}
                    <span className="visually-hidden"> {toneWord(level)}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <AffinityLegend />
    </>
  );
}

function MemoryList({ agent }: { readonly agent: Agent }) {
  const memories = useMemories(agent);
  if (memories.isPending) return <p className="muted">Loading memories…</p>;
  if (memories.isError) return <PanelError error={memories.error} onRetry={() => void memories.refetch()} />;
  if (memories.data.items.length === 0) return <p className="muted">{agent} remembers nothing yet.</p>;
  return (
    <ul aria-label={`Memories of ${agent}`}>
      {memories.data.items.map((memory) => (
        <li key={memory.id}>
          <span className="badge">{memory.type}</span> {memory.content}{' '}
          <span className="muted">
            confidence {memory.confidence}
            {memory.promoted && ' · promoted'} · {dateTime(memory.createdAt)}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Memories() {
  const [agent, setAgent] = useState<Agent>(agents[0]);
  const id = useId();
  return (
    <>
      <p className="field">
        <label htmlFor={id}>Agent</label>
        <select id={id} value={agent} onChange={(event) => setAgent(event.target.value as Agent)}>
          {agents.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </p>
      <MemoryList agent={agent} />
    </>
  );
}

function Transcript({ id }: { readonly id: string }) {
  const conversation = useConversation(id);
  if (conversation.isPending) return <p className="muted">Loading the transcript…</p>;
  if (conversation.isError) {
    return <PanelError error={conversation.error} onRetry={() => void conversation.refetch()} />;
  }
  const { transcript, outcome } = conversation.data;
  const summary = outcome && typeof outcome.summary === 'string' ? outcome.summary : null;
  return (
    <>
      {transcript.length === 0 ? (
        <p className="muted">No turn yet.</p>
      ) : (
        <ol aria-label="Transcript">
          {transcript.map((turn) => (
            <li key={turn.turn}>
              <strong>{turn.agent}</strong> <span className="muted">({turn.stance})</span>: {turn.line}
            </li>
          ))}
        </ol>
      )}
      {summary && <p>Outcome: {summary}</p>}
    </>
  );
}

function Conversations() {
  const { data } = useConversations();
  const [open, setOpen] = useState<string | null>(null);
  if (data.items.length === 0) return <p className="muted">No roundtable conversation yet.</p>;
  return (
    <ul className="conversations">
      {data.items.map((conversation) => (
        <li key={conversation.id}>
          <button
            type="button"
            aria-expanded={open === conversation.id}
            onClick={() => setOpen(open === conversation.id ? null : conversation.id)}
          >
            {conversation.topic}
          </button>{' '}
          <span className="muted">
            {conversation.format} · {conversation.participants.join(', ')} · {conversation.status} ·{' '}
            {dateTime(conversation.finishedAt ?? conversation.scheduledFor)}
          </span>
          {open === conversation.id && <Transcript id={conversation.id} />}
        </li>
      ))}
    </ul>
  );
}

function Panel({
  title,
  id,
  children,
}: {
  readonly title: string;
  readonly id: string;
  readonly children: ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export { AgentCards, Conversations, Memories, Panel, RelationshipMatrix };
