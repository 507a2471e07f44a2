import { findUnpinned } from './check-pinned-deps';

describe('findUnpinned', () => {
  it('accepts exact versions, including prereleases', () => {
    expect(findUnpinned('p.json', { dependencies: { a: '1.2.3', b: '15.18.0-beta.17' } })).toEqual([]);
  });

  it('names every range, tag or wildcard', () => {
    const problems = findUnpinned('p.json', {
      dependencies: { a: '^1.0.0', b: '~2.1.0' },
      devDependencies: { c: 'latest', d: '*', e: '>=3' },
    });
    expect(problems.map((p) => p.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
