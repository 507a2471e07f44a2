import { Client } from 'pg';

/**
 * Waits for the database to reach a state by awaiting its notifications instead of sleeping: every
 * committed event (`atc_events`, step and mission transitions included) and every queued step
 * (`atc_steps`) re-runs the check. `recheckMs` only bounds a wait for a change that sends no
 * notification (time passing: a backoff, a lease expiring); `deadlineMs` fails the test.
 */
export class DatabaseChanges {
  private waiters: (() => void)[] = [];

  private constructor(private readonly client: Client) {
    client.on('notification', () => {
      const woken = this.waiters;
      this.waiters = [];
      for (const wake of woken) wake();
    });
  }

  static async listen(databaseUrl: string): Promise<DatabaseChanges> {
    const client = new Client({ connectionString: databaseUrl, application_name: 'test-changes' });
    await client.connect();
    await client.query('listen atc_events');
    await client.query('listen atc_steps');
    return new DatabaseChanges(client);
  }

  /** Resolves when `check` holds; re-checked at each notification. */
  async until(
    what: string,
    check: () => Promise<boolean>,
    options: { deadlineMs?: number; recheckMs?: number } = {},
  ): Promise<void> {
    const deadline = Date.now() + (options.deadlineMs ?? 20_000);
    for (;;) {
      // Listen before looking, so a change committed between the two is not missed.
      const changed = this.next(Math.max(1, Math.min(options.recheckMs ?? 1_000, deadline - Date.now())));
      if (await check()) return;
      if (Date.now() >= deadline) throw new Error(`timed out waiting until ${what}`);
      await changed;
    }
  }

  close(): Promise<void> {
    return this.client.end();
  }

  private next(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
