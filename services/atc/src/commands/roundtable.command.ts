/**
 * `atc roundtable list [--limit N] [--format F]` and `atc roundtable show ID`: the roundtable's
 * conversations as the roundtable worker stored them, turn by turn, with their votes, decision,
 * memories, relationship drift and the proposals their action items became.
 * @module
 */
import { ConversationFormat } from '@atc/contracts';
import { InputError, NotFoundError, type Logger, type Pool } from '@atc/platform';
import {
  selectConversationHeader,
  selectConversationList,
  selectConversationMemories,
  selectConversationTurns,
  selectConversationVotes,
} from '@atc/trading';
import type { CliConfig } from '../cli.config';
import { formatTable, writeJson, writeLine } from '../output';
import { withCommandPool } from './trading-cli';

export interface RoundtableArguments {
  readonly action: string | undefined;
  readonly positionals: readonly string[];
  readonly limit: string | undefined;
  readonly format: string | undefined;
  readonly json: boolean;
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 500;

function limitOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new InputError(`--limit must be an integer from 1 to ${MAX_LIMIT}; got ${JSON.stringify(raw)}`);
  return limit;
}

function formatOf(raw: string | undefined): ConversationFormat | undefined {
  if (raw === undefined) return undefined;
  const parsed = ConversationFormat.safeParse(raw);
  if (!parsed.success)
    throw new InputError(
      `--format must be one of ${ConversationFormat.options.join(', ')}; got ${JSON.stringify(raw)}`,
    );
  return parsed.data;
}

async function readConversation(pool: Pool, id: string) {
  const header = await selectConversationHeader(pool, id);
  if (!header) throw new NotFoundError(`conversation ${id} does not exist`);
  const [turns, votes, memories] = await Promise.all([
    selectConversationTurns(pool, id),
    selectConversationVotes(pool, id),
    selectConversationMemories(pool, id),
  ]);
  return { ...header, turns, votes, memories };
}

type ConversationView = Awaited<ReturnType<typeof readConversation>>;

const listOf = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? (value as Record<string, unknown>[]) : [];

function printConversation(c: ConversationView): void {
  writeLine(`${c.format} ${c.id} — ${c.status}, ${c.turns.length}/${c.plannedTurns ?? '?'} turns`);
  writeLine(`topic: ${c.topic}`);
  writeLine(`participants: ${c.participants.join(', ')}`);
  writeLine();
  writeLine(
    formatTable(
      c.turns.map((t) => ({ turn: t.turn, agent: t.agent, voice: t.voice, stance: t.stance, text: t.text })),
    ),
  );
  writeLine();
  writeLine('votes:');
  writeLine(
    formatTable(
      c.votes.map((v) => ({
        agent: v.agent,
        vote: v.vote,
        confidence: v.confidence,
        voice: v.voice,
        reason: v.reason,
      })),
    ),
  );
  const outcome = c.outcome ?? {};
  writeLine();
  writeLine(`decision: ${typeof outcome.consensus === 'string' ? outcome.consensus : '(not yet)'}`);
  if (typeof outcome.summary === 'string') writeLine(outcome.summary);
  writeLine();
  writeLine('memories:');
  writeLine(
    formatTable(
      c.memories.map((m) => ({ agent: m.agent, type: m.type, confidence: m.confidence, content: m.content })),
    ),
  );
  writeLine();
  writeLine('drift:');
  writeLine(
    formatTable(listOf(outcome.drift), ['agentA', 'agentB', 'from', 'to', 'delta', 'interactions', 'reason']),
  );
  writeLine();
  writeLine('action items:');
  writeLine(formatTable(listOf(outcome.actionItems), ['index', 'agent', 'text', 'proposalId', 'status']));
}

export async function runRoundtable(
  args: RoundtableArguments,
  config: CliConfig,
  logger: Logger,
): Promise<number> {
  if (args.action === 'list') {
    const query = { limit: limitOf(args.limit), ...(args.format ? { format: formatOf(args.format) } : {}) };
    const rows = await withCommandPool(config, logger, (pool) => selectConversationList(pool, query));
    if (args.json) writeJson(rows);
    else
      writeLine(
        formatTable(
          rows.map((row) => ({ ...row })),
          ['id', 'format', 'status', 'turns', 'plannedTurns', 'consensus', 'createdAt', 'topic'],
        ),
      );
    return 0;
  }
  if (args.action === 'show') {
    const id = args.positionals[0];
    if (!id) throw new InputError('usage: atc roundtable show ID');
    const conversation = await withCommandPool(config, logger, (pool) => readConversation(pool, id));
    if (args.json) writeJson(conversation);
    else printConversation(conversation);
    return 0;
  }
  throw new InputError('usage: atc roundtable list [--limit N] [--format F] | show ID');
}
