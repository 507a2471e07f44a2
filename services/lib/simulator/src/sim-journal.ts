/**
 * Every order submission the simulator receives — duplicates, rejections and faulted ones
 * included — in arrival order. `GET /_sim/orders` serves it: the ground truth tests use to prove
 * that no client order id reached a venue twice.
 * @module
 */
export interface JournalEntry {
  readonly sequence: number;
  readonly venue: 'tradier' | 'projectx' | 'nebula' | 'solana';
  readonly endpoint: string;
  readonly tick: number;
  /** Tradier tag, ProjectX customTag, Nebula Idempotency-Key, Solana signature. */
  readonly clientOrderId: string | null;
  readonly outcome: 'accepted' | 'rejected' | 'duplicate' | 'faulted';
  readonly venueOrderId: string | null;
  readonly request: unknown;
}

export class SimJournal {
  private readonly entries: JournalEntry[] = [];

  record(entry: Omit<JournalEntry, 'sequence'>): JournalEntry {
    const full = { ...entry, sequence: this.entries.length + 1 };
    this.entries.push(full);
    return full;
  }

  all(): readonly JournalEntry[] {
    return this.entries;
  }

  /** The entries after `sequence` (sequences are 1, 2, 3, … in arrival order): a watcher reads only what is new. */
  after(sequence: number): readonly JournalEntry[] {
    return this.entries.slice(sequence);
  }
}
