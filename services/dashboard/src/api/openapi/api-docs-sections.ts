/**
 * The generated parts of docs/api/README.md: the authorization matrix printed from PERMISSIONS, the
 * route index printed from the route list, and the curl examples (`npm run api:examples`), each kept
 * between a pair of markers so the rest of the README stays hand-written.
 * @module
 */
import { apiRoles } from '@atc/contracts';
import { PERMISSIONS, roleAllows, type ApiRoute, type Permission } from '../api-route';

export type GeneratedSection = 'permissions' | 'routes' | 'examples';

const begin = (section: GeneratedSection) => `<!-- BEGIN GENERATED ${section}: do not edit by hand -->`;
const end = (section: GeneratedSection) => `<!-- END GENERATED ${section} -->`;

/** `text` with the content between the section's markers replaced by `content`. */
export function replaceSection(text: string, section: GeneratedSection, content: string): string {
  const from = text.indexOf(begin(section));
  const to = text.indexOf(end(section));
  if (from < 0 || to < from) {
    throw new Error(`the markers of the generated section "${section}" are missing: ${begin(section)}`);
  }
  return `${text.slice(0, from + begin(section).length)}\n\n${content.trim()}\n\n${text.slice(to)}`;
}

/** The empty section with its markers, for a new README. */
export function emptySection(section: GeneratedSection): string {
  return `${begin(section)}\n${end(section)}`;
}

/** The routes that need `permission`, as `METHOD path` code spans. */
function routesNeeding(routes: readonly ApiRoute[], access: ApiRoute['access']): string {
  const listed = routes.filter((route) => route.access === access).map((r) => `\`${r.method} ${r.path}\``);
  return listed.length > 0 ? listed.join(', ') : '—';
}

/** PERMISSIONS as a markdown table: each permission, the least role, which roles hold it, its routes. */
export function permissionMatrix(routes: readonly ApiRoute[]): string {
  const header = `| permission | least role | ${apiRoles.join(' | ')} | routes |`;
  const rule = `|---|---|${apiRoles.map(() => '---').join('|')}|---|`;
  const rows = (Object.keys(PERMISSIONS) as Permission[]).map((permission) => {
    const cells = apiRoles.map((role) => (roleAllows(role, permission) ? 'yes' : 'no'));
    return `| \`${permission}\` | ${PERMISSIONS[permission]} | ${cells.join(' | ')} | ${routesNeeding(routes, permission)} |`;
  });
  const others = [
    `| \`public\` (no credentials) | — | ${apiRoles.map(() => 'yes').join(' | ')} | ${routesNeeding(routes, 'public')} |`,
    `| \`heartbeat_token\` (\`HEARTBEAT_TOKEN\`, not an API key) | — | ${apiRoles.map(() => 'no').join(' | ')} | ${routesNeeding(routes, 'heartbeat_token')} |`,
  ];
  return [header, rule, ...rows, ...others].join('\n');
}

/** Every route, by tag then path: method, path, who may call it, what it does. */
export function routeIndex(routes: readonly ApiRoute[]): string {
  const sorted = [...routes].sort(
    (a, b) => a.tag.localeCompare(b.tag) || a.path.localeCompare(b.path) || a.method.localeCompare(b.method),
  );
  const rows = sorted.map(
    (route) =>
      `| ${route.tag} | \`${route.method}\` | \`${route.path}\` | \`${route.access}\` | ${route.summary} |`,
  );
  return ['| area | method | path | access | what it does |', '|---|---|---|---|---|', ...rows].join('\n');
}
