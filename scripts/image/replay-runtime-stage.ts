/**
 * Builds the image's file tree without a container engine: replays the Dockerfile's runtime stage
 * (ARG, ENV, WORKDIR, COPY, USER and the metadata instructions) into a folder that stands for `/`.
 * Read from the Dockerfile itself, so the smoke runs what the image holds and cannot drift from it.
 *
 * Where a COPY --from=<stage> reads:
 * - the stage that copies the build context (`COPY . .`, the build stage) is this repository after
 *   `npm ci` and `npm run build`, which are that stage's RUN steps and which the caller has run;
 * - a stage built FROM another one (prod-deps) is a scratch copy of its parent — the repository,
 *   its node_modules hard-linked — in which that stage's RUN steps are replayed with `sh -c`.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import {
  expandVariables,
  finalStage,
  parseDockerfile,
  type DockerInstruction,
  type DockerStage,
  type ParsedDockerfile,
} from './dockerfile';

export interface ReplayedImage {
  /** The folder that stands for the image's `/`. */
  readonly root: string;
  /** WORKDIR of the runtime stage, as an image path. */
  readonly workdir: string;
  /** ENV of the runtime stage, expanded, as image values. */
  readonly env: Readonly<Record<string, string>>;
  /** The numeric USER, or null when the stage sets none. */
  readonly user: { readonly uid: number; readonly gid: number } | null;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly healthcheck: readonly string[] | null;
  readonly stopSignal: string;
}

export interface ReplayOptions {
  readonly repoRoot: string;
  readonly dockerfileText: string;
  /** An empty folder for the tree (`root`) and the scratch stages. */
  readonly workDirectory: string;
  /** Hard-link files instead of copying them (only safe when nothing will write to them). */
  readonly link: boolean;
  readonly buildArgs?: Readonly<Record<string, string>>;
}

/** A stage's file system as seen from the host: image paths under `workdir` live under `hostDir`. */
interface StageFiles {
  readonly workdir: string;
  readonly hostDir: string;
}

const SKIPPED_IN_SCRATCH = new Set(['.git', 'node_modules', '.atc', '.tools', 'coverage']);

function copyTree(source: string, target: string, link: boolean): void {
  mkdirSync(path.dirname(target), { recursive: true });
  if (statSync(source).isDirectory()) {
    mkdirSync(target, { recursive: true });
    execFileSync('cp', [link ? '-al' : '-a', `${source}/.`, `${target}/`]);
  } else {
    execFileSync('cp', [link ? '-l' : '-p', source, target]);
  }
}

function stageWorkdir(stage: DockerStage, scope: ReadonlyMap<string, string>): string {
  const workdir = stage.instructions.filter((i) => i.keyword === 'WORKDIR').at(-1);
  return workdir ? expandVariables(workdir.args[0] ?? '/', scope) : '/';
}

function argScope(parsed: ParsedDockerfile, stage: DockerStage, buildArgs: Readonly<Record<string, string>>) {
  const scope = new Map<string, string>();
  for (const instruction of [...parsed.globalArgs, ...stage.instructions])
    for (const [name, value] of instruction.keyword === 'ARG' ? instruction.properties : [])
      scope.set(name, buildArgs[name] ?? value ?? '');
  return scope;
}

/** The files of stage `name`: the repository for the build stage, a replayed scratch copy for one FROM it. */
function stageFiles(parsed: ParsedDockerfile, name: string, options: ReplayOptions): StageFiles {
  const stage = parsed.stages.find((s) => s.name === name);
  if (!stage) throw new Error(`COPY --from=${name}: no such stage`);
  const scope = argScope(parsed, stage, options.buildArgs ?? {});
  const copiesContext = stage.instructions.some(
    (i) => i.keyword === 'COPY' && !i.flags.has('from') && i.args[0] === '.',
  );
  if (copiesContext) return { workdir: stageWorkdir(stage, scope), hostDir: options.repoRoot };
  const parent = parsed.stages.find((s) => s.name === stage.from);
  if (!parent)
    throw new Error(`stage ${name}: FROM ${stage.from} is neither the build stage nor one FROM it`);
  const base = stageFiles(parsed, parent.name!, options);
  const hostDir = path.join(options.workDirectory, 'stages', name);
  rmSync(hostDir, { recursive: true, force: true });
  cpSync(base.hostDir, hostDir, {
    recursive: true,
    filter: (source) => !SKIPPED_IN_SCRATCH.has(path.relative(base.hostDir, source).split(path.sep)[0] ?? ''),
  });
  const modules = path.join(base.hostDir, 'node_modules');
  if (existsSync(modules)) {
    copyTree(modules, path.join(hostDir, 'node_modules'), true);
    // npm rewrites its hidden lock file in place: a copy, so the repository's stays untouched.
    const hiddenLock = path.join(hostDir, 'node_modules', '.package-lock.json');
    if (existsSync(hiddenLock)) {
      rmSync(hiddenLock);
      copyFileSync(path.join(modules, '.package-lock.json'), hiddenLock);
    }
  }
  for (const run of stage.instructions.filter((i) => i.keyword === 'RUN')) {
    const command = run.execForm ?? ['sh', '-c', expandVariables(run.content, scope)];
    execFileSync(command[0]!, command.slice(1), { cwd: hostDir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return { workdir: base.workdir, hostDir };
}

function hostPathIn(files: StageFiles, imagePath: string): string {
  const relative = path.posix.relative(files.workdir, imagePath);
  if (relative.startsWith('..'))
    throw new Error(`${imagePath} is outside the stage's WORKDIR ${files.workdir}`);
  return path.join(files.hostDir, relative);
}

interface ReplayState {
  workdir: string;
  env: Record<string, string>;
  scope: Map<string, string>;
  user: { uid: number; gid: number } | null;
  entrypoint: string[];
  cmd: string[];
  healthcheck: string[] | null;
  stopSignal: string;
}

/** COPY [--from=<stage>] SRC… DEST: sources are paths from that stage's `/` (or the context's root). */
function replayCopy(
  state: ReplayState,
  args: readonly string[],
  files: StageFiles,
  root: string,
  link: boolean,
): void {
  const sources = args.slice(0, -1).map((arg) => expandVariables(arg, state.scope));
  const rawTarget = expandVariables(args.at(-1) ?? '', state.scope);
  const target = path.posix.resolve(state.workdir, rawTarget);
  for (const source of sources) {
    const host = hostPathIn(files, path.posix.resolve('/', source));
    if (!existsSync(host)) throw new Error(`COPY ${source}: ${host} does not exist (did npm run build run?)`);
    const intoFolder = rawTarget.endsWith('/') || sources.length > 1;
    const destination =
      intoFolder && !statSync(host).isDirectory()
        ? path.posix.join(target, path.posix.basename(source))
        : target;
    copyTree(host, path.join(root, destination), link);
  }
}

function parseUser(value: string): { uid: number; gid: number } {
  const match = /^(\d+)(?::(\d+))?$/.exec(value);
  if (!match) throw new Error(`USER ${value}: the smoke runs numeric users only`);
  return { uid: Number(match[1]), gid: Number(match[2] ?? match[1]) };
}

/** What every instruction of the runtime stage may need. */
interface ReplayContext {
  readonly parsed: ParsedDockerfile;
  readonly options: ReplayOptions;
  readonly root: string;
}

/** Applies one instruction of the runtime stage to `state` (and, for WORKDIR and COPY, to the tree). */
function applyInstruction(state: ReplayState, instruction: DockerInstruction, context: ReplayContext): void {
  const { options, root } = context;
  const where = `Dockerfile line ${instruction.line}: ${instruction.keyword}`;
  switch (instruction.keyword) {
    case 'ARG':
      for (const [name, value] of instruction.properties)
        state.scope.set(name, options.buildArgs?.[name] ?? value ?? '');
      return;
    case 'ENV':
      for (const [name, value] of instruction.properties) {
        const expanded = expandVariables(value ?? '', state.scope);
        state.env[name] = expanded;
        state.scope.set(name, expanded);
      }
      return;
    case 'WORKDIR':
      state.workdir = path.posix.resolve(
        state.workdir,
        expandVariables(instruction.args[0] ?? '/', state.scope),
      );
      mkdirSync(path.join(root, state.workdir), { recursive: true });
      return;
    case 'COPY': {
      const from = instruction.flags.get('from');
      const files = from
        ? stageFiles(context.parsed, from, options)
        : { workdir: '/', hostDir: options.repoRoot };
      replayCopy(state, instruction.args, files, root, options.link);
      return;
    }
    case 'USER':
      state.user = parseUser(expandVariables(instruction.args.join(' '), state.scope));
      return;
    case 'ENTRYPOINT':
    case 'CMD':
      if (!instruction.execForm) throw new Error(`${where} in shell form: the image has no shell to run it`);
      if (instruction.keyword === 'ENTRYPOINT') state.entrypoint = [...instruction.execForm];
      else state.cmd = [...instruction.execForm];
      return;
    case 'HEALTHCHECK':
      state.healthcheck = instruction.execForm ? [...instruction.execForm] : null;
      return;
    case 'STOPSIGNAL':
      state.stopSignal = instruction.args[0] ?? 'SIGTERM';
      return;
    case 'LABEL':
    case 'EXPOSE':
      return;
    default:
      // RUN included: without a container engine there is no chroot to run it in faithfully, and the
      // runtime stage needs none (it only copies what the build stages made).
      throw new Error(`${where} is not replayed by the smoke; keep the runtime stage to copies and settings`);
  }
}

/** Replays the runtime stage into `<workDirectory>/root` and returns what the image's config would say. */
export function replayRuntimeStage(options: ReplayOptions): ReplayedImage {
  const parsed = parseDockerfile(options.dockerfileText);
  const runtime = finalStage(parsed);
  const root = path.join(options.workDirectory, 'root');
  mkdirSync(root, { recursive: true });
  const state: ReplayState = {
    workdir: '/',
    env: {},
    scope: argScope(parsed, { ...runtime, instructions: [] }, options.buildArgs ?? {}),
    user: null,
    entrypoint: [],
    cmd: [],
    healthcheck: null,
    stopSignal: 'SIGTERM',
  };
  for (const instruction of runtime.instructions)
    applyInstruction(state, instruction, { parsed, options, root });
  return { root, ...state };
}
