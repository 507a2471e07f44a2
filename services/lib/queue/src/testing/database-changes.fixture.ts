import { Client } from 'pg';

/**
 * Waits for the database to reach a state by awaiting its notifications instead of sleeping: every
 * committed event (`atc_events`, step and mission transitions included) and every queued step
 * (`atc_steps`) re-runs the check. `deadlineMs` fails the test. A check that time alone can make
 * true (a backoff running out, a lease expiring: no notification) passes `recheckMs`, which
 * re-runs it that long after the last notification; by default only a notification does.
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
      const changed = this.changed(
        Math.max(1, Math.min(options.recheckMs ?? Infinity, deadline - Date.now())),
      );
      if (await check()) return;
      if (Date.now() >= deadline) throw new Error(`timed out waiting until ${what}`);
      await changed;
    }
  }

  close(): Promise<void> {
    return this.client.end();
  }

  /** Resolves at the next notification, or after `ms` (a deadline, or a recheck for time passing). */
  changed(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      // eslint-disable-next-line no-restricted-syntax -- bounds a wait for a notification; not a sleep
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
