import { AgentCards, Conversations, Memories, Panel, RelationshipMatrix } from './agents.panels';

/** The six agents, their affinities, what each remembers and the roundtable's conversations. */
function AgentsView() {
  return (
    <>
      <h1>Agents</h1>
      <Panel title="The six agents" id="agents-title">
        <AgentCards />
      </Panel>
      <Panel title="Relationships" id="relationships-title">
        <RelationshipMatrix />
      </Panel>
      <Panel title="Memories" id="memories-title">
        <Memories />
      </Panel>
      <Panel title="Roundtable conversations" id="conversations-title">
        <Conversations />
      </Panel>
    </>
  );
}

export { AgentsView };
