/**
 * The image smoke (scripts/image-smoke.sh; docs/deploy/image.md), for machines without a container
 * engine: replays the Dockerfile's runtime stage into a temporary tree (production dependencies only),
 * makes it read-only, and runs the image's ENTRYPOINT from it as the image's USER (as root; as the
 * current user otherwise) with only the image's ENV, `/tmp` as the one writable place and `/` as HOME:
 * `atc --help`, `atc migrate up` and `atc seed` against a real PostgreSQL, then every long-running role
 * until its `/health/ready` answers 200 and the image's HEALTHCHECK command passes against it, the
 * dashboard's web app at `/` (smoke-web-app.ts), one `atc heartbeat` run, and SIGTERM to a clean exit.
 * @module
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { makeScratchDirectory, startLocalPostgres, type LocalPostgres } from '@atc/platform';
import { simulatorBaseUrls } from '@atc/venues';
import { replayRuntimeStage } from './replay-runtime-stage';
import { Container, freePorts, makeReadOnly, prepareTmp, type ContainerOptions } from './smoke-container';
import { checkWebApp } from './smoke-web-app';

const REPO_ROOT = path.resolve(__dirname, '../..');
const SHUTDOWN_TIMEOUT_MS = 10_000;

function say(text: string): void {
  process.stdout.write(`image-smoke: ${text}\n`);
}

/** Every long-running role, by its args, the way the chart's Deployments run them. */
const ROLES: readonly (readonly string[])[] = [
  ['dashboard'],
  ['worker', 'crypto'],
  ['worker', 'options'],
  ['worker', 'futures'],
  ['worker', 'roundtable'],
];

async function runOnce(
  options: ContainerOptions,
  name: string,
  args: readonly string[],
  env = {},
): Promise<string> {
  const container = new Container(options, name, args, env);
  const { code, signal } = await container.exited;
  if (code !== 0) throw new Error(`${name} exited ${code ?? signal}:\n${container.tail()}`);
  return container.output();
}

/** Starts a role, waits for /health/ready, runs the image's HEALTHCHECK against it. */
/** The tree is read-only to the runtime user and /tmp is not: else the smoke would prove nothing. */
async function checkWritablePlaces(options: ContainerOptions): Promise<void> {
  const write = ['node', '-e', 'require("fs").writeFileSync(process.argv[1], "")'];
  const inTree = new Container(options, 'write to /app', [], {}, [
    ...write,
    `${options.image.workdir}/.write-probe`,
  ]);
  const { code } = await inTree.exited;
  if (code === 0 || !/EACCES|EROFS|EPERM/.test(inTree.output()))
    throw new Error(
      `the runtime user could write into ${options.image.workdir} (exit ${code}):\n${inTree.tail()}`,
    );
  const inTmp = new Container(options, 'write to /tmp', [], {}, [...write, '/tmp/.write-probe']);
  if ((await inTmp.exited).code !== 0)
    throw new Error(`the runtime user cannot write to /tmp:\n${inTmp.tail()}`);
  say(`${options.image.workdir} is read-only to the runtime user, /tmp is writable`);
}

/**
 * Starts a role (into `running` at once, so a failure elsewhere still stops it), waits for
 * /health/ready and runs the image's HEALTHCHECK against it.
 */
async function startRole(
  options: ContainerOptions,
  role: {
    readonly args: readonly string[];
    readonly env: Record<string, string>;
    readonly adminPort: number;
  },
  running: Container[],
): Promise<void> {
  const env = { ...role.env, ADMIN_PORT: String(role.adminPort) };
  const container = new Container(options, `atc ${role.args.join(' ')}`, role.args, env);
  running.push(container);
  await container.ready(role.adminPort);
  if (options.image.healthcheck) {
    const probe = new Container(options, 'HEALTHCHECK', [], env, options.image.healthcheck);
    const { code } = await probe.exited;
    if (code !== 0) throw new Error(`HEALTHCHECK against ${container.name} exited ${code}:\n${probe.tail()}`);
  }
  say(`${container.name}: /health/ready 200 on the admin port, HEALTHCHECK passes`);
}

async function stopRoles(containers: readonly Container[]): Promise<void> {
  await Promise.all(
    containers.map(async (container) => {
      const { code, signal } = await container.stop(SHUTDOWN_TIMEOUT_MS + 5_000);
      if (code !== 0)
        throw new Error(
          `${container.name} did not exit 0 on SIGTERM (${code ?? signal}):\n${container.tail()}`,
        );
      say(`${container.name}: SIGTERM, drained, exit 0`);
    }),
  );
}

/** The replayed, read-only image and who runs it: USER as root, this user otherwise. */
function prepareImage(work: string): ContainerOptions {
  const asRoot = process.getuid?.() === 0;
  const image = replayRuntimeStage({
    repoRoot: REPO_ROOT,
    dockerfileText: readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'),
    workDirectory: work,
    // As root the tree is root's and the role runs as USER, so hard links are safe and fast.
    link: asRoot,
  });
  makeReadOnly(image.root, { filesToo: !asRoot });
  const user = asRoot ? image.user : null;
  if (asRoot && !user) throw new Error('the runtime stage sets no USER');
  say(
    `runtime stage replayed into ${image.root} (read-only), running as ${user ? `${user.uid}:${user.gid}` : 'this user'}`,
  );
  return { image, user, tmp: prepareTmp(work, user) };
}

/**
 * The simulator first (the other roles' venues), then the rest at once; all of them into `running`.
 * Returns the environment the roles share (database, venues at the simulator).
 */
async function startRoles(
  options: ContainerOptions,
  env: Record<string, string>,
  running: Container[],
): Promise<Record<string, string>> {
  const [simPort, dashboardPort, simAdminPort, ...adminPorts] = await freePorts(3 + ROLES.length);
  await startRole(
    options,
    { args: ['sim'], env: { ...env, SIM_PORT: String(simPort) }, adminPort: simAdminPort! },
    running,
  );
  const roleEnv = {
    ...env,
    ...simulatorBaseUrls(`http://127.0.0.1:${simPort}`),
    DASHBOARD_PORT: String(dashboardPort),
    DASHBOARD_HOST: '127.0.0.1',
  };
  await Promise.all(
    ROLES.map((args, index) =>
      startRole(options, { args, env: roleEnv, adminPort: adminPorts[index]! }, running),
    ),
  );
  return roleEnv;
}

async function main(): Promise<void> {
  const started = Date.now();
  const work = makeScratchDirectory('atc-image-smoke-');
  const running: Container[] = [];
  let database: LocalPostgres | undefined;
  try {
    const options = prepareImage(work);
    await checkWritablePlaces(options);
    const help = await runOnce(options, 'atc --help', ['--help']);
    if (!help.includes('usage: atc <command>')) throw new Error(`atc --help printed no usage:\n${help}`);
    say('atc --help: exit 0');

    const dataDirectory = makeScratchDirectory('atc-image-smoke-pg-');
    database = await startLocalPostgres({ dataDirectory, persistent: false, durable: false });
    const env = {
      DATABASE_URL: database.url,
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      LOG_LEVEL: 'warn',
    };
    await runOnce(options, 'atc migrate up', ['migrate', 'up'], env);
    say('atc migrate up: exit 0');
    // The policies and agents the heartbeat reads: a fresh database needs them once.
    await runOnce(options, 'atc seed', ['seed'], env);
    say('atc seed: exit 0');

    const roleEnv = await startRoles(options, env, running);
    // The dashboard serves the image's web/dist at / (or says it is not built).
    const webDist = path.join(options.image.root, options.image.workdir, 'web', 'dist');
    say(`dashboard: ${await checkWebApp(`http://127.0.0.1:${roleEnv['DASHBOARD_PORT']}`, webDist)}`);
    // The CronJob's role: one run of the loop against the running company, then exit 0.
    await runOnce(options, 'atc heartbeat', ['heartbeat'], roleEnv);
    say('atc heartbeat: one run, exit 0');
    await stopRoles(running);
    say(`passed in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    for (const container of running) container.kill();
    await Promise.all(running.map((container) => container.exited));
    await database?.stop();
    makeReadOnly(work, { undo: true });
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`image-smoke: FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
