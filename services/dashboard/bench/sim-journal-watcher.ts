/**
 * Watches the simulator's order journal (`GET /_sim/orders`) and notes when each accepted order
 * first appeared. The journal has no wall-clock times, so the bench reads it every `pollMs`; the
 * resolution of a measured latency is that interval (printed with the figures).
 * @module
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

const journalSchema = z.object({
  orders: z.array(
    z.object({
      sequence: z.number().int(),
      clientOrderId: z.string().nullable(),
      venueOrderId: z.string().nullable(),
      outcome: z.string(),
    }),
  ),
});

export interface SeenOrder {
  readonly clientOrderId: string | null;
  readonly venueOrderId: string | null;
  /** performance.now() when the bench first saw it. */
  readonly seenAt: number;
}

export class SimJournalWatcher {
  readonly accepted: SeenOrder[] = [];
  private lastSequence = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly simulatorUrl: string,
    private readonly pollMs: number,
  ) {}

  /** Reads the journal once, so that orders from before the bench are not counted. */
  async start(): Promise<void> {
    await this.read(false);
    this.running = true;
    // Kept, not left unhandled: stop() reports it.
    this.loop = this.poll().catch((error: unknown) => {
      this.running = false;
      this.failure = error;
    });
  }

  /** Stops reading; throws when a read of the journal failed while it ran. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    if (this.failure !== undefined) {
      throw new Error('reading the simulator journal failed', { cause: this.failure });
    }
  }

  private async poll(): Promise<void> {
    while (this.running) {
      await this.read(true);
      await sleep(this.pollMs);
    }
  }

  private async read(record: boolean): Promise<void> {
    // Only what is new: reading the whole journal every few ms would load the simulator being timed.
    const response = await fetch(`${this.simulatorUrl}/_sim/orders?after=${this.lastSequence}`);
    const seenAt = performance.now();
    const { orders } = journalSchema.parse(await response.json());
    for (const order of orders) {
      if (order.sequence <= this.lastSequence) continue;
      this.lastSequence = order.sequence;
      if (record && order.outcome === 'accepted') {
        this.accepted.push({ clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId, seenAt });
      }
    }
  }
}
