import { Client } from 'pg';
import { withTransaction } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { appendEvent, EVENTS_CHANNEL, listEventsAfter } from './events.queries';
import { submitProposal } from './proposal-intake';
import { applySeeds } from './seeds';
import { tradeProposal, insertTestMarks } from './testing/proposal.fixtures';

describe('events outbox', () => {
  let db: TestDatabase;
  let listener: Client;
  const notified: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await insertTestMarks(db.pool);
    listener = new Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (message) => notified.push(message.payload ?? ''));
    await listener.query(`listen ${EVENTS_CHANNEL}`);
  });
  afterAll(async () => {
    await listener.end();
    await db.drop();
  });

  async function settle() {
    // A round trip on the listening connection delivers any notification already sent to it.
    await listener.query('select 1');
  }
  const lastId = async () =>
    (await db.pool.query<{ id: string }>('select coalesce(max(id), 0)::text as id from atc.events')).rows[0]!
      .id;

  it('a committed change writes its event and notifies atc_events with the id', async () => {
    const before = await lastId();
    const decision = await submitProposal(db.pool, tradeProposal(), { asOf: new Date() });
    await settle();
    const events = await listEventsAfter(db.pool, before);
    expect(events.map((e) => e.type)).toEqual(['mission_created', 'proposal_decided']);
    expect(events[1]!.payload).toMatchObject({ proposalId: decision.proposalId, status: 'approved' });
    expect(notified).toEqual(expect.arrayContaining(events.map((e) => e.id)));
  });

  it('a rolled-back state change leaves no event and sends no notification', async () => {
    const before = await lastId();
    notified.length = 0;
    await expect(
      withTransaction(db.pool, async (client) => {
        await client.query(`update atc.policies set updated_by = 'test' where key = 'quotas'`);
        await appendEvent(client, {
          type: 'policy_changed',
          aggregateType: 'policy',
          aggregateId: 'quotas',
          payload: { key: 'quotas', version: 1, by: 'test' },
        });
        throw new Error('the change failed after its event was written');
      }),
    ).rejects.toThrow('failed');
    await settle();
    expect(await listEventsAfter(db.pool, before)).toEqual([]);
    expect(notified).toEqual([]);
  });
});
