/**
 * Canary secrets for the redaction test (docs/operations/security.md): every secret the company
 * reads is set to a recognisable value made for this run, and every place a secret could leak to —
 * log lines, table rows, API answers — is searched for each. Values are made at run time so that no
 * file of the repository holds one (the secret scan would rightly flag a key-shaped literal).
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { Keypair } from '@solana/web3.js';
import bs58 from 'bs58';
import type { Pool } from 'pg';

/** A canary's name (the environment variable it is) and every form in which it could leak. */
export interface Canary {
  readonly name: string;
  readonly value: string;
  /** The value, and other spellings of it (base58, hex, a JSON array's start, its tail). */
  readonly needles: readonly string[];
}

export interface Leak {
  readonly canary: string;
  readonly where: string;
  /** Up to 60 characters around the find, the canary itself masked. */
  readonly context: string;
}

/** The run's tag: every canary starts with it, so a prefix of any canary is found too. */
export const CANARY_TAG = `cnry${randomBytes(5).toString('hex')}`;

/** A text canary of at least 32 characters (the length HEARTBEAT_TOKEN and AUTH_JWT_SECRET require). */
export function textCanary(name: string): Canary {
  const prefix = `${CANARY_TAG}-${name.toLowerCase().replaceAll('_', '-')}-`;
  const value = `${prefix}${randomBytes(12).toString('hex')}`;
  return { name, value, needles: [value, prefix, value.slice(-16)] };
}

/** A Solana wallet whose 64-byte secret derives from a canary: base58, as SOLANA_WALLET_SECRET takes it. */
export function walletCanary(name: string): Canary & { readonly publicKey: string } {
  const seed = createHash('sha256').update(textCanary(name).value).digest();
  const keypair = Keypair.fromSeed(seed);
  const value = bs58.encode(keypair.secretKey);
  const bytes = [...keypair.secretKey];
  return {
    name,
    value,
    publicKey: keypair.publicKey.toBase58(),
    needles: [
      value,
      value.slice(0, 24),
      Buffer.from(seed).toString('hex'),
      `[${bytes.slice(0, 12).join(',')}`,
    ],
  };
}

/** A secret the company makes itself (an API key it printed once): searched for like a canary. */
export function madeSecret(name: string, value: string): Canary {
  return { name, value, needles: [value, value.slice(-16)] };
}

function mask(text: string, needle: string): string {
  return text.replaceAll(needle, `<${needle.length} chars>`);
}

function leakOf(text: string, where: string, name: string, needle: string): Leak {
  const at = text.indexOf(needle);
  const context = mask(text.slice(Math.max(0, at - 30), at + needle.length + 30), needle);
  return { canary: name, where, context };
}

/**
 * Every canary found in `text`, naming `where`; a canary is reported once per place. The run's tag
 * alone (a fragment no needle names) is reported as an unnamed canary.
 */
export function scanText(text: string, where: string, canaries: readonly Canary[]): Leak[] {
  const leaks: Leak[] = [];
  for (const canary of canaries) {
    const needle = canary.needles.find((candidate) => text.includes(candidate));
    if (needle !== undefined) leaks.push(leakOf(text, where, canary.name, needle));
  }
  if (leaks.length === 0 && text.includes(CANARY_TAG))
    leaks.push(leakOf(text, where, '(unnamed canary fragment)', CANARY_TAG));
  return leaks;
}

/**
 * Every table of every schema but the system's, each row as text (`t::text` covers every column:
 * text, json, arrays; bytea shows as hex, so hex needles are searched too).
 */
export async function scanTables(
  pool: Pool,
  canaries: readonly Canary[],
): Promise<{ tables: number; leaks: Leak[] }> {
  const tables = await pool.query<{ name: string }>(
    `select format('%I.%I', table_schema, table_name) as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
      order by 1`,
  );
  const needles = canaries.flatMap((canary) =>
    [...canary.needles, CANARY_TAG].flatMap((needle) => [needle, Buffer.from(needle).toString('hex')]),
  );
  const leaks: Leak[] = [];
  for (const { name } of tables.rows) {
    // The table name comes from the catalogue, quoted by format('%I'); the needles are parameters.
    const found = await pool.query<{ row: string }>(
      `select t::text as row from ${name} t where t::text like any (select '%' || n || '%' from unnest($1::text[]) n) limit 5`,
      [needles],
    );
    for (const { row } of found.rows) leaks.push(...scanText(row, `table ${name}`, canaries));
    // A row matched only by a hex spelling (bytea) is still a leak, named by the table.
    if (found.rows.length > 0 && leaks.every((leak) => leak.where !== `table ${name}`))
      leaks.push({ canary: '(hex)', where: `table ${name}`, context: '(a bytea column)' });
  }
  return { tables: tables.rows.length, leaks };
}
