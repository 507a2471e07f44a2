/**
 * Strict argument parsing for every command: each command (and subcommand) declares its options and
 * positional arguments, and anything else — an unknown option, an option without its value, an extra
 * word, a malformed id — is an InputError naming the argument and why (exit 2), before any I/O.
 * @module
 */
import { parseArgs } from 'node:util';
import { PolicyKey, policyKeys } from '@atc/contracts';
import { InputError } from '@atc/platform';

interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
}

interface PositionalSpec {
  readonly name: string;
  /** Throws an InputError when the value is malformed. */
  readonly check?: (value: string, name: string) => void;
}

export interface CommandSpec {
  readonly usage: string;
  readonly options?: Readonly<Record<string, OptionSpec>>;
  readonly positionals?: readonly PositionalSpec[];
  readonly subcommands?: Readonly<Record<string, CommandSpec>>;
}

export interface ParsedCommand {
  readonly command: string;
  readonly subcommand: string | undefined;
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly help: boolean;
}

/** How a value from the command line is quoted in a message: JSON, cut short. */
export function quoteArgument(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const uuid = (what: string) => (value: string, name: string) => {
  if (!UUID.test(value)) {
    throw new InputError(
      `${name} must be ${what} id, a UUID such as 00000000-0000-4000-8000-000000000000; got ${quoteArgument(value)}`,
    );
  }
};

const oneOf = (choices: readonly string[]) => (value: string, name: string) => {
  if (!choices.includes(value)) {
    throw new InputError(`${name} must be one of ${choices.join(', ')}; got ${quoteArgument(value)}`);
  }
};

const policyKey = (value: string) => {
  if (!PolicyKey.safeParse(value).success) {
    throw new InputError(`unknown policy key ${quoteArgument(value)}; valid keys: ${policyKeys.join(', ')}`);
  }
};

const json = { json: { type: 'boolean' } } as const;
const by = { by: { type: 'string' } } as const;
const file = { file: { type: 'string', short: 'f' } } as const;
const proposalId = { name: 'ID', check: uuid('a proposal') };

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  help: { usage: 'atc help' },
  version: { usage: 'atc version' },
  health: { usage: 'atc health [--url U]', options: { url: { type: 'string' } } },
  dashboard: { usage: 'atc dashboard' },
  sim: {
    usage: 'atc sim [--seed N] [--port P]',
    options: { seed: { type: 'string' }, port: { type: 'string' } },
  },
  worker: {
    usage: 'atc worker <crypto|options|futures|roundtable>',
    positionals: [{ name: 'MARKET', check: oneOf(['crypto', 'options', 'futures', 'roundtable']) }],
  },
  heartbeat: { usage: 'atc heartbeat [--loop]', options: { loop: { type: 'boolean' } } },
  up: { usage: 'atc up [--fresh]', options: { fresh: { type: 'boolean' } } },
  status: { usage: 'atc status [--json]', options: json },
  'deploy-window': {
    usage: 'atc deploy-window [--markets options,futures] [--at ISO] [--json]',
    options: { markets: { type: 'string' }, at: { type: 'string' }, ...json },
  },
  reconcile: { usage: 'atc reconcile [--json]', options: json },
  migrate: {
    usage: 'atc migrate up [--to N] | down --to N | status [--json] | redo | snapshot --out F | --check F',
    subcommands: {
      up: { usage: 'atc migrate up [--to N]', options: { to: { type: 'string' } } },
      down: { usage: 'atc migrate down --to N', options: { to: { type: 'string' } } },
      status: { usage: 'atc migrate status [--json]', options: json },
      redo: { usage: 'atc migrate redo' },
      snapshot: {
        usage: 'atc migrate snapshot --out F | --check F',
        options: { out: { type: 'string' }, check: { type: 'string' } },
      },
    },
  },
  proposal: {
    usage:
      'atc proposal submit -f FILE | list [--status S] | show ID | explain ID | approve ID | reject ID --reason R',
    subcommands: {
      submit: { usage: 'atc proposal submit -f FILE [--json]', options: { ...file, ...json } },
      list: {
        usage: 'atc proposal list [--status S] [--json]',
        options: { status: { type: 'string' }, ...json },
      },
      show: { usage: 'atc proposal show ID [--json]', options: json, positionals: [proposalId] },
      explain: { usage: 'atc proposal explain ID [--json]', options: json, positionals: [proposalId] },
      approve: {
        usage: 'atc proposal approve ID [--by NAME]',
        options: { ...by, ...json },
        positionals: [proposalId],
      },
      reject: {
        usage: 'atc proposal reject ID --reason R [--by NAME]',
        options: { reason: { type: 'string' }, ...by, ...json },
        positionals: [proposalId],
      },
    },
  },
  policy: {
    usage: 'atc policy get KEY | set KEY -f FILE',
    subcommands: {
      get: {
        usage: 'atc policy get KEY [--json]',
        options: json,
        positionals: [{ name: 'KEY', check: policyKey }],
      },
      set: {
        usage: 'atc policy set KEY -f FILE [--by NAME]',
        options: { ...file, ...by, ...json },
        positionals: [{ name: 'KEY', check: policyKey }],
      },
    },
  },
  'kill-switch': {
    usage:
      'atc kill-switch on --reason R [--market M | --scale-down] | off [--reason R] [--market M | --restore] | status | reset-latch [--reason R]',
    subcommands: {
      on: {
        usage: 'atc kill-switch on --reason R [--market M | --scale-down]',
        options: {
          reason: { type: 'string' },
          market: { type: 'string' },
          'scale-down': { type: 'boolean' },
          ...by,
          ...json,
        },
      },
      off: {
        usage: 'atc kill-switch off [--reason R] [--market M | --restore]',
        options: {
          reason: { type: 'string' },
          market: { type: 'string' },
          restore: { type: 'boolean' },
          ...by,
          ...json,
        },
      },
      status: { usage: 'atc kill-switch status [--json]', options: json },
      'reset-latch': {
        usage: 'atc kill-switch reset-latch [--reason R]',
        options: { reason: { type: 'string' }, ...by, ...json },
      },
    },
  },
  audit: {
    usage: 'atc audit verify',
    subcommands: { verify: { usage: 'atc audit verify [--json]', options: json } },
  },
  seed: { usage: 'atc seed [--json]', options: json },
  roundtable: {
    usage: 'atc roundtable list [--limit N] [--format F] | show ID',
    subcommands: {
      list: {
        usage: 'atc roundtable list [--limit N] [--format F] [--json]',
        options: { limit: { type: 'string' }, format: { type: 'string' }, ...json },
      },
      show: {
        usage: 'atc roundtable show ID [--json]',
        options: json,
        positionals: [{ name: 'ID', check: uuid('a conversation') }],
      },
    },
  },
  backup: {
    usage: 'atc backup --out FILE|DIR/ [--keep N]',
    options: { out: { type: 'string' }, keep: { type: 'string' } },
  },
  restore: {
    usage: 'atc restore FILE --into DATABASE_URL [--force]',
    options: { into: { type: 'string' }, force: { type: 'boolean' } },
    positionals: [{ name: 'FILE' }],
  },
  db: {
    usage: 'atc db roles --print-sql | --apply [--owner NAME] [--app NAME] [--readonly NAME]',
    subcommands: {
      roles: {
        usage: 'atc db roles --print-sql | --apply [--owner NAME] [--app NAME] [--readonly NAME]',
        options: {
          'print-sql': { type: 'boolean' },
          apply: { type: 'boolean' },
          owner: { type: 'string' },
          app: { type: 'string' },
          readonly: { type: 'string' },
        },
      },
    },
  },
  apikey: {
    usage:
      'atc apikey create --name N --role viewer|operator|admin [--expires 90d] | list [--json] | revoke NAME',
    subcommands: {
      create: {
        usage: 'atc apikey create --name N --role viewer|operator|admin [--expires 90d] [--by NAME]',
        options: {
          name: { type: 'string' },
          role: { type: 'string' },
          expires: { type: 'string' },
          ...by,
          ...json,
        },
      },
      list: { usage: 'atc apikey list [--json]', options: json },
      revoke: {
        usage: 'atc apikey revoke NAME [--by NAME]',
        options: { ...by, ...json },
        positionals: [{ name: 'NAME' }],
      },
    },
  },
};

/** Options every command takes. */
const GLOBAL_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const satisfies Record<string, OptionSpec>;

function optionName(message: string): string {
  return /'(-[^' ]+)/.exec(message)?.[1] ?? 'an option';
}

/** node:util's parse errors, reworded as one line that names the argument and the usage. */
function parseError(error: unknown, spec: CommandSpec, words: readonly string[]): InputError {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = optionName(message);
  const usage = `usage: ${spec.usage}`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new InputError(`unknown option ${option}; ${usage}`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message))
      return new InputError(`${option} takes no value; ${usage}`);
    const next = words[words.indexOf(option) + 1];
    if (/ambiguous/.test(message) && next !== undefined) {
      return new InputError(
        `${option} ${quoteArgument(next)}: a value that starts with "-" must be written ${option}=${next}; ${usage}`,
      );
    }
    return new InputError(
      `${option} needs a value (write ${option}=VALUE when the value starts with "-"); ${usage}`,
    );
  }
  return new InputError(`${message.split('\n')[0]}; ${usage}`);
}

/** Command words come first (`atc proposal show ID --json`); only --debug and --help may precede them. */
function leadingGlobals(argv: readonly string[]): { globals: string[]; rest: string[] } {
  let index = 0;
  while (index < argv.length && ['--debug', '--help', '-h'].includes(argv[index]!)) index += 1;
  return { globals: argv.slice(0, index), rest: argv.slice(index) };
}

function resolveSpec(words: string[]): { spec: CommandSpec; command: string; subcommand?: string } {
  const command = words.shift()!;
  if (command.startsWith('-'))
    throw new InputError(`unknown option ${command}; usage: atc <command> [options]`);
  const spec = COMMANDS[command];
  if (!spec) throw new InputError(`unknown command ${quoteArgument(command)}; run \`atc help\``);
  if (!spec.subcommands) return { spec, command };
  const subcommand = words[0];
  if (subcommand === undefined || subcommand.startsWith('-')) {
    throw new InputError(`atc ${command} needs a subcommand; usage: ${spec.usage}`);
  }
  const sub = spec.subcommands[subcommand];
  if (!sub) throw new InputError(`unknown subcommand ${quoteArgument(subcommand)}; usage: ${spec.usage}`);
  words.shift();
  return { spec: sub, command, subcommand };
}

export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  const { globals, rest } = leadingGlobals(argv);
  const globalHelp = globals.includes('--help') || globals.includes('-h');
  if (rest.length === 0) {
    return { command: 'help', subcommand: undefined, positionals: [], values: {}, help: true };
  }
  const words = [...rest];
  const { spec, command, subcommand } = resolveSpec(words);
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: words,
      options: { ...spec.options, ...GLOBAL_OPTIONS },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw parseError(error, spec, words);
  }
  const help = globalHelp || parsed.values.help === true;
  const expected = spec.positionals ?? [];
  if (!help) checkPositionals(parsed.positionals, expected, spec);
  return { command, subcommand, positionals: parsed.positionals, values: parsed.values, help };
}

function checkPositionals(given: readonly string[], expected: readonly PositionalSpec[], spec: CommandSpec) {
  if (given.length > expected.length) {
    const extra = given.slice(expected.length).map(quoteArgument).join(' ');
    throw new InputError(
      `unexpected argument${given.length - expected.length > 1 ? 's' : ''} ${extra}; usage: ${spec.usage}`,
    );
  }
  expected.forEach((positional, index) => {
    const value = given[index];
    if (value === undefined) throw new InputError(`missing ${positional.name}; usage: ${spec.usage}`);
    positional.check?.(value, positional.name);
  });
}

export function stringOption(parsed: ParsedCommand, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanOption(parsed: ParsedCommand, name: string): boolean {
  return parsed.values[name] === true;
}
