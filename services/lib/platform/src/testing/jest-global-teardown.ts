import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { SCRATCH_VARIABLE, SERVER_URL_VARIABLE, TEMPLATE_VARIABLE } from './test-database';

/** Drops the template (on a shared server) and stops the embedded server, so nothing is left running. */
export default async function globalTeardown(): Promise<void> {
  const scratch = process.env[SCRATCH_VARIABLE];
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  const serverUrl = process.env[SERVER_URL_VARIABLE];
  const template = process.env[TEMPLATE_VARIABLE];
  const embedded = globalThis.__ATC_TEST_POSTGRES__;
  if (embedded) {
    await embedded.stop();
    globalThis.__ATC_TEST_POSTGRES__ = undefined;
    return;
  }
  if (serverUrl && template) {
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`drop database if exists "${template}" with (force)`);
    } finally {
      await admin.end();
    }
  }
}
