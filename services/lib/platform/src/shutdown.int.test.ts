import path from 'node:path';
import { childEnvironment, runTypeScript } from './testing/run-process';

const fixture = path.join(__dirname, 'testing/fixtures/shutdown.fixture.ts');

function start(env: Record<string, string>) {
  return runTypeScript(fixture, [], childEnvironment(env));
}

describe('shutdown protocol (real processes)', () => {
  it('SIGTERM with a slow drain hook exits 0 after the drain finishes', async () => {
    const proc = start({ DRAIN_MS: '700', SHUTDOWN_TIMEOUT_MS: '5000' });
    await proc.waitFor(/fixture ready/);
    const signalledAt = Date.now();
    proc.child.kill('SIGTERM');
    const { code } = await proc.exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(650);
    expect(proc.stdout()).toMatch(/drain finished[\s\S]*shutdown complete/);
  });

  it('SIGTERM with a hung drain hook exits 1 at the deadline', async () => {
    const proc = start({ DRAIN_MS: 'hang', SHUTDOWN_TIMEOUT_MS: '800' });
    await proc.waitFor(/fixture ready/);
    const signalledAt = Date.now();
    proc.child.kill('SIGTERM');
    const { code } = await proc.exited;
    const elapsed = Date.now() - signalledAt;
    expect(code).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(750);
    expect(elapsed).toBeLessThan(5000);
    expect(proc.stdout()).toMatch(/shutdown deadline passed/);
  });

  it('a second signal during a drain forces exit 1 at once', async () => {
    const proc = start({ DRAIN_MS: 'hang', SHUTDOWN_TIMEOUT_MS: '30000' });
    await proc.waitFor(/fixture ready/);
    proc.child.kill('SIGTERM');
    await proc.waitFor(/shutdown started/);
    proc.child.kill('SIGINT');
    const { code, elapsedMs } = await proc.exited;
    expect(code).toBe(1);
    expect(elapsedMs).toBeLessThan(20_000);
    expect(proc.stdout()).toMatch(/second signal during shutdown/);
  });

  it('an unhandled rejection is logged at fatal and exits 1', async () => {
    const proc = start({ FAIL_WITH: 'rejection' });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    const fatal = proc
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: string; msg: string; err?: { message: string } })
      .find((entry) => entry.level === 'fatal');
    expect(fatal).toMatchObject({ msg: 'unhandled rejection', err: { message: 'nobody handles this' } });
  });
});
