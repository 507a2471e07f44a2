import { Pool } from 'pg';
import { z } from 'zod';
import { databaseEnvironment, loadConfig } from '../config';
import { createTestDatabase, type TestDatabase } from '../testing';
import { poolConfig } from './pool';

/**
 * Behind a transaction-mode pooler without protocol-level prepared statements, DB_PREPARED_STATEMENTS=false
 * sends every statement unnamed: no statement is left prepared on a server connection the pooler
 * will hand to another client.
 */
describe('DB_PREPARED_STATEMENTS', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
  });

  afterAll(async () => {
    await database.drop();
  });

  async function preparedAfterNamedQuery(preparedStatements: 'true' | 'false'): Promise<string[]> {
    const config = loadConfig(z.object(databaseEnvironment), {
      DATABASE_URL: database.url,
      DB_PREPARED_STATEMENTS: preparedStatements,
    });
    const pool = new Pool({ ...poolConfig(config, 'pool-statements-test'), max: 1 });
    try {
      const client = await pool.connect();
      try {
        const answer = await client.query({ name: 'atc.answer', text: 'select $1::int as n', values: [42] });
        expect(answer.rows).toEqual([{ n: 42 }]);
        // Twice: a named statement is parsed once per connection, then reused.
        await client.query({ name: 'atc.answer', text: 'select $1::int as n', values: [43] });
        const prepared = await client.query<{ name: string }>('select name from pg_prepared_statements');
        return prepared.rows.map((row) => row.name);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  }

  it('true (the default) prepares named statements on the connection', async () => {
    expect(await preparedAfterNamedQuery('true')).toEqual(['atc.answer']);
  });

  it('false sends them unnamed: nothing stays prepared on the server connection', async () => {
    expect(await preparedAfterNamedQuery('false')).toEqual([]);
  });
});
