import type { HaltsState, ProposalInput } from '@atc/contracts';
import { routeApproval } from './approval-routing';
import type { PolicySnapshot } from './policies';
import { checkHalts, checkTradeContent, slotsNeeded, type AdmittedEntry } from './risk-gates';
import { defaultPolicies } from './seed-data';
import { analysisProposal, tradeProposal } from './testing/proposal.fixtures';

const noHalts: HaltsState = {
  global: null,
  markets: { crypto: null, options: null, futures: null },
  lossLatch: null,
};
const policies: PolicySnapshot = {
  version: 1,
  calendar: defaultPolicies.calendar,
  tradeLimits: defaultPolicies.trade_limits,
  riskControls: defaultPolicies.risk_controls,
  quotas: defaultPolicies.quotas,
  approval: defaultPolicies.approval,
  pricing: defaultPolicies.pricing,
  halts: noHalts,
};
/** The gates' pricing of a one-entry proposal, as routing receives it. */
const priced = (notionalUsd: string): AdmittedEntry[] => [
  {
    seq: 0,
    entry: {
      market: 'crypto',
      instrument: 'SOL',
      side: 'buy',
      quantity: '1',
      multiplier: '1',
      price: notionalUsd,
      notionalUsd,
      priceSource: 'mark',
      pricedAt: new Date(0),
    },
  },
];
const halt = { reason: 'drill', by: 'op', since: '2031-01-01T00:00:00Z' };
const close: ProposalInput = analysisProposal({
  steps: [{ kind: 'close_position', market: 'crypto', symbol: 'SOL', reason: 'stop' }],
});

describe('content gates', () => {
  it('pass a valid entry', () => {
    expect(checkTradeContent(tradeProposal(), policies)).toBeNull();
  });
  it('leave sizes to the pricing gate: a declared notional alone is never judged here', () => {
    expect(checkTradeContent(tradeProposal({ notionalUsd: '6000' }), policies)).toBeNull();
  });
  it('accept a futures bracket as the stop-loss', () => {
    const futures = tradeProposal({
      steps: [
        {
          kind: 'execute_trade',
          market: 'futures',
          trade: {
            market: 'futures',
            rootSymbol: 'MES',
            side: 'sell',
            contracts: 1,
            notionalUsd: '30',
            bracket: { stopLoss: '5100' },
          },
        },
      ],
    });
    expect(checkTradeContent(futures, policies)).toBeNull();
  });
  it('do not apply trade limits to analysis work', () => {
    expect(checkTradeContent(analysisProposal({ confidence: 0.1 }), policies)).toBeNull();
  });
});

describe('halt gates', () => {
  it('reject entries under the kill switch, a market halt or the loss latch', () => {
    expect(checkHalts(tradeProposal(), { ...noHalts, global: halt }, policies)?.reasonCode).toBe(
      'kill_switch',
    );
    expect(
      checkHalts(tradeProposal(), { ...noHalts, markets: { ...noHalts.markets, crypto: halt } }, policies)
        ?.reasonCode,
    ).toBe('market_halted');
    const latched = {
      ...noHalts,
      lossLatch: { trippedAt: 'x', tradingDay: '2031-01-01', realisedPnlUsd: '-70' },
    };
    expect(checkHalts(tradeProposal(), latched, policies)?.reasonCode).toBe('daily_loss_latched');
    expect(checkHalts(close, latched, policies)).toBeNull();
  });
  it('let closes through a halt only when the policy allows it', () => {
    const halted = { ...noHalts, global: halt };
    expect(checkHalts(close, halted, policies)).toBeNull();
    const strict = { ...policies, riskControls: { ...policies.riskControls, allowClosingWhenHalted: false } };
    expect(checkHalts(close, halted, strict)?.reasonCode).toBe('kill_switch');
  });
});

describe('slots and routing', () => {
  it('count one slot per step of each counted kind', () => {
    const mixed = analysisProposal({
      steps: [
        { kind: 'analyze', topic: 'a' },
        { kind: 'calculate_risk', scope: 'portfolio' },
        { kind: 'roundtable', format: 'debate', participants: ['atlas', 'sage'], topic: 't' },
        { kind: 'monitor_position', market: 'crypto', symbol: 'SOL' },
      ],
    });
    expect(slotsNeeded(mixed)).toEqual({ trades: 0, analyses: 2, roundtables: 1 });
  });
  it('auto-approve analysis and small confident trades; send the rest to a vote', () => {
    expect(routeApproval(analysisProposal(), policies, []).status).toBe('approved');
    expect(routeApproval(tradeProposal(), policies, priced('39.99')).status).toBe('approved');
    // The priced exposure decides, not the declared one.
    expect(routeApproval(tradeProposal({ notionalUsd: '1' }), policies, priced('40')).status).toBe(
      'awaiting_approval',
    );
    expect(routeApproval(tradeProposal({ confidence: 0.7 }), policies, priced('30')).status).toBe(
      'awaiting_approval',
    );
    const off = {
      ...policies,
      approval: {
        ...policies.approval,
        autoApproveTrades: { ...policies.approval.autoApproveTrades, enabled: false },
      },
    };
    expect(routeApproval(tradeProposal(), off, priced('30')).status).toBe('awaiting_approval');
  });
});
