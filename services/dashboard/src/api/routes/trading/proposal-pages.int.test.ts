/**
 * GET /api/proposals's shared pages against the real database and the real live-stream hub: a page is
 * shared by the requests of its window, a decision made by another process reaches the next read
 * through the hub's proposal event, and a write through this process's routes is seen at once.
 * @module
 */
import { once } from 'node:events';
import { createMetricsRegistry, silentLogger } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { applySeeds, rejectProposal, selectProposal, submitProposal } from '@atc/trading';
import { insertTestMarks, tradeProposal } from '@atc/trading/testing';
import { createProposalPages } from '../../cache/proposal-pages';
import { createEventStream } from '../../stream/create-event-stream';
import type { EventStreamService } from '../../stream/serve-event-stream';
import { TEST_STREAM_CONFIG } from '../../stream/testing/stream-test-server';
import { listProposalsRoute, rejectProposalRoute } from './proposals.routes';
import { apiContext, callRoute } from './testing/api-context.fixture';

const asOf = new Date('2031-02-04T15:00:00Z');

describe('shared proposal pages', () => {
  let db: TestDatabase;
  let stream: EventStreamService;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    stream = createEventStream({
      pool: db.pool,
      databaseUrl: db.url,
      registry: createMetricsRegistry({ service: 'dashboard', version: 'test' }),
      logger: silentLogger(),
      config: TEST_STREAM_CONFIG,
    });
    await stream.hub.start();
  });
  afterAll(async () => {
    await stream.hub.stop();
    await db.drop();
  });
  beforeEach(async () => {
    await db.pool.query(
      `truncate atc.entry_admissions, atc.steps, atc.missions, atc.proposals, atc.counters, atc.price_samples cascade`,
    );
    await insertTestMarks(db.pool, asOf);
  });

  /** The dashboard's wiring: pages shared for a minute, so only an invalidation can refresh them. */
  function servicesWithPages() {
    const proposalPages = createProposalPages({
      hub: stream.hub,
      maxAgeMs: 60_000,
      clock: { now: () => asOf },
    });
    return { proposalPages };
  }

  const list = async (services: object, query: Record<string, string> = {}) =>
    (await callRoute(listProposalsRoute, { query }, apiContext(db.pool, { at: asOf, services }))).body.items;

  /** Waits until the hub has read an event of the given type (a batch of the live stream). */
  async function hubReads(type: string): Promise<void> {
    for (;;) {
      const [frames] = (await once(stream.hub, 'batch')) as [{ type: string }[]];
      if (frames.some((frame) => frame.type === type)) return;
    }
  }

  /**
   * An awaiting proposal (50 USD is above the auto-approval ceiling), submitted through the domain;
   * resolves once the hub has read the submission's own event, so it cannot land in a later step.
   */
  async function submitAwaiting(): Promise<{ id: string; contentHash: string }> {
    const read = hubReads('proposal_decided');
    const decision = await submitProposal(db.pool, tradeProposal({ notionalUsd: '50' }), {
      asOf,
      logger: silentLogger(),
    });
    const row = await selectProposal(db.pool, decision.proposalId);
    await read;
    return { id: decision.proposalId, contentHash: row!.contentHash };
  }

  it('answers the requests of a window with one read: a row written without an event is not seen', async () => {
    const services = servicesWithPages();
    const first = await submitAwaiting();
    expect((await list(services)).map((item) => item.id)).toEqual([first.id]);
    // A row no process announced (written straight into the table) stays out of the shared page.
    await db.pool.query(
      `insert into atc.proposals (source, source_trace_id, agent, title, confidence, content, content_hash)
       values ('agent', 'silent-row', 'atlas', 'silent', 0.5, '{}'::jsonb, repeat('a', 64))`,
    );
    expect(await list(services)).toHaveLength(1);
    // Without the shared pages every request reads.
    expect(await list({})).toHaveLength(2);
  });

  it("shows another process's decision on the next read, once the hub has read its event", async () => {
    const services = servicesWithPages();
    const proposal = await submitAwaiting();
    expect((await list(services))[0]).toMatchObject({ id: proposal.id, status: 'awaiting_approval' });
    const read = hubReads('proposal_decided');
    // Another process (a worker, the heartbeat, another replica) decides it through the domain.
    await rejectProposal(db.pool, {
      proposalId: proposal.id,
      approver: 'key:bob',
      contentHash: proposal.contentHash,
      reason: 'decided elsewhere',
    });
    await read;
    expect((await list(services))[0]).toMatchObject({ id: proposal.id, status: 'rejected' });
    expect(await list(services, { status: 'awaiting_approval' })).toEqual([]);
  });

  it('shows a decision made through this process at once, before the hub reads it', async () => {
    // A hub that never delivers: only the write route's own invalidation can refresh the page.
    const silentHub = { on: () => undefined };
    const services = {
      proposalPages: createProposalPages({ hub: silentHub, maxAgeMs: 60_000, clock: { now: () => asOf } }),
    };
    const proposal = await submitAwaiting();
    expect((await list(services))[0]).toMatchObject({ status: 'awaiting_approval' });
    await callRoute(
      rejectProposalRoute,
      { params: { id: proposal.id }, body: { contentHash: proposal.contentHash, reason: 'not today' } },
      apiContext(db.pool, { at: asOf, services }),
    );
    expect((await list(services))[0]).toMatchObject({ status: 'rejected' });
  });
});
