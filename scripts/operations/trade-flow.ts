/**
 * Trades in flight for the outage suite: proposals submitted one after another through `atc proposal
 * submit` (the operator's path) until told to stop, and the accounting afterwards — every submitted
 * proposal found, each approved one's trade step terminal exactly once, no client order id twice in
 * the simulator's journal (`GET /_sim/orders`).
 * @module
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import type { LocalCompany } from '../monitoring/local-company';

/** A one-USDC SOL buy: small enough that a run's few dozen stay inside the crypto exposure limit. */
function proposal(traceId: string): unknown {
  return {
    source: 'operator',
    sourceTraceId: traceId,
    agent: 'atlas',
    title: `Outage suite ${traceId}`,
    rationale: 'database outage suite',
    confidence: 0.8,
    steps: [
      {
        kind: 'execute_trade',
        market: 'crypto',
        trade: {
          market: 'crypto',
          inputMint: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
          outputMint: 'So11111111111111111111111111111111111111112',
          side: 'buy',
          amount: '1',
          notionalUsd: '1',
          stopLoss: '100',
        },
      },
    ],
  };
}

/**
 * Room for a run's trades: the seeded limits (eight trades a day, 60 USD of crypto exposure) would
 * reject most of them before the outage, and nothing would be in flight when the database stops.
 */
export async function raiseTradeLimits(company: LocalCompany, directory: string): Promise<void> {
  const current = await company.atc(['policy', 'get', 'trade_limits', '--json']);
  if (current.code !== 0) throw new Error(`atc policy get trade_limits failed: ${current.stderr}`);
  const limits = (JSON.parse(current.stdout) as { value: Record<string, unknown> }).value;
  const file = path.join(directory, 'trade-limits.json');
  writeFileSync(file, JSON.stringify({ ...limits, maxDailyTrades: 1_000, maxTotalExposureUsd: '1000' }));
  const set = await company.atc(['policy', 'set', 'trade_limits', '-f', file]);
  if (set.code !== 0) throw new Error(`atc policy set trade_limits failed: ${set.stderr}`);
}

/** This run's trade steps not yet terminal: the trades in flight. */
export async function tradesInFlight(db: Pool, prefix: string): Promise<number> {
  const accounts = await accountProposals(db, prefix);
  return accounts.reduce((sum, account) => sum + account.tradeSteps - account.terminalSteps, 0);
}

export interface Submissions {
  /** Proposal id → status the command answered. */
  readonly decided: Map<string, string>;
  /** Submissions the command refused (the database was down): nothing was recorded. */
  failed: number;
  /** Why the last refused submission was refused (the last line of its stderr). */
  lastRefusal?: string | undefined;
}

export function mergeSubmissions(lanes: readonly Submissions[]): Submissions {
  return {
    decided: new Map(lanes.flatMap((lane) => [...lane.decided])),
    failed: lanes.reduce((sum, lane) => sum + lane.failed, 0),
    lastRefusal: lanes.map((lane) => lane.lastRefusal).find(Boolean),
  };
}

/** Submits proposals back to back until `until` resolves; the command's own start-up paces them. */
export async function submitSteadily(options: {
  company: LocalCompany;
  directory: string;
  prefix: string;
  until: Promise<void>;
}): Promise<Submissions> {
  const submissions: Submissions = { decided: new Map(), failed: 0 };
  let stopped = false;
  void options.until.then(() => (stopped = true));
  for (let n = 1; !stopped; n += 1) {
    const file = path.join(options.directory, `${options.prefix}-${n}.json`);
    writeFileSync(file, JSON.stringify(proposal(`${options.prefix}-${n}`)));
    const result = await options.company.atc(['proposal', 'submit', '-f', file, '--json']);
    if (result.code !== 0) {
      submissions.failed += 1;
      submissions.lastRefusal = result.stderr.trim().split('\n').pop();
      continue;
    }
    const decision = JSON.parse(result.stdout) as { proposalId: string; status: string };
    submissions.decided.set(decision.proposalId, decision.status);
  }
  return submissions;
}

interface ProposalAccount {
  readonly id: string;
  readonly status: string;
  readonly reason: string | null;
  readonly missions: number;
  readonly tradeSteps: number;
  readonly terminalSteps: number;
  readonly stepStatuses: string[];
}

const TERMINAL = ['succeeded', 'failed', 'needs_reconciliation', 'cancelled', 'dead'];

/** Every proposal of this run with its missions and trade steps (execute_trade) and their states. */
export async function accountProposals(db: Pool, prefix: string): Promise<ProposalAccount[]> {
  const result = await db.query<ProposalAccount>(
    `select p.id, p.status, p.reason_code as reason,
            count(distinct m.id)::int as missions,
            count(s.id)::int as "tradeSteps",
            count(s.id) filter (where s.status = any($2::text[]))::int as "terminalSteps",
            coalesce(array_agg(s.status::text) filter (where s.id is not null), '{}'::text[]) as "stepStatuses"
       from atc.proposals p
       left join atc.missions m on m.proposal_id = p.id
       -- only the trade: an approved proposal's mission may hold monitoring steps that run on
       left join atc.steps s on s.mission_id = m.id and s.kind = 'execute_trade'
      where p.source_trace_id like $1::text || '-%'
      group by p.id, p.status, p.reason_code`,
    [prefix, TERMINAL],
  );
  return result.rows;
}

/** `approved 4, rejected (price_unavailable) 1; trade steps succeeded 4`: what the run's proposals came to. */
export function describeAccounts(accounts: readonly ProposalAccount[]): string {
  const count = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
    return [...counts].map(([value, n]) => `${value} ${n}`).join(', ') || 'none';
  };
  const proposals = count(accounts.map((a) => (a.reason ? `${a.status} (${a.reason})` : a.status)));
  return `proposals ${proposals}; trade steps ${count(accounts.flatMap((a) => a.stepStatuses))}`;
}

/** What is wrong with the run's proposals and steps; empty when every one is accounted for. */
export function proposalProblems(submissions: Submissions, accounts: readonly ProposalAccount[]): string[] {
  const problems: string[] = [];
  const byId = new Map(accounts.map((account) => [account.id, account]));
  for (const id of submissions.decided.keys())
    if (!byId.has(id)) problems.push(`proposal ${id} was submitted but is not in the database`);
  for (const account of accounts) {
    // A rejected proposal (a limit, a price) has no mission: nothing to run.
    if (account.missions === 0 && account.status !== 'approved') continue;
    if (account.missions !== 1) problems.push(`proposal ${account.id} has ${account.missions} missions`);
    if (account.tradeSteps !== 1)
      problems.push(`proposal ${account.id} has ${account.tradeSteps} trade steps`);
    if (account.terminalSteps !== account.tradeSteps)
      problems.push(
        `proposal ${account.id}'s trade step is not terminal: ${account.stepStatuses.join(', ')}`,
      );
  }
  return problems;
}

interface JournalEntry {
  readonly venue: string;
  readonly clientOrderId: string | null;
  readonly outcome: string;
}

/** The simulator's journal: every order submission it received, duplicates included. */
export async function simulatorJournal(simulatorUrl: string): Promise<JournalEntry[]> {
  const response = await fetch(`${simulatorUrl}/_sim/orders`);
  if (!response.ok) throw new Error(`GET /_sim/orders answered ${response.status}`);
  return ((await response.json()) as { orders: JournalEntry[] }).orders;
}

/**
 * Every order id the company recorded in `atc.orders`: the client order id written before the send,
 * and the venue's id (a Solana swap's signature, which is what the simulator journals for it).
 */
export async function recordedOrderIds(db: Pool): Promise<Set<string>> {
  const result = await db.query<{ id: string }>(
    `select client_order_id as id from atc.orders
     union
     select venue_order_id from atc.orders where venue_order_id is not null`,
  );
  return new Set(result.rows.map((row) => row.id));
}

/** Orders the venue received that no step recorded: a send the company would not know about. */
export function unrecordedOrders(journal: readonly JournalEntry[], recorded: ReadonlySet<string>): string[] {
  return journal.flatMap((entry) =>
    entry.clientOrderId !== null && !recorded.has(entry.clientOrderId)
      ? [`${entry.venue}:${entry.clientOrderId}`]
      : [],
  );
}

/** `accepted 25, rejected 1`. */
export function describeJournal(journal: readonly JournalEntry[]): string {
  const counts = new Map<string, number>();
  for (const entry of journal) counts.set(entry.outcome, (counts.get(entry.outcome) ?? 0) + 1);
  return [...counts].map(([outcome, n]) => `${outcome} ${n}`).join(', ') || 'none';
}

/** Client order ids the venue received more than once. */
export function duplicateOrders(journal: readonly JournalEntry[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const entry of journal) {
    if (entry.clientOrderId === null) continue;
    const key = `${entry.venue}:${entry.clientOrderId}`;
    if (seen.has(key)) twice.add(key);
    seen.add(key);
  }
  return [...twice];
}
