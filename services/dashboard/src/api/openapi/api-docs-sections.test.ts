import { z } from 'zod';
import { defineRoute, ok, PERMISSIONS } from '../api-route';
import { emptySection, permissionMatrix, replaceSection, routeIndex } from './api-docs-sections';

const route = defineRoute({
  method: 'POST',
  path: '/api/kill-switch/release',
  access: 'kill_switch.release',
  summary: 'Release the kill switch',
  tag: 'control',
  response: z.object({}),
  handle: () => Promise.resolve(ok({})),
});

describe('the generated sections of docs/api/README.md', () => {
  it('prints every permission of the matrix with the roles that hold it and its routes', () => {
    const table = permissionMatrix([route]);
    for (const permission of Object.keys(PERMISSIONS)) expect(table).toContain(`| \`${permission}\` |`);
    expect(table).toContain(
      '| `kill_switch.release` | admin | no | no | yes | `POST /api/kill-switch/release` |',
    );
    expect(table).toContain('| `proposals.submit` | operator | no | yes | yes | — |');
    expect(table).toContain('| `read` | viewer | yes | yes | yes | — |');
  });

  it('lists each route with its access', () => {
    expect(routeIndex([route])).toContain(
      '| control | `POST` | `/api/kill-switch/release` | `kill_switch.release` | Release the kill switch |',
    );
  });

  it('replaces only what is between the markers, and refuses a README without them', () => {
    const readme = `# Title\n\n${emptySection('routes')}\n\nhand-written\n`;
    const once = replaceSection(readme, 'routes', 'table one');
    const twice = replaceSection(once, 'routes', 'table two');
    expect(twice).toContain('table two');
    expect(twice).not.toContain('table one');
    expect(twice.startsWith('# Title\n')).toBe(true);
    expect(twice.endsWith('hand-written\n')).toBe(true);
    expect(() => replaceSection('# Title\n', 'examples', 'x')).toThrow(
      'the markers of the generated section "examples" are missing',
    );
  });
});
