import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findMigrationsDirectory } from './migrations';
import { loadFunctionFiles } from './repeatable-functions';

describe('loadFunctionFiles', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'atc-functions-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('reads the repository functions in name order, one per file named for its function', () => {
    const files = loadFunctionFiles(path.join(findMigrationsDirectory(__dirname), 'functions'));
    const names = files.map((f) => f.name);
    expect(names).toContain('transition_steps');
    expect(names).toEqual([...names].sort());
  });

  it('refuses a file not named <function_name>.sql', () => {
    writeFileSync(path.join(directory, 'Settle-Held.sql'), 'select 1;');
    expect(() => loadFunctionFiles(directory)).toThrow(/Settle-Held.sql is not named <function_name>.sql/);
  });

  it('refuses a file that does not define the function it is named for', () => {
    writeFileSync(
      path.join(directory, 'claim_steps.sql'),
      'create or replace function atc.other() returns int language sql as $$ select 1 $$;',
    );
    expect(() => loadFunctionFiles(directory)).toThrow(/claim_steps.sql must define .*atc.claim_steps\(/);
  });

  it('is empty when the directory does not exist', () => {
    expect(loadFunctionFiles(path.join(directory, 'absent'))).toEqual([]);
  });
});
