import { canonicalJson } from './proposals';
import { DecimalString, PositiveDecimal } from './money';
import { ProposedStep, TradePayload, tradeSymbol } from './trade-payloads';
import { policySchemas } from './policies';

describe('money', () => {
  it('accepts exact decimal strings and refuses floats and exponents', () => {
    expect(DecimalString.safeParse('12.50').success).toBe(true);
    expect(DecimalString.safeParse('-0.000001').success).toBe(true);
    for (const bad of [12.5, '1e3', '01.5', '1.', '.5', 'NaN', ''])
      expect(DecimalString.safeParse(bad).success).toBe(false);
    expect(PositiveDecimal.safeParse('0').success).toBe(false);
    expect(PositiveDecimal.safeParse('0.0001').success).toBe(true);
  });
});

describe('trade payloads', () => {
  it('validate each market with field-level messages', () => {
    const options = TradePayload.safeParse({
      market: 'options',
      underlying: 'SPY',
      occSymbol: 'SPY240621C00500000',
      side: 'buy_to_open',
      quantity: 1,
      orderType: 'limit',
      notionalUsd: '50',
    });
    expect(options.success).toBe(false);
    expect(options.error?.issues.map((i) => i.path.join('.'))).toEqual(['limitPrice']);
    const futures = TradePayload.parse({
      market: 'futures',
      rootSymbol: 'MES',
      side: 'buy',
      contracts: 2,
      notionalUsd: '40',
    });
    expect(tradeSymbol(futures)).toBe('MES');
  });
  it('requires a step market equal to its trade market', () => {
    const step = ProposedStep.safeParse({
      kind: 'execute_trade',
      market: 'crypto',
      trade: { market: 'futures', rootSymbol: 'MES', side: 'buy', contracts: 1, notionalUsd: '40' },
    });
    expect(step.success).toBe(false);
    expect(step.error?.issues[0]?.path).toEqual(['market']);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: null, y: undefined }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[2,{"z":null}]},"b":1}',
    );
  });
});

describe('policy schemas', () => {
  it('refuse an unknown time zone and an inverted affinity range', () => {
    expect(policySchemas.calendar.safeParse({ timeZone: 'Mars/Olympus' }).success).toBe(false);
    expect(
      policySchemas.relationship_drift.safeParse({
        enabled: true,
        maxDriftPerConversation: 0.03,
        minAffinity: 0.9,
        maxAffinity: 0.1,
      }).success,
    ).toBe(false);
  });
});
