/**
 * The proposals bench:decision submits: one template per market, shaped like the README's examples
 * (small enough for the default auto-approval: notional under 40 USD, confidence 0.8), or the templates
 * of BENCH_PROPOSALS_FILE. Each submission gets its own `sourceTraceId`.
 * @module
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { markets, type Market } from '@atc/contracts';

export interface ProposalTemplate {
  readonly market: Market;
  readonly body: Readonly<Record<string, unknown>>;
}

const common = { source: 'operator', agent: 'atlas', rationale: 'bench:decision', confidence: 0.8 };

const BUILT_IN: readonly ProposalTemplate[] = [
  {
    market: 'crypto',
    body: {
      ...common,
      title: 'Bench: buy SOL with 20 USDC',
      steps: [
        {
          kind: 'execute_trade',
          market: 'crypto',
          trade: {
            market: 'crypto',
            inputMint: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
            outputMint: 'So11111111111111111111111111111111111111112',
            side: 'buy',
            amount: '20',
            stopLoss: '100',
          },
        },
      ],
    },
  },
  {
    market: 'options',
    body: {
      ...common,
      title: 'Bench: buy one SPY call',
      steps: [
        {
          kind: 'execute_trade',
          market: 'options',
          trade: {
            market: 'options',
            underlying: 'SPY',
            occSymbol: 'SPY270115C00650000',
            side: 'buy_to_open',
            quantity: 1,
            orderType: 'limit',
            limitPrice: '0.45',
            stopLoss: '0.1',
          },
        },
      ],
    },
  },
  {
    market: 'futures',
    body: {
      ...common,
      title: 'Bench: buy one MES',
      steps: [
        {
          kind: 'execute_trade',
          market: 'futures',
          trade: {
            market: 'futures',
            rootSymbol: 'MES',
            side: 'buy',
            contracts: 1,
            bracket: { stopLoss: '5994', takeProfit: '6012' },
          },
        },
      ],
    },
  },
];

const templateFile = z
  .array(
    z.looseObject({
      steps: z.array(z.looseObject({ market: z.enum(markets) })).min(1),
    }),
  )
  .min(1);

/** The templates to rotate over: the file's (each one's market from its first step), or the built-in ones. */
export function proposalTemplates(file: string | undefined): readonly ProposalTemplate[] {
  if (file === undefined) return BUILT_IN;
  const parsed = templateFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.map((body) => ({ market: body.steps[0]!.market, body }));
}
