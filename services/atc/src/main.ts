import { parseArgs } from 'node:util';
import { ConfigError, createLogger, errorMessage, InputError, ATC_VERSION } from '@atc/platform';
import { runDashboard } from '@atc/dashboard';
import { runWorker } from '@atc/workers';
import { runRoundtableWorker } from '@atc/roundtable';
import { loadCliConfig } from './cli.config';
import { runMigrate } from './commands/migrate.command';
import { runUp } from './commands/up.command';
import { runSim } from './commands/sim.command';
import { runHeartbeatRole } from './commands/heartbeat.command';
import { runStatus } from './commands/status.command';
import { runReconcile } from './commands/reconcile.command';
import { isTradingCommand, runTradingCommand, TRADING_HELP } from './commands/trading.command';
import { writeLine } from './output';

const HELP = `atc — the Autonomous Trading Company

usage: atc <command> [options]

roles (long-running; configured by environment, see README):
  dashboard                     REST API, live stream and web UI
  sim [--seed N] [--port P]     the venue simulator (Jupiter, Solana, Tradier, Nebula, ProjectX, Anthropic)
  worker <crypto|options|futures|roundtable>
                                claim and execute the steps of one market (roundtable: agent work)
  heartbeat [--loop]            one heartbeat run, exit 0 (success or skipped) or 1; --loop: every HEARTBEAT_INTERVAL_SECONDS

local:
  up [--fresh]                  run the whole company on this machine (embedded PostgreSQL unless DATABASE_URL)

operations:
  reconcile [--json]            settle needs_reconciliation steps and working orders at the venues; report drift
  status [--json]               positions, P&L today, queue depth, last heartbeat, breakers, halts, reconciliation
  migrate up [--to N]           apply pending migrations
  migrate down --to N           revert migrations above N (0 reverts everything)
  migrate status [--json]       list migrations and their state (exit 3 when not current)
  migrate redo                  revert and re-apply the newest migration
  migrate snapshot --out F | --check F
                                write or verify the normalised schema snapshot
  version                       print the version

${TRADING_HELP}`;

/** The single binary of the image: dispatches to a role or an operator command. Returns the exit code. */
async function run(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      fresh: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      to: { type: 'string' },
      out: { type: 'string' },
      check: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      seed: { type: 'string' },
      port: { type: 'string' },
      file: { type: 'string', short: 'f' },
      status: { type: 'string' },
      reason: { type: 'string' },
      by: { type: 'string' },
      market: { type: 'string' },
      loop: { type: 'boolean', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    writeLine(HELP);
    return 0;
  }
  switch (command) {
    case 'version':
      writeLine(ATC_VERSION);
      return 0;
    case 'dashboard':
      // A role keeps the process alive until its shutdown protocol exits it.
      await runDashboard();
      return -1;
    case 'sim':
      await runSim({ seed: values.seed, port: values.port });
      return -1;
    case 'heartbeat':
      return runHeartbeatRole({ loop: values.loop });
    case 'worker':
      if (rest[0] === 'roundtable') await runRoundtableWorker();
      else await runWorker(rest[0]);
      return -1;
    default:
      break;
  }
  const config = loadCliConfig();
  const logger = createLogger({
    service: 'atc',
    version: ATC_VERSION,
    level: config.LOG_LEVEL,
    format: config.LOG_FORMAT,
  });
  switch (command) {
    case 'up':
      return runUp({ fresh: values.fresh }, config, logger);
    case 'status':
      return runStatus({ json: values.json }, config, logger);
    case 'reconcile':
      return runReconcile({ json: values.json }, config, logger);
    case 'migrate':
      return runMigrate(
        { action: rest[0], to: values.to, json: values.json, out: values.out, check: values.check },
        config,
        logger,
      );
    default:
      if (isTradingCommand(command)) {
        const { json, file, status, reason, by, market } = values;
        return runTradingCommand(command, { rest, json, file, status, reason, by, market }, config, logger);
      }
      throw new InputError(`unknown command "${command}"; run \`atc help\``);
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof InputError) {
      process.stderr.write(`atc: ${error.message}\n`);
      process.exit(error instanceof ConfigError ? 1 : 2);
    }
    process.stderr.write(`atc: ${errorMessage(error)}\n`);
    if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
