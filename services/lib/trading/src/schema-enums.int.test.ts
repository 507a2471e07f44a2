import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import {
  agents,
  apiKeyRoles,
  conversationFormats,
  conversationStatuses,
  counterNames,
  heartbeatRunStatuses,
  llmBudgetThresholds,
  markets,
  memoryTypes,
  missionStatuses,
  orderSides,
  orderStatuses,
  orderTypes,
  outcomeTypes,
  policyKeys,
  priceSources,
  positionSides,
  positionStatuses,
  proposalSources,
  proposalStatuses,
  reactionStatuses,
  rejectionReasons,
  stepKinds,
  stepStatuses,
  triggerKinds,
} from '@atc/contracts';

/** Every `column = ANY (ARRAY[...])` CHECK in schema atc, and the contracts enum it must equal. */
const expected: Record<string, readonly string[]> = {
  'api_keys.role': apiKeyRoles,
  'stream_tickets.role': apiKeyRoles,
  // Issue 19 (R2): a conversation's turns and votes; the values are services/roundtable's
  // TurnStance, VoiceKind and VoteChoice (voices/agent-voice.ts).
  'conversation_turns.agent': agents,
  'conversation_turns.stance': ['support', 'caution', 'neutral'],
  'conversation_turns.voice': ['llm', 'rules'],
  'conversation_votes.agent': agents,
  'conversation_votes.vote': ['support', 'oppose', 'abstain'],
  'conversation_votes.voice': ['llm', 'rules'],
  'conversations.format': conversationFormats,
  'conversations.status': conversationStatuses,
  'counters.name': counterNames,
  'entry_admissions.market': markets,
  'entry_admissions.price_source': priceSources,
  'events.agent': agents,
  'events.market': markets,
  'fills.market': markets,
  'fills.side': orderSides,
  'heartbeat_runs.status': heartbeatRunStatuses,
  'llm_budget_alerts.agent': agents,
  'llm_budget_alerts.threshold': llmBudgetThresholds,
  'llm_usage.agent': agents,
  'memories.agent': agents,
  'memories.type': memoryTypes,
  'missions.status': missionStatuses,
  'orders.market': markets,
  'orders.order_type': orderTypes,
  'orders.price_source': priceSources,
  'orders.side': orderSides,
  'orders.status': orderStatuses,
  'outcomes.market': markets,
  'outcomes.outcome_type': outcomeTypes,
  'outcomes.side': positionSides,
  'policies.key': policyKeys,
  'positions.market': markets,
  'positions.side': positionSides,
  'positions.status': positionStatuses,
  'price_samples.market': markets,
  'proposals.agent': agents,
  'proposals.reason_code': rejectionReasons,
  'proposals.source': proposalSources,
  'proposals.status': proposalStatuses,
  'reactions.source_agent': agents,
  'reactions.status': reactionStatuses,
  'reactions.target_agent': agents,
  'relationships.agent_a': agents,
  'relationships.agent_b': agents,
  'steps.kind': stepKinds,
  'steps.market': markets,
  'steps.status': stepStatuses,
  'trigger_rules.kind': triggerKinds,
};

interface EnumCheck {
  readonly table: string;
  /** Set for a domain-typed column; a table CHECK names its column in its definition. */
  readonly column: string | null;
  readonly definition: string;
}

describe('database CHECK constraints equal the contracts enums', () => {
  let db: TestDatabase;
  let checks: Map<string, string[]>;

  beforeAll(async () => {
    db = await createTestDatabase();
    const { rows } = await db.pool.query<EnumCheck>(
      `select c.relname as "table", null::name as "column", pg_get_constraintdef(k.oid) as definition
         from pg_constraint k
         join pg_class c on c.oid = k.conrelid
         join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'atc' and k.contype = 'c'
       union all
       -- Columns typed with a domain (the queue's tables, see the baseline migration) carry the domain's check.
       select c.relname, a.attname, pg_get_constraintdef(k.oid)
         from pg_attribute a
         join pg_class c on c.oid = a.attrelid and c.relkind = 'r'
         join pg_namespace n on n.oid = c.relnamespace
         join pg_constraint k on k.contypid = a.atttypid and k.contype = 'c'
        where n.nspname = 'atc' and a.attnum > 0 and not a.attisdropped`,
    );
    checks = new Map();
    // A single-column enum check renders as CHECK ((col = ANY (ARRAY['a'::text, ...]))), a domain's
    // as CHECK ((VALUE = ANY (ARRAY['a'::text, ...]))).
    const enumCheck = /^CHECK \(\((\w+) = ANY \(ARRAY\[(.*)\]\)\)\)$/;
    for (const row of rows) {
      const match = enumCheck.exec(row.definition);
      if (!match) continue;
      const values = [...match[2]!.matchAll(/'([^']*)'::text/g)].map((m) => m[1]!);
      const column = row.column ?? match[1]!;
      checks.set(`${row.table}.${column}`, values);
    }
  });
  afterAll(async () => {
    await db.drop();
  });

  it.each(Object.entries(expected))('%s', (column, values) => {
    expect(checks.get(column)).toEqual([...values]);
  });

  it('no enum CHECK in the schema lacks a contracts enum', () => {
    expect([...checks.keys()].sort()).toEqual(Object.keys(expected).sort());
  });
});
