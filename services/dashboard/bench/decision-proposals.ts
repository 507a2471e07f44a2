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

/** The OCC symbols of the templates' options limit orders. */
export function optionLimitSymbols(templates: readonly ProposalTemplate[]): string[] {
  return templates.flatMap((template) =>
    optionTrades(template).flatMap((trade) =>
      trade.orderType === 'limit' && typeof trade.occSymbol === 'string' ? [trade.occSymbol] : [],
    ),
  );
}

/** Above the ask, in basis points: room for the price to tick up between the quote and the order. */
export const OPTION_LIMIT_HEADROOM_BPS = 500n;

/**
 * The templates with every options limit price set to the venue's ask plus 5 % (rounded up to the
 * cent), so the order is marketable: a trader buying now pays up to the ask. A fixed limit below the
 * market (the README example's 0.45) rests unfilled, and its step holds a worker slot for
 * ORDER_SETTLE_WAIT_MS before handing it to reconciliation: the bench would time that queue, not the
 * decision path.
 */
export function withMarketableOptionLimits(
  templates: readonly ProposalTemplate[],
  asks: Readonly<Record<string, string>>,
): readonly ProposalTemplate[] {
  return templates.map((template) => {
    const trades = optionTrades(template);
    if (trades.length === 0) return template;
    const steps = (template.body.steps as Record<string, unknown>[]).map((step) => {
      const trade = step.trade as Record<string, unknown> | undefined;
      const ask = typeof trade?.occSymbol === 'string' ? asks[trade.occSymbol] : undefined;
      if (trade?.orderType !== 'limit' || ask === undefined) return step;
      return { ...step, trade: { ...trade, limitPrice: withHeadroom(roundUpToCent(ask)) } };
    });
    return { ...template, body: { ...template.body, steps } };
  });
}

function optionTrades(template: ProposalTemplate): Record<string, unknown>[] {
  const steps = Array.isArray(template.body.steps) ? (template.body.steps as unknown[]) : [];
  return steps.flatMap((step) => {
    const trade = (step as { trade?: Record<string, unknown> }).trade;
    return trade?.market === 'options' ? [trade] : [];
  });
}

/** A whole-cent price raised by OPTION_LIMIT_HEADROOM_BPS, rounded up to the cent (integer cents, no float). */
function withHeadroom(price: string): string {
  const cents = BigInt(price.replace('.', ''));
  const raised = (cents * (10_000n + OPTION_LIMIT_HEADROOM_BPS) + 9_999n) / 10_000n;
  return `${raised / 100n}.${(raised % 100n).toString().padStart(2, '0')}`;
}

/** A decimal price string rounded up to whole cents, in decimal arithmetic (no float). */
export function roundUpToCent(price: string): string {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(price);
  if (!match) throw new Error(`not a decimal price: ${price}`);
  const fraction = (match[2] ?? '').padEnd(2, '0');
  let cents = BigInt(match[1]!) * 100n + BigInt(fraction.slice(0, 2));
  if (/[1-9]/.test(fraction.slice(2))) cents += 1n;
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}
