import { systemClock } from '@atc/contracts';
import { createLogger, errorMessage, readEnv, shutdownTracing, ATC_VERSION } from '@atc/platform';
import { runDashboard } from '@atc/dashboard';
import { heartbeatTrigger } from '@atc/heartbeat';
import { runWorker } from '@atc/workers';
import { runRoundtableWorker } from '@atc/roundtable';
import { loadCliConfig } from './cli.config';
import { KEEP_RUNNING, type CommandResult } from './keep-running';
import { runMigrate } from './commands/migrate.command';
import { runUp } from './commands/up.command';
import { runSim } from './commands/sim.command';
import { runHeartbeatRole } from './commands/heartbeat.command';
import { runHealth } from './commands/health.command';
import { runStatus } from './commands/status.command';
import { runReconcile } from './commands/reconcile.command';
import { runApiKey } from './commands/apikey.command';
import { runRoundtable } from './commands/roundtable.command';
import { runBackup, runRestore } from './commands/backup.command';
import { runDbRoles } from './commands/db-roles.command';
import { runDeployWindow } from './commands/deploy-window.command';
import { runTradingCommand, TRADING_HELP } from './commands/trading.command';
import { booleanOption, parseCommandLine, stringOption } from './cli-arguments';
import { describeCliError, wantsDebug } from './cli-errors';
import { writeLine } from './output';

const HELP = `atc — the Autonomous Trading Company

usage: atc <command> [options]    (from a clone: npx atc <command>)

Exit codes: 0 success; 1 runtime failure (invalid settings, not found, database unreachable);
2 usage or validation error (unknown option, missing value, malformed id or file). --debug (or
LOG_LEVEL=debug) adds the stack trace to an error.

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
  migrate status [--json]       list migrations, function files and their state (exit 3 when not current)
  migrate redo                  revert and re-apply the newest migration
  migrate snapshot --out F | --check F
                                write or verify the normalised schema snapshot
  backup --out FILE | --out DIR/ [--keep N]
                                pg_dump (custom format) of a consistent snapshot + FILE.manifest.json (schema
                                version, row counts, audit head); DIR/: atc-<UTC time>.dump, keeping the newest N
  restore FILE --into URL [--force]
                                restore into an empty database (--force: drop its schema atc first), then check
                                it against the manifest and the audit chain; exit 1 naming every mismatch
  db roles --print-sql          print the least-privilege roles' SQL (owner, app, read-only; no passwords)
  db roles --apply [--owner N] [--app N] [--readonly N]
                                create or update the roles and their grants on DATABASE_URL (idempotent)
  apikey create --name N --role viewer|operator|admin [--expires 90d]
                                create an operator API key; prints it once (only its hash is stored)
  apikey list [--json]          API keys: name, role, prefix, created, last used, expires, revoked
  apikey revoke NAME            revoke an API key (audited; --by NAME as the actor)
  roundtable list [--limit N] [--format F] [--json]
                                the roundtable's conversations, newest first: turns spoken of planned, decision
  roundtable show ID [--json]   a conversation's transcript (turn, speaker, voice), votes, decision, memories,
                                relationship drift and the proposals its action items became
  deploy-window [--markets options,futures] [--at ISO] [--json]
                                exit 0 when a deploy may start, 1 while a gated market trades (crypto only
                                when named; a halted market does not block); prints why and the next window
  health [--url U]              probe a role's readiness (default http://127.0.0.1:$ADMIN_PORT/health/ready);
                                exit 0 when ready, 1 otherwise (the image's HEALTHCHECK)
  version                       print the version

${TRADING_HELP}`;

/**
 * The single binary of the image: dispatches to a role or an operator command. Returns the exit code
 * of a command that has finished, or KEEP_RUNNING for a role that has started.
 */
async function run(argv: readonly string[]): Promise<CommandResult> {
  const parsed = parseCommandLine(argv);
  const { command, subcommand, positionals } = parsed;
  if (parsed.help || command === 'help') {
    writeLine(HELP);
    return 0;
  }
  switch (command) {
    case 'version':
      writeLine(ATC_VERSION);
      return 0;
    case 'health':
      return runHealth({ url: stringOption(parsed, 'url') });
    case 'dashboard': {
      // POST /api/heartbeat runs the same heartbeat as `atc heartbeat`, through the same lease.
      const heartbeat = heartbeatTrigger();
      await runDashboard({ services: { runHeartbeat: (request) => heartbeat.run(request) } });
      return KEEP_RUNNING;
    }
    case 'sim':
      await runSim({ seed: stringOption(parsed, 'seed'), port: stringOption(parsed, 'port') });
      return KEEP_RUNNING;
    case 'heartbeat':
      return runHeartbeatRole({ loop: booleanOption(parsed, 'loop') });
    case 'worker':
      if (positionals[0] === 'roundtable') await runRoundtableWorker();
      else await runWorker(positionals[0]);
      return KEEP_RUNNING;
    default:
      break;
  }
  const config = loadCliConfig();
  const logger = createLogger({
    service: 'atc',
    version: ATC_VERSION,
    level: config.LOG_LEVEL,
    format: config.LOG_FORMAT,
    // An operator command's stdout is its answer (`--json` must parse); its log lines go to stderr.
    // `atc up` is a role supervisor: its log shares stdout with its children's.
    ...(command === 'up' ? {} : { destination: process.stderr }),
  });
  const json = booleanOption(parsed, 'json');
  switch (command) {
    case 'up':
      return runUp({ fresh: booleanOption(parsed, 'fresh') }, config, logger);
    case 'status':
      return runStatus({ json }, config, logger);
    case 'reconcile':
      return runReconcile({ json }, config, logger);
    case 'deploy-window':
      return runDeployWindow(
        {
          markets: stringOption(parsed, 'markets'),
          at: stringOption(parsed, 'at'),
          json,
          clock: systemClock,
        },
        config,
        logger,
      );
    case 'migrate':
      return runMigrate(
        {
          action: subcommand,
          to: stringOption(parsed, 'to'),
          json,
          out: stringOption(parsed, 'out'),
          check: stringOption(parsed, 'check'),
        },
        config,
        logger,
      );
    case 'backup':
      return runBackup(
        { out: stringOption(parsed, 'out'), keep: stringOption(parsed, 'keep'), now: systemClock.now() },
        config,
        logger,
      );
    case 'restore':
      return runRestore(
        { positionals, into: stringOption(parsed, 'into'), force: booleanOption(parsed, 'force') },
        config,
        logger,
      );
    case 'apikey':
      return runApiKey(
        {
          action: subcommand,
          positionals,
          name: stringOption(parsed, 'name'),
          role: stringOption(parsed, 'role'),
          expires: stringOption(parsed, 'expires'),
          by: stringOption(parsed, 'by'),
          json,
        },
        config,
        logger,
      );
    case 'roundtable':
      return runRoundtable(
        {
          action: subcommand,
          positionals,
          limit: stringOption(parsed, 'limit'),
          format: stringOption(parsed, 'format'),
          json,
        },
        config,
        logger,
      );
    case 'db':
      return runDbRoles(
        {
          action: subcommand,
          printSql: booleanOption(parsed, 'print-sql'),
          apply: booleanOption(parsed, 'apply'),
          owner: stringOption(parsed, 'owner'),
          app: stringOption(parsed, 'app'),
          readonly: stringOption(parsed, 'readonly'),
        },
        config,
        logger,
      );
    default: {
      const rest = subcommand === undefined ? positionals : [subcommand, ...positionals];
      const [file, status, reason, by, market] = ['file', 'status', 'reason', 'by', 'market'].map((name) =>
        stringOption(parsed, name),
      );
      return runTradingCommand(
        command,
        {
          rest,
          json,
          file,
          status,
          reason,
          by,
          market,
          scaleDown: booleanOption(parsed, 'scale-down'),
          restore: booleanOption(parsed, 'restore'),
          clock: systemClock,
        },
        config,
        logger,
      );
    }
  }
}

/** Exits once the command's spans are flushed to the collector (at once when tracing is off). */
function exitAfterFlush(code: number): void {
  void shutdownTracing()
    .catch((error: unknown) => {
      process.stderr.write(`atc: flushing trace spans failed: ${errorMessage(error)}\n`);
    })
    .finally(() => process.exit(code));
}

const argv = process.argv.slice(2);
run(argv).then(
  (result) => {
    if (result !== KEEP_RUNNING) exitAfterFlush(result);
  },
  (error: unknown) => {
    const failure = describeCliError(error, wantsDebug(argv, readEnv('LOG_LEVEL')));
    process.stderr.write(`${failure.text}\n`);
    exitAfterFlush(failure.exitCode);
  },
);
