import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readViewPaths, REPO_ROOT, requireChromium, viewName, viewPaths } from './browser-harness';

describe('the browser harness', () => {
  it("fails, naming Debian's package chromium, when there is no Chromium (a browser test never skips)", () => {
    expect(() => requireChromium(path.join(REPO_ROOT, 'no-such-chromium'))).toThrow(
      /no Chromium at .*no-such-chromium: install Debian's package chromium \(apt-get install .*chromium\)/,
    );
  });

  it('reads the views from the route table, overview first', () => {
    expect(
      viewPaths("{ path: '/', title: 'Overview' }, { path: '/kill-switch', title: 'Kill switch' }"),
    ).toEqual(['/', '/kill-switch']);
    const table = readFileSync(path.join(REPO_ROOT, 'web', 'src', 'app', 'views.ts'), 'utf8');
    const views = readViewPaths();
    expect(views[0]).toBe('/');
    expect(views).toHaveLength([...table.matchAll(/title: '/g)].length);
  });

  it('names a view for files and reports', () => {
    expect(viewName('/')).toBe('overview');
    expect(viewName('/kill-switch')).toBe('kill-switch');
  });
});
