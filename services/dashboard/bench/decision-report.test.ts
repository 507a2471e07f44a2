import { quantile, reportDecisions, type Submission } from './decision-report';

const submission = (
  traceId: string,
  market: Submission['market'],
  sentAt: number,
  status = 201,
): Submission => ({
  traceId,
  market,
  sentAt,
  status,
  detail: status === 201 ? '' : 'refused',
});

describe('bench:decision figures', () => {
  it('takes the nearest-rank quantile', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(sorted, 0.5)).toBe(50);
    expect(quantile(sorted, 0.99)).toBe(99);
    expect(quantile([7], 0.99)).toBe(7);
  });

  it('times each proposal to its order at the venue and accounts for every proposal', () => {
    const lines: string[] = [];
    reportDecisions({
      submissions: [
        submission('t1', 'crypto', 1000),
        submission('t2', 'futures', 1000),
        submission('t3', 'options', 1000),
        submission('t4', 'options', 1000, 422),
        submission('t5', 'futures', 1000),
      ],
      rows: [
        // Solana's journal names the signature, which the order holds as its venue order id.
        {
          sourceTraceId: 't1',
          status: 'approved',
          reasonCode: null,
          orders: [{ clientOrderId: 'c1', venueOrderId: 'sig1', status: 'filled' }],
        },
        {
          sourceTraceId: 't2',
          status: 'approved',
          reasonCode: null,
          orders: [{ clientOrderId: 'c2', venueOrderId: null, status: 'submitted' }],
        },
        { sourceTraceId: 't3', status: 'rejected', reasonCode: 'position_size', orders: [] },
        {
          sourceTraceId: 't5',
          status: 'approved',
          reasonCode: null,
          orders: [{ clientOrderId: 'c5', venueOrderId: null, status: 'intent' }],
        },
      ],
      seen: [
        { clientOrderId: 'sig1', venueOrderId: 'sig1', seenAt: 1040 },
        { clientOrderId: 'c2', venueOrderId: 'v2', seenAt: 1012.5 },
      ],
      write: (line = '') => lines.push(line),
    });
    const text = lines.join('\n');
    expect(text).toMatch(/crypto +n +1 +p50 40\.0 ms +p99 40\.0 ms/);
    expect(text).toMatch(/futures +n +1 +p50 12\.5 ms/);
    expect(text).toContain('every proposal (5):');
    expect(text).toMatch(/options: rejected position_size +1/);
    expect(text).toMatch(/options: refused 422 +1/);
    expect(text).toMatch(/futures: no venue order in time \(proposal approved, order intent\) +1/);
    expect(text).toContain('first refusal: 422 refused');
  });
});
