/**
 * The rules the image's Dockerfile and .dockerignore keep (issue 16, docs/deploy/image.md): each
 * check returns the broken rules as sentences, an empty list when all hold. dockerfile.test.ts runs
 * them over the real files and over mutated copies, one broken rule at a time.
 * @module
 */
import { finalStage, parseDockerfile, type DockerInstruction, type ParsedDockerfile } from './dockerfile';

export const IMAGE_ENTRYPOINT = ['node', '/app/atc.cjs'] as const;
/** The runtime user of the shared contract (the chart's runAsUser/runAsGroup). */
export const IMAGE_USER = '10001:10001';
export const OCI_LABELS = ['title', 'source', 'revision', 'version'].map(
  (n) => `org.opencontainers.image.${n}`,
);
/** Labels whose value comes from a build argument, so each build stamps its own. */
const OCI_LABELS_FROM_ARGS = ['source', 'revision', 'version'].map((n) => `org.opencontainers.image.${n}`);

const SECRET_NAME =
  /(SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|WEBHOOK_KEY|DATABASE_URL|AUTH_JWT)/i;
const SECRET_FILE = /(^|\/)(\.env(\..*)?|\.npmrc|.*\.pem|.*\.key|id_rsa.*|id_ed25519.*|paper-wallet\.json)$/;
const URL_SOURCE = /^(https?|git|ssh):\/\/|^git@/i;

type Rule = (parsed: ParsedDockerfile) => string[];

const all = (parsed: ParsedDockerfile): DockerInstruction[] => [
  ...parsed.globalArgs,
  ...parsed.stages.flatMap((stage) => stage.instructions),
];
const at = (instruction: DockerInstruction) => `line ${instruction.line}`;
const stageNames = (parsed: ParsedDockerfile) => new Set(parsed.stages.map((s) => s.name).filter(Boolean));

const multiStage: Rule = (parsed) => {
  const runtime = finalStage(parsed);
  const copiesFromStages = runtime.instructions.some(
    (i) => i.keyword === 'COPY' && stageNames(parsed).has(i.flags.get('from') ?? ''),
  );
  return parsed.stages.length >= 2 && copiesFromStages
    ? []
    : ['multi-stage: the runtime stage must take its files from a build stage (COPY --from=<stage>)'];
};

const pinnedBase: Rule = (parsed) => {
  const names = stageNames(parsed);
  const globalArgs = new Set(parsed.globalArgs.flatMap((i) => i.properties.map(([name]) => name)));
  const problems: string[] = [];
  for (const stage of parsed.stages.filter((s) => !names.has(s.from))) {
    const match = /^([^:@]+):([^@]+)(?:@(.+))?$/.exec(stage.from);
    if (!match || !/^20\.\d+\.\d+(-[a-z0-9]+)*$/.test(match[2]!)) {
      problems.push(
        `line ${stage.fromLine}: base image ${stage.from} must have an exact Node 20 tag (20.x.y-…)`,
      );
      continue;
    }
    const digest = match[3];
    const digestArg = /^\$\{([A-Z_][A-Z0-9_]*)(:\?[^}]*)?\}$/.exec(digest ?? '');
    if (digest && /^sha256:[0-9a-f]{64}$/.test(digest)) continue;
    if (!digestArg || !globalArgs.has(digestArg[1]!))
      problems.push(
        `line ${stage.fromLine}: base image ${stage.from} must pin its digest (@\${NODE_IMAGE_DIGEST:?} with a global ARG, or @sha256:…)`,
      );
  }
  if (parsed.stages.every((s) => names.has(s.from))) problems.push('no base image at all');
  return problems;
};

const nonRootUser: Rule = (parsed) => {
  const user = finalStage(parsed)
    .instructions.filter((i) => i.keyword === 'USER')
    .at(-1);
  if (!user) return ['the runtime stage must set USER (numeric, non-root)'];
  const value = user.args.join(' ');
  if (!/^[1-9]\d*(:[1-9]\d*)?$/.test(value))
    return [
      `${at(user)}: USER ${value} must be a numeric non-root uid:gid (runAsNonRoot can only check numbers)`,
    ];
  return value === IMAGE_USER
    ? []
    : [`${at(user)}: USER ${value} must be ${IMAGE_USER}, the chart's runAsUser`];
};

function sameArray(a: readonly string[] | null, b: readonly string[]): boolean {
  return a !== null && a.length === b.length && a.every((item, index) => item === b[index]);
}

const execEntrypoint: Rule = (parsed) => {
  const entrypoints = finalStage(parsed).instructions.filter((i) => i.keyword === 'ENTRYPOINT');
  const last = entrypoints.at(-1);
  if (!last || !sameArray(last.execForm, IMAGE_ENTRYPOINT))
    return [`ENTRYPOINT must be exactly ${JSON.stringify(IMAGE_ENTRYPOINT)} (exec form: node is PID 1)`];
  return [];
};

const execCommands: Rule = (parsed) => {
  const runtime = finalStage(parsed).instructions;
  return [
    ...runtime
      .filter((i) => i.keyword === 'RUN')
      .map(
        (i) =>
          `${at(i)}: RUN in the runtime stage (it only copies build outputs; no shell, and the smoke replays it)`,
      ),
    ...runtime
      .filter((i) => i.keyword === 'CMD' && i.execForm === null)
      .map((i) => `${at(i)}: CMD in shell form in the runtime stage (no shell is needed at run time)`),
    ...runtime
      .filter((i) => ['CMD', 'ENTRYPOINT'].includes(i.keyword) && i.execForm?.includes('npm'))
      .map((i) => `${at(i)}: ${i.keyword} must not go through npm (SIGTERM must reach node)`),
  ];
};

const healthcheck: Rule = (parsed) => {
  const check = finalStage(parsed)
    .instructions.filter((i) => i.keyword === 'HEALTHCHECK')
    .at(-1);
  if (!check) return ['the runtime stage must have a HEALTHCHECK (for plain-docker users)'];
  if (!check.execForm || !sameArray(check.execForm.slice(0, 2), IMAGE_ENTRYPOINT))
    return [`${at(check)}: HEALTHCHECK must be CMD ["node", "/app/atc.cjs", …] in exec form`];
  return [];
};

const noRemoteAdd: Rule = (parsed) =>
  all(parsed)
    .filter((i) => i.keyword === 'ADD' && i.args.some((arg) => URL_SOURCE.test(arg)))
    .map((i) => `${at(i)}: ADD of a URL (download in a build stage with a checksum, or vendor it)`);

const noSecrets: Rule = (parsed) =>
  all(parsed).flatMap((i) => {
    const problems: string[] = [];
    if (i.keyword === 'ENV' || i.keyword === 'ARG')
      for (const [name] of i.properties)
        if (SECRET_NAME.test(name))
          problems.push(`${at(i)}: ${i.keyword} ${name} puts a credential in the image`);
    if (i.keyword === 'COPY' || i.keyword === 'ADD')
      for (const arg of i.args.slice(0, -1))
        if (SECRET_FILE.test(arg))
          problems.push(`${at(i)}: ${i.keyword} ${arg} copies a secret into the image`);
    return problems;
  });

const ociLabels: Rule = (parsed) => {
  const labels = new Map(
    finalStage(parsed)
      .instructions.filter((i) => i.keyword === 'LABEL')
      .flatMap((i) => i.properties),
  );
  const args = new Set(
    finalStage(parsed)
      .instructions.filter((i) => i.keyword === 'ARG')
      .flatMap((i) => i.properties.map(([name]) => name)),
  );
  const problems = OCI_LABELS.filter((name) => !labels.get(name)).map(
    (name) => `OCI label ${name} is missing`,
  );
  for (const name of OCI_LABELS_FROM_ARGS) {
    const variable = /^\$\{?([A-Z_][A-Z0-9_]*)\}?$/.exec(labels.get(name) ?? '');
    if (labels.has(name) && (!variable || !args.has(variable[1]!)))
      problems.push(`OCI label ${name} must come from a build ARG of the runtime stage`);
  }
  return problems;
};

function finalProperties(parsed: ParsedDockerfile, keyword: string): Map<string, string | null> {
  return new Map(
    finalStage(parsed)
      .instructions.filter((i) => i.keyword === keyword)
      .flatMap((i) => i.properties),
  );
}

const runtimeSettings: Rule = (parsed) => {
  const runtime = finalStage(parsed).instructions;
  const problems: string[] = [];
  const argNames = new Set([...parsed.globalArgs, ...runtime].flatMap((i) => i.properties.map(([n]) => n)));
  if (!argNames.has('SOURCE_DATE_EPOCH'))
    problems.push('ARG SOURCE_DATE_EPOCH is missing (reproducible builds)');
  if (finalProperties(parsed, 'ENV').get('NODE_ENV') !== 'production')
    problems.push('the runtime stage must set ENV NODE_ENV=production');
  if (runtime.filter((i) => i.keyword === 'STOPSIGNAL').at(-1)?.args[0] !== 'SIGTERM')
    problems.push('the runtime stage must say STOPSIGNAL SIGTERM (the roles drain on it)');
  if (runtime.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args[0] !== '/app')
    problems.push('the runtime stage must work in /app (WORKDIR /app)');
  return problems;
};

/** node_modules of the runtime stage comes from a stage that dropped the dev dependencies. */
const productionDependencies: Rule = (parsed) => {
  const copy = finalStage(parsed).instructions.find(
    (i) => i.keyword === 'COPY' && /(^|\/)node_modules\/?$/.test(i.args.at(-1) ?? ''),
  );
  const source = parsed.stages.find((stage) => stage.name === copy?.flags.get('from'));
  const omitsDev = source?.instructions.some(
    (i) => i.keyword === 'RUN' && /\bnpm (ci|prune|install)\b[^&;]*--omit=dev/.test(i.content),
  );
  return omitsDev
    ? []
    : ['node_modules of the runtime stage must come from a stage that runs npm … --omit=dev'];
};

const RULES: readonly Rule[] = [
  multiStage,
  pinnedBase,
  nonRootUser,
  execEntrypoint,
  execCommands,
  healthcheck,
  noRemoteAdd,
  noSecrets,
  ociLabels,
  runtimeSettings,
  productionDependencies,
];

export function checkDockerfile(text: string): string[] {
  const parsed = parseDockerfile(text);
  if (parsed.stages.length === 0) return ['the Dockerfile has no FROM'];
  return RULES.flatMap((rule) => rule(parsed));
}
