import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Keypair } from '@solana/web3.js';
import { keypairFromSecret } from './solana-signer';

/**
 * The paper company's one Solana wallet: a keypair file in the Solana CLI format (a JSON array of
 * the 64 secret-key bytes), mode 0600, made once and then reused by every process — the roles
 * `atc up` starts and any `atc` command run beside them — so that they all trade, and reconcile,
 * the same simulated balances. Creation is atomic (written aside, then hard-linked into place):
 * processes that start together all end up with the one file the first of them made.
 */
export function loadOrCreateWalletFile(file: string): Keypair {
  try {
    return readWalletFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(aside, `${JSON.stringify([...Keypair.generate().secretKey])}\n`, { mode: 0o600 });
  try {
    linkSync(aside, file);
  } catch (error) {
    // Another process made it first: its wallet is the company's.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(aside, { force: true });
  }
  return readWalletFile(file);
}

function readWalletFile(file: string): Keypair {
  const text = readFileSync(file, 'utf8');
  // A key file others can read is tightened, as ssh would insist on; it holds a secret.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  try {
    return keypairFromSecret(text);
  } catch {
    throw new Error(`the wallet file ${file} is not a Solana keypair (a JSON array of 64 bytes)`);
  }
}
