import path from 'node:path';
import { findFreePort } from '@atc/platform';
import {
  childEnvironment,
  createTestDatabase,
  REPOSITORY_ROOT,
  runTypeScript,
  type TestDatabase,
} from '@atc/platform/testing';

const cli = path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts');

describe('atc dashboard start-up configuration', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('refuses CORS_ORIGINS=* in production: a config error naming the key, exit 1', async () => {
    const run = runTypeScript(
      cli,
      ['dashboard'],
      childEnvironment({
        DATABASE_URL: db.url,
        NODE_ENV: 'production',
        CORS_ORIGINS: '*',
        DASHBOARD_PORT: String(await findFreePort()),
        ADMIN_PORT: String(await findFreePort()),
        LOG_LEVEL: 'warn',
      }),
    );
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.stderr()).toMatch(/CORS_ORIGINS: \* is not allowed when NODE_ENV=production/);
    expect(run.stdout()).not.toMatch(/dashboard listening/);
  });
});
