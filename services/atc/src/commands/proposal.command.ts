import { readFileSync } from 'node:fs';
import { InputError, NotFoundError, type Logger } from '@atc/platform';
import { ProposalInput, ProposalStatus, type ProposalDecision } from '@atc/contracts';
import {
  approveProposal,
  contentHash,
  pageProposals,
  parseOrThrow,
  rejectProposal,
  selectProposal,
  selectProposalAdmissions,
  selectProposalOrderPricing,
  submitProposal,
  tradesOfProposal,
  type ProposalRow,
} from '@atc/trading';
import type { CliConfig } from '../cli.config';
import { formatTable, writeJson, writeLine } from '../output';
import { operatorName, withCommandPool, type TradingArguments } from './trading-cli';
import { quoteOperatorEntries } from './venue-quotes';

const USAGE =
  'usage: atc proposal submit -f FILE | list [--status S] | show ID | explain ID | approve ID | reject ID --reason R';

export function readJsonFile(file: string | undefined): unknown {
  if (!file) throw new InputError('this command needs -f FILE (a JSON document)');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new InputError(`cannot read JSON from ${file}`, { cause: error });
  }
}

function printDecision(decision: ProposalDecision, json: boolean): number {
  if (json) writeJson(decision);
  else {
    const reason = decision.reasonCode ? ` (${decision.reasonCode}: ${decision.reasonMessage})` : '';
    const mission = decision.missionId ? `; mission ${decision.missionId}` : '';
    writeLine(
      `proposal ${decision.proposalId} is ${decision.status}${reason}${mission}${decision.replayed ? ' [replay]' : ''}`,
    );
  }
  // A rejection is an answer, not a failure of the command; scripts read the status.
  return 0;
}

function summary(row: ProposalRow) {
  return {
    id: row.id,
    status: row.status,
    agent: row.agent,
    title: row.title,
    confidence: row.confidence,
    reason: row.reasonCode ?? '',
    created: row.createdAt,
    expires: row.expiresAt,
  };
}

async function show(
  id: string | undefined,
  config: CliConfig,
  logger: Logger,
  json: boolean,
): Promise<number> {
  if (!id) throw new InputError(USAGE);
  const row = await withCommandPool(config, logger, (pool) => selectProposal(pool, id));
  if (!row) throw new NotFoundError(`proposal ${id} does not exist`);
  if (json) writeJson(row);
  else {
    writeLine(formatTable([summary(row)]));
    writeLine(`content (sha256 ${row.contentHash}):`);
    writeLine(JSON.stringify(row.content, null, 2));
  }
  return 0;
}

/**
 * How the risk engine priced the proposal's entries (instrument, exact quantity, price, its source
 * and time, the admitted USD exposure) and, once sent, each order's admitted and send-time pricing.
 */
async function explain(
  id: string | undefined,
  config: CliConfig,
  logger: Logger,
  json: boolean,
): Promise<number> {
  if (!id) throw new InputError(USAGE);
  const found = await withCommandPool(config, logger, async (pool) => {
    const row = await selectProposal(pool, id);
    if (!row) return undefined;
    return {
      proposal: row,
      entries: await selectProposalAdmissions(pool, id),
      orders: await selectProposalOrderPricing(pool, id),
    };
  });
  if (!found) throw new NotFoundError(`proposal ${id} does not exist`);
  if (json) {
    writeJson({ proposalId: id, entries: found.entries, orders: found.orders });
    return 0;
  }
  writeLine(formatTable([summary(found.proposal)]));
  writeLine('priced entries (what the risk gates admitted):');
  writeLine(
    found.entries.length === 0
      ? '  none (rejected before pricing, or no entries)'
      : formatTable(
          found.entries.map((e) => ({
            step: e.stepSeq,
            market: e.market,
            instrument: e.instrument,
            quantity: e.quantity,
            price: e.price,
            source: e.priceSource,
            pricedAt: e.pricedAt,
            exposureUsd: e.notionalUsd,
          })),
        ),
  );
  if (found.orders.length > 0) {
    writeLine('orders (admitted vs priced at send):');
    writeLine(formatTable(found.orders.map((o) => ({ ...o }))));
  }
  return 0;
}

/**
 * approve/reject bind the decision to the content the operator is shown: the CLI loads the stored
 * proposal, hashes the content it displays, and the domain refuses if that is not what is stored.
 */
async function decide(
  action: 'approve' | 'reject',
  args: TradingArguments,
  config: CliConfig,
  logger: Logger,
) {
  const id = args.rest[1];
  if (!id) throw new InputError(USAGE);
  if (action === 'reject' && !args.reason) throw new InputError('reject needs --reason R');
  const approver = operatorName(args);
  const decision = await withCommandPool(config, logger, async (pool) => {
    const row = await selectProposal(pool, id);
    if (!row) throw new NotFoundError(`proposal ${id} does not exist`);
    const request = { proposalId: id, approver, contentHash: contentHash(row.content) };
    if (action === 'reject') return rejectProposal(pool, { ...request, reason: args.reason ?? '' });
    // An approval re-runs the gates: they price each entry from the venue's quote now (or a mark).
    const quotes = await quoteOperatorEntries(pool, tradesOfProposal(row.content), config, logger);
    return approveProposal(pool, request, { asOf: args.clock.now(), quotes, logger });
  });
  return printDecision(decision, args.json);
}

export async function runProposal(
  args: TradingArguments,
  config: CliConfig,
  logger: Logger,
): Promise<number> {
  const action = args.rest[0];
  switch (action) {
    case 'submit': {
      const input = readJsonFile(args.file);
      // Refused with the field's path (as the intake would) before any venue is asked for a quote.
      const trades = tradesOfProposal(parseOrThrow(ProposalInput, input, 'proposal'));
      const decision = await withCommandPool(config, logger, async (pool) => {
        const quotes = await quoteOperatorEntries(pool, trades, config, logger);
        return submitProposal(pool, input, {
          asOf: args.clock.now(),
          quotes,
          logger,
          submittedBy: operatorName(args),
        });
      });
      return printDecision(decision, args.json);
    }
    case 'list': {
      const status = args.status === undefined ? undefined : ProposalStatus.safeParse(args.status);
      if (status && !status.success) {
        throw new InputError(`--status must be one of ${ProposalStatus.options.join(', ')}`);
      }
      const rows = await withCommandPool(config, logger, (pool) =>
        // The newest 200, by the same query GET /api/proposals pages through.
        pageProposals(pool, { status: status?.data }, { limit: 200 }).then((page) => page.rows),
      );
      if (args.json) writeJson(rows);
      else writeLine(formatTable(rows.map(summary)));
      return 0;
    }
    case 'show':
      return show(args.rest[1], config, logger, args.json);
    case 'explain':
      return explain(args.rest[1], config, logger, args.json);
    case 'approve':
    case 'reject':
      return decide(action, args, config, logger);
    default:
      throw new InputError(USAGE);
  }
}
