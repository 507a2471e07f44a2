import bs58 from 'bs58';
import { Keypair, VersionedTransaction } from '@solana/web3.js';

/**
 * The wallet keypair, from a secret given as a JSON byte array (`[12,34,…]`, the Solana CLI's file
 * format) or base58. The secret never appears in an error message or a log: failures say which
 * format was expected, not what was given.
 */
export function keypairFromSecret(secret: string): Keypair {
  const text = secret.trim();
  let bytes: Uint8Array;
  try {
    if (text.startsWith('[')) {
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed) || !parsed.every((n) => Number.isInteger(n) && n >= 0 && n <= 255))
        throw new Error('not bytes');
      bytes = Uint8Array.from(parsed as number[]);
    } else {
      bytes = bs58.decode(text);
    }
    if (bytes.length !== 64) throw new Error('wrong length');
    return Keypair.fromSecretKey(bytes);
  } catch {
    throw new Error('the Solana wallet secret must be a 64-byte JSON array or base58 string');
  }
}

export interface SignedTransaction {
  /** base58 of the first signature: the transaction's id, known before it is sent. */
  readonly signature: string;
  readonly base64: string;
}

/** Signs Jupiter's unsigned swap transaction. */
export function signTransaction(unsignedBase64: string, keypair: Keypair): SignedTransaction {
  const tx = VersionedTransaction.deserialize(Buffer.from(unsignedBase64, 'base64'));
  tx.sign([keypair]);
  const first = tx.signatures[0];
  if (!first) throw new Error('transaction has no signature slot');
  return { signature: bs58.encode(first), base64: Buffer.from(tx.serialize()).toString('base64') };
}
