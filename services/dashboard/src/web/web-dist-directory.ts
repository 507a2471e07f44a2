/**
 * Where the web app's build is: WEB_DIST_DIR, or by default the `web/dist` of the checkout or image
 * the running code sits in — found the way findMigrationsDirectory finds `migrations/`, by looking
 * upwards from the code's folder (`<repo>/dist/atc.cjs` → `<repo>/web/dist`, `/app/atc.cjs` →
 * `/app/web/dist`, a source file under `services/` → `<repo>/web/dist`).
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

function isDirectory(candidate: string): boolean {
  try {
    return statSync(candidate).isDirectory();
  } catch {
    // Missing or unreadable: not the folder we look for.
    return false;
  }
}

/**
 * The nearest `web/dist` folder above `from`; when there is none yet (a checkout before `npm run
 * build`), the `web/dist` of the nearest folder holding `migrations/schema.sql` (the repository's or
 * the image's root), so the dashboard answers "not built" from the right place and picks the build up
 * once it appears. Last resort: `web/dist` under the working directory.
 */
export function findWebDistDirectory(from: string = __dirname, cwd: string = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, 'web', 'dist');
    if (isDirectory(candidate)) return candidate;
    if (existsSync(path.join(dir, 'migrations', 'schema.sql'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(cwd, 'web', 'dist');
    dir = parent;
  }
}
