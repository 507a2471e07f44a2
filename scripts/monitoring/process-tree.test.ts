import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { commandLine, descendants, findDescendant, processState } from './process-tree';

// The e2e finds `atc up`'s heartbeat loop by its arguments among the descendants of `atc up`; here a
// child of this process stands for it.
describe('process tree', () => {
  let child: ChildProcess;

  beforeAll(async () => {
    child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)', 'heartbeat', '--loop'], {
      stdio: 'ignore',
    });
    await once(child, 'spawn');
  });

  afterAll(async () => {
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  });

  it('finds a descendant by its arguments, in order', () => {
    expect(descendants(process.pid)).toContain(child.pid);
    expect(commandLine(child.pid!).slice(-2)).toEqual(['heartbeat', '--loop']);
    expect(findDescendant(process.pid, ['heartbeat', '--loop'])).toBe(child.pid);
    expect(() => findDescendant(process.pid, ['--loop', 'heartbeat'])).toThrow(/found 0/);
    expect(processState(child.pid!)).toMatch(/^[RS]$/);
  });

  it('knows nothing of a process that is gone', () => {
    expect(commandLine(2 ** 22 + 1)).toEqual([]);
    expect(processState(2 ** 22 + 1)).toBeUndefined();
  });
});
