/**
 * `atc apikey create --name N --role viewer|operator|admin [--expires 90d] | list | revoke NAME`: the
 * operator API's keys, through the same @atc/trading functions as /api/api-keys. Every argument is
 * checked before the database is opened, so a bad one writes nothing (exit 2).
 * @module
 */
import { systemClock, type Clock } from '@atc/contracts';
import { InputError, type Logger } from '@atc/platform';
import { createApiKey, listApiKeys, parseKeyLifetime, revokeApiKey, type ApiKeySummary } from '@atc/trading';
import type { CliConfig } from '../cli.config';
import { formatTable, writeJson, writeLine } from '../output';
import { operatorName, withCommandPool } from './trading-cli';

export const APIKEY_USAGE =
  'usage: atc apikey create --name N --role viewer|operator|admin [--expires 90d] | list [--json] | revoke NAME';

export interface ApiKeyArguments {
  readonly action: string | undefined;
  readonly positionals: readonly string[];
  readonly name: string | undefined;
  readonly role: string | undefined;
  readonly expires: string | undefined;
  readonly by: string | undefined;
  readonly json: boolean;
  readonly clock?: Clock;
}

const ROLES = ['viewer', 'operator', 'admin'];

const iso = (date: Date | null) => date?.toISOString() ?? null;

const shown = (key: ApiKeySummary) => ({
  name: key.name,
  role: key.role,
  prefix: key.prefix,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: iso(key.lastUsedAt),
  expiresAt: iso(key.expiresAt),
  revokedAt: iso(key.revokedAt),
});

/** Who acts, for the audit log: `--by`, else `operator:<login>` (as every trading command). */
const actorOf = (args: ApiKeyArguments) => operatorName(args);

function checkCreate(args: ApiKeyArguments): { name: string; role: string; lifetimeMs: number | undefined } {
  if (!args.name?.trim()) throw new InputError(`apikey create needs --name NAME; ${APIKEY_USAGE}`);
  if (args.role === undefined || !ROLES.includes(args.role)) {
    throw new InputError(
      `--role must be one of ${ROLES.join(', ')}; got ${args.role === undefined ? 'nothing' : JSON.stringify(args.role)}`,
    );
  }
  const lifetimeMs = args.expires === undefined ? undefined : parseKeyLifetime(args.expires, '--expires');
  return { name: args.name.trim(), role: args.role, lifetimeMs };
}

export async function runApiKey(args: ApiKeyArguments, config: CliConfig, logger: Logger): Promise<number> {
  const clock = args.clock ?? systemClock;
  switch (args.action) {
    case 'create': {
      const { name, role, lifetimeMs } = checkCreate(args);
      const { key, summary } = await withCommandPool(config, logger, (pool) =>
        createApiKey(
          pool,
          { name, role, actor: actorOf(args), ...(lifetimeMs ? { lifetimeMs } : {}) },
          clock,
        ),
      );
      if (args.json) writeJson({ key, ...shown(summary) });
      else {
        writeLine(key);
        process.stderr.write(
          `API key ${JSON.stringify(name)} (${role}) created. It is shown this once: only its hash is stored.\n`,
        );
      }
      return 0;
    }
    case 'list': {
      const keys = await withCommandPool(config, logger, (pool) => listApiKeys(pool));
      if (args.json) writeJson(keys.map(shown));
      else writeLine(formatTable(keys.map(shown)));
      return 0;
    }
    case 'revoke': {
      const name = args.positionals[0];
      if (!name) throw new InputError(`apikey revoke needs the key's NAME; ${APIKEY_USAGE}`);
      const revoked = await withCommandPool(config, logger, (pool) =>
        revokeApiKey(pool, { name, actor: actorOf(args) }, clock),
      );
      if (args.json) writeJson(shown(revoked));
      else writeLine(`revoked API key ${JSON.stringify(name)}`);
      return 0;
    }
    default:
      throw new InputError(APIKEY_USAGE);
  }
}
