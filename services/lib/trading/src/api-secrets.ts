/**
 * The shape of the operator API's secrets: 256 random bits, written in base62 after a fixed prefix
 * that secret scanners can match (`atc_` for API keys, `atcst_` for stream tickets), and stored only
 * as a SHA-256 hash. A 256-bit random secret needs no slow password hash: nothing can be guessed.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** 32 bytes are at most 43 base62 digits; shorter numbers are left-padded so every key has one length. */
const SECRET_DIGITS = 43;
const CHECKSUM_DIGITS = 6;

function base62(bytes: Buffer, digits: number): string {
  let value = BigInt(`0x${bytes.toString('hex') || '0'}`);
  let text = '';
  while (value > 0n) {
    text = BASE62[Number(value % 62n)]! + text;
    value /= 62n;
  }
  return text.padStart(digits, '0');
}

/** SHA-256, hex: what the database stores of a key or a ticket. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two hex SHA-256 hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right);
}

export const API_KEY_PREFIX = 'atc_';
export const STREAM_TICKET_PREFIX = 'atcst_';

/** How many characters of a key listings show (the fixed prefix and 8 of the secret's digits). */
const SHOWN_CHARACTERS = API_KEY_PREFIX.length + 8;

const API_KEY_SHAPE = new RegExp(
  `^${API_KEY_PREFIX}([0-9A-Za-z]{${SECRET_DIGITS}})([0-9A-Za-z]{${CHECKSUM_DIGITS}})$`,
);

function checksumOf(body: string): string {
  return base62(createHash('sha256').update(body).digest().subarray(0, 4), CHECKSUM_DIGITS);
}

/**
 * A new API key: `atc_` + 43 base62 digits of 32 random bytes + a 6-digit checksum (like GitHub's
 * `ghp_` tokens), so a typo or a truncated paste is told apart from an unknown key without a lookup.
 */
export function generateApiKey(): { key: string; prefix: string; keyHash: string } {
  const body = base62(randomBytes(32), SECRET_DIGITS);
  const key = `${API_KEY_PREFIX}${body}${checksumOf(body)}`;
  return { key, prefix: key.slice(0, SHOWN_CHARACTERS), keyHash: hashSecret(key) };
}

/** Whether `text` has the shape of an API key with a valid checksum. */
export function isApiKeyShaped(text: string): boolean {
  const match = API_KEY_SHAPE.exec(text);
  return match !== null && checksumOf(match[1]!) === match[2];
}

/** The characters of a key that listings show and verification looks up by. */
export function shownPrefixOf(key: string): string {
  return key.slice(0, SHOWN_CHARACTERS);
}

export function generateStreamTicket(): { ticket: string; ticketHash: string } {
  const ticket = `${STREAM_TICKET_PREFIX}${base62(randomBytes(32), SECRET_DIGITS)}`;
  return { ticket, ticketHash: hashSecret(ticket) };
}
