/**
 * `atc status [--json]`: the company at a glance (readCompanyStatus in @atc/trading, the figures
 * `GET /api/status` serves too), printed as text or JSON.
 * @module
 */
import type { Logger } from '@atc/platform';
import { systemClock, type HaltsState } from '@atc/contracts';
import { readCompanyStatus, type CompanyStatus } from '@atc/trading';
import type { CliConfig } from '../cli.config';
import { formatTable, writeJson, writeLine } from '../output';
import { withCommandPool } from './trading-cli';

function haltSummary(halts: HaltsState): string {
  const parts: string[] = [];
  if (halts.global) parts.push(`KILL SWITCH ON (${halts.global.reason}, by ${halts.global.by})`);
  for (const [market, halt] of Object.entries(halts.markets)) {
    if (halt) parts.push(`${market} halted (${halt.reason})`);
  }
  if (halts.lossLatch) parts.push(`daily-loss latch tripped (${halts.lossLatch.realisedPnlUsd} USD)`);
  return parts.length === 0 ? 'trading (no halt)' : parts.join('; ');
}

function printStatus(status: CompanyStatus): void {
  const run = status.heartbeat.lastRun;
  writeLine(`atc status at ${status.asOf}`);
  writeLine('');
  writeLine(`halts:           ${haltSummary(status.halts)}`);
  writeLine(`markets:         ${status.markets.map((m) => `${m.market} ${m.session}`).join('; ')}`);
  writeLine(
    `last heartbeat:  ${
      run
        ? `${run.status} at ${run.startedAt.toISOString()}, ${run.durationMs ?? '?'} ms (${run.errors.length} errors)`
        : 'never ran'
    }`,
  );
  const unmarked = status.pnl.unmarkedPositions;
  writeLine(
    `P&L today:       realised ${status.pnl.realisedToday} USD (${status.pnl.tradingDay}, ${status.pnl.timeZone}); ` +
      `unrealised ${status.pnl.unrealised} USD${unmarked > 0 ? ` (${unmarked} position(s) not yet marked, left out)` : ''}`,
  );
  const backlog = status.reconciliation;
  writeLine(
    `reconciliation:  ${backlog.count} step(s) need it${backlog.oldestAgeSeconds === null ? '' : `, oldest ${backlog.oldestAgeSeconds} s`}`,
  );
  writeLine('');
  writeLine('open positions');
  writeLine(
    formatTable(
      status.positions.map((row) => ({ ...row })),
      ['market', 'symbol', 'side', 'quantity', 'averagePrice', 'markPrice', 'unrealisedPnl'],
    ),
  );
  writeLine('');
  writeLine('queue (unfinished steps)');
  writeLine(
    formatTable(
      status.queue.map((row) => ({ ...row })),
      ['market', 'status', 'count'],
    ),
  );
  writeLine('');
  writeLine('venue breakers (as the heartbeat last saw them)');
  writeLine(
    formatTable(
      status.breakers.map((row) => ({ ...row })),
      ['venue', 'state', 'reporter', 'reportedAt'],
    ),
  );
}

export async function runStatus(
  options: { json: boolean },
  config: CliConfig,
  logger: Logger,
): Promise<number> {
  const status = await withCommandPool(config, logger, (pool) => readCompanyStatus(pool, systemClock.now()));
  if (options.json) writeJson(status);
  else printStatus(status);
  return 0;
}
