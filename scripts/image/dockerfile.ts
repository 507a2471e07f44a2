/**
 * The Dockerfile as data, read with dockerfile-ast: the global ARGs and each stage's instructions with
 * their flags, arguments, key=value properties (ENV, LABEL, ARG) and exec form (a JSON array) when
 * they have one. The rule test (dockerfile.test.ts) and the smoke's replay of the runtime stage
 * (replay-runtime-stage.ts) both read the file through this, so neither can drift from it.
 * @module
 */
import {
  DockerfileParser,
  Healthcheck,
  ModifiableInstruction,
  PropertyInstruction,
  type Instruction,
} from 'dockerfile-ast';

export interface DockerInstruction {
  /** Upper case: FROM, RUN, COPY, … */
  readonly keyword: string;
  /** 1-based, for messages. */
  readonly line: number;
  /** `--from=build` → from: 'build'; a flag without a value maps to null. */
  readonly flags: ReadonlyMap<string, string | null>;
  /** Whitespace-separated arguments after the flags, as written (quotes kept, variables unexpanded). */
  readonly args: readonly string[];
  /** The text after the keyword and flags, continuation lines joined. */
  readonly content: string;
  /** ENV, LABEL and ARG: name and unquoted value (null for `ARG NAME` without a default). */
  readonly properties: readonly (readonly [string, string | null])[];
  /** The JSON array of RUN, CMD, ENTRYPOINT, SHELL or a HEALTHCHECK's CMD; null in shell form. */
  readonly execForm: readonly string[] | null;
}

export interface DockerStage {
  /** The `AS` name, or null. */
  readonly name: string | null;
  /** The FROM image or stage, as written (`node:20.20.2-bookworm-slim@${NODE_IMAGE_DIGEST:?}`, `build`). */
  readonly from: string;
  readonly fromLine: number;
  /** The instructions after FROM, up to the next FROM. */
  readonly instructions: readonly DockerInstruction[];
}

export interface ParsedDockerfile {
  /** ARGs before the first FROM (the only ones a FROM line can use). */
  readonly globalArgs: readonly DockerInstruction[];
  readonly stages: readonly DockerStage[];
}

/** The JSON array that `text` is, when it is one of strings; otherwise null (shell form). */
export function parseExecForm(text: string): string[] | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return null;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

const EXEC_FORM_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL']);

function execFormOf(instruction: Instruction, content: string): string[] | null {
  if (instruction instanceof Healthcheck) {
    const match = /^CMD\s+([\s\S]*)$/i.exec(content.trim());
    return match ? parseExecForm(match[1]!) : null;
  }
  return EXEC_FORM_KEYWORDS.has(instruction.getKeyword()) ? parseExecForm(content) : null;
}

function toModel(instruction: Instruction): DockerInstruction {
  const flags = new Map<string, string | null>();
  if (instruction instanceof ModifiableInstruction)
    for (const flag of instruction.getFlags()) flags.set(flag.getName(), flag.getValue());
  const content = instruction.getArgumentsContent() ?? '';
  const properties =
    instruction instanceof PropertyInstruction
      ? instruction.getProperties().map((property) => [property.getName(), property.getValue()] as const)
      : [];
  return {
    keyword: instruction.getKeyword().toUpperCase(),
    line: instruction.getRange().start.line + 1,
    flags,
    args: instruction.getArguments().map((argument) => argument.getValue()),
    content,
    properties,
    execForm: execFormOf(instruction, content),
  };
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const dockerfile = DockerfileParser.parse(text);
  const globalArgs: DockerInstruction[] = [];
  const stages: { name: string | null; from: string; fromLine: number; instructions: DockerInstruction[] }[] =
    [];
  for (const instruction of dockerfile.getInstructions()) {
    const model = toModel(instruction);
    if (model.keyword === 'FROM') {
      const [from = '', as, name] = model.args.filter((arg) => !arg.startsWith('--'));
      stages.push({
        name: as?.toUpperCase() === 'AS' && name ? name : null,
        from,
        fromLine: model.line,
        instructions: [],
      });
    } else if (stages.length === 0) {
      globalArgs.push(model);
    } else {
      stages.at(-1)!.instructions.push(model);
    }
  }
  return { globalArgs, stages };
}

/** The stage the image is: the last one. */
export function finalStage(parsed: ParsedDockerfile): DockerStage {
  const last = parsed.stages.at(-1);
  if (!last) throw new Error('the Dockerfile has no FROM');
  return last;
}

export function stageNamed(parsed: ParsedDockerfile, name: string): DockerStage | undefined {
  return parsed.stages.find((stage) => stage.name === name);
}

/** Expands `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME:+word}` and `${NAME:?}` as the builder does. */
export function expandVariables(text: string, scope: ReadonlyMap<string, string>): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_whole, braced: string | undefined, operator: string | undefined, word: string | undefined, bare) => {
      const name = braced ?? (bare as string);
      const value = scope.get(name) ?? '';
      if (operator === '-') return value === '' ? (word ?? '') : value;
      if (operator === '+') return value === '' ? '' : (word ?? '');
      if (operator === '?' && value === '') throw new Error(`${name} is required (build argument)`);
      return value;
    },
  );
}
