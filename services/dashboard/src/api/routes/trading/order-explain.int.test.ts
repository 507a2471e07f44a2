/**
 * The explain-every-order chain of a real trade in each market: proposals submitted and approved
 * through the routes, executed by the two-phase trade executor against a TestVenue, opened and then
 * closed, and every link — signal → proposal → gates → approval → mission → step → intent → venue
 * order → fills → position → outcome — present and pointing at the same trade.
 * @module
 */
import { fixedClock, type Market, type OrderExplanation, type ProposalInput } from '@atc/contracts';
import { NotFoundError } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { claimSteps, settleStep, SettleBatcher, type StepOutcome } from '@atc/queue';
import { applySeeds, createTradeStepExecutor } from '@atc/trading';
import { insertTestMarks, SOL_MINT, tradeProposal, USDC_MINT } from '@atc/trading/testing';
import { silentLogger } from '@atc/platform';
import { TestVenue } from '@atc/venues/testing';
import { explainOrderRoute } from './orders.routes';
import { approveProposalRoute, getProposalRoute, submitProposalRoute } from './proposals.routes';
import { apiContext, callRoute } from './testing/api-context.fixture';

const asOf = new Date('2031-02-04T15:00:00Z');
const OCC = 'SPY310221C00500000';

/** Per market: the marks the gates price from, the venue's price, and an opening trade. */
const MARKETS: Record<Market, { marks: Record<string, string>; open: ProposalInput['steps'][number] }> = {
  crypto: {
    marks: { [USDC_MINT]: '1', [SOL_MINT]: '150' },
    open: tradeProposal().steps[0]!,
  },
  options: {
    marks: { [OCC]: '0.45' },
    open: {
      kind: 'execute_trade',
      market: 'options',
      trade: {
        market: 'options',
        underlying: 'SPY',
        occSymbol: OCC,
        side: 'buy_to_open',
        quantity: 1,
        orderType: 'market',
        stopLoss: '0.2',
      },
    },
  },
  futures: {
    marks: { MES: '6000' },
    open: {
      kind: 'execute_trade',
      market: 'futures',
      trade: {
        market: 'futures',
        rootSymbol: 'MES',
        side: 'buy',
        contracts: 1,
        bracket: { stopLoss: '5994' },
      },
    },
  },
};

describe('GET /api/orders/:clientOrderId/explain', () => {
  let db: TestDatabase;
  let trace = 0;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query(
      `truncate atc.fills, atc.outcomes, atc.positions, atc.orders, atc.entry_admissions, atc.steps,
                atc.missions, atc.proposals, atc.counters, atc.price_samples cascade`,
    );
  });

  const context = () => apiContext(db.pool, { at: asOf, name: 'key:alice' });

  /** Submits through the route and, when the gates route it to an operator, approves it through the route. */
  async function decide(steps: ProposalInput['steps']): Promise<string> {
    const input: ProposalInput = {
      source: 'operator',
      sourceTraceId: `explain-${++trace}`,
      agent: 'atlas',
      title: `explain test ${trace}`,
      confidence: 0.9,
      steps,
    };
    const submitted = await callRoute(submitProposalRoute, { body: input }, context());
    let decision = submitted.body;
    if (decision.status === 'awaiting_approval') {
      const shown = await callRoute(getProposalRoute, { params: { id: decision.proposalId } }, context());
      decision = (
        await callRoute(
          approveProposalRoute,
          { params: { id: decision.proposalId }, body: { contentHash: shown.body.contentHash } },
          context(),
        )
      ).body;
    }
    expect(decision).toMatchObject({ status: 'approved' });
    return decision.proposalId;
  }

  /** Claims the market's one queued trade step and runs it to the end; answers its client order id. */
  async function execute(market: Market, venue: TestVenue): Promise<string> {
    const [step] = await claimSteps(db.pool, {
      market,
      workerId: 'w1',
      limit: 1,
      leaseMs: 30_000,
      kinds: ['execute_trade', 'close_position'],
    });
    if (!step) throw new Error(`no ${market} step was queued`);
    const executor = createTradeStepExecutor({
      pool: db.pool,
      venue,
      actor: 'test-worker',
      settleWaitMs: 0,
      clock: fixedClock(asOf.getTime() + 10_000),
    });
    const lease = { stepId: step.id, workerId: 'w1', attempt: step.attempt };
    let result: StepOutcome | { thrown: unknown };
    try {
      result = await executor(step, { lease, signal: new AbortController().signal, logger: silentLogger() });
    } catch (thrown) {
      result = { thrown };
    }
    expect(await settleStep(new SettleBatcher(db.pool), step, lease, result)).toBe('succeeded');
    return `atc-${step.id}-${step.attempt}`;
  }

  const explain = async (clientOrderId: string): Promise<OrderExplanation> =>
    (await callRoute(explainOrderRoute, { params: { clientOrderId } }, context())).body;

  /** Every link of the chain is there and they all describe the same trade. */
  function expectLinked(chain: OrderExplanation, proposalId: string, clientOrderId: string): void {
    expect(chain.signal).toEqual({
      source: 'operator',
      sourceTraceId: chain.proposal.sourceTraceId,
      agent: 'atlas',
    });
    expect(chain.proposal.id).toBe(proposalId);
    expect(chain.gates.results.at(-1)).toMatchObject({ status: 'approved' });
    expect(chain.approval).toMatchObject({ status: 'approved' });
    expect(chain.mission.proposalId).toBe(proposalId);
    expect(chain.step.id).toBe(clientOrderId.slice('atc-'.length, clientOrderId.lastIndexOf('-')));
    expect(chain.step.status).toBe('succeeded');
    expect(chain.intent.clientOrderId).toBe(clientOrderId);
    expect(chain.venueOrder).toMatchObject({ status: 'filled' });
    expect(chain.fills.length).toBeGreaterThan(0);
    expect(chain.position).not.toBeNull();
    expect(chain.fills.every((fill) => fill.positionId === chain.position?.id)).toBe(true);
  }

  it.each(['crypto', 'options', 'futures'] as const)(
    '%s: an opening and a closing trade each explain every link, the close down to its outcome',
    async (market) => {
      const { marks, open } = MARKETS[market];
      await insertTestMarks(db.pool, asOf, marks, market);
      const venue = new TestVenue({ market, prices: marks });

      const opening = await decide([open]);
      const openOrder = await execute(market, venue);
      const opened = await explain(openOrder);
      expectLinked(opened, opening, openOrder);
      expect(opened.gates.admissions).toHaveLength(1);
      expect(opened.approval?.decidedBy).toBe(opened.gates.results.length > 1 ? 'key:alice' : 'risk-gates');
      expect(opened.position).toMatchObject({ market, status: 'open' });
      expect(opened.outcome).toBeNull();

      const symbol = opened.position!.symbol;
      const closing = await decide([{ kind: 'close_position', market, symbol, reason: 'explain test' }]);
      const closeOrder = await execute(market, venue);
      const closed = await explain(closeOrder);
      expectLinked(closed, closing, closeOrder);
      expect(closed.position).toMatchObject({ id: opened.position!.id, status: 'closed' });
      expect(closed.outcome).toMatchObject({ outcomeType: 'breakeven', realisedPnl: '0' });
    },
  );

  it('an unknown client order id is a NotFoundError (404)', async () => {
    await expect(explain('atc-00000000-0000-0000-0000-000000000000-1')).rejects.toBeInstanceOf(NotFoundError);
  });
});
