/**
 * Debian's `prometheus` (and `promtool`), run by the e2e: on a free port, with its TSDB in the
 * e2e's temporary folder, until every scrape target is up.
 * @module
 */
import { ManagedProcess, runCommand } from './managed-process';
import { PrometheusApi } from './prometheus-api';
import { pollUntil } from './poll-until';

const PROMETHEUS = 'prometheus';
const PROMTOOL = 'promtool';
const MISSING =
  "is not installed: install Debian's prometheus package (`apt-get install prometheus`; .ci/run does it in CI)";

/** `promtool check rules FILE`: throws with promtool's report when the file is not a valid rule file. */
export async function checkRuleFile(file: string): Promise<string> {
  const { code, stdout, stderr } = await runCommand(PROMTOOL, ['check', 'rules', file], process.env);
  if (code === null) throw new Error(`${PROMTOOL} ${MISSING}`);
  if (code !== 0) throw new Error(`promtool check rules ${file} failed:\n${stdout}${stderr}`);
  return stdout.trim();
}

export class PrometheusServer {
  readonly api: PrometheusApi;

  private constructor(
    private readonly process: ManagedProcess,
    port: number,
  ) {
    this.api = new PrometheusApi(`http://127.0.0.1:${port}`);
  }

  /** Starts Prometheus with `configFile` and waits for `/-/ready`. */
  static async start(options: {
    configFile: string;
    dataDirectory: string;
    port: number;
  }): Promise<PrometheusServer> {
    const child = new ManagedProcess(
      'prometheus',
      PROMETHEUS,
      [
        `--config.file=${options.configFile}`,
        `--storage.tsdb.path=${options.dataDirectory}`,
        `--web.listen-address=127.0.0.1:${options.port}`,
        '--log.level=warn',
      ],
      { env: process.env },
    );
    const server = new PrometheusServer(child, options.port);
    try {
      await pollUntil(
        'Prometheus ready',
        async () => {
          if (child.hasExited) throw new Error(`prometheus exited:\n${child.tail()}`);
          const ready = await server.api.ready();
          return { done: ready, value: undefined, last: ready ? 'ready' : 'not ready' };
        },
        { deadlineMs: 30_000 },
      );
    } catch (error) {
      await child.stop(5_000);
      if (child.output().some((line) => line.includes('spawn failed')))
        throw new Error(`${PROMETHEUS} ${MISSING}`, { cause: error });
      throw error;
    }
    return server;
  }

  get url(): string {
    return this.api.url;
  }

  /** Waits until Prometheus has scraped every job in `jobs` successfully. */
  async allTargetsUp(jobs: readonly string[], deadlineMs: number): Promise<number> {
    const { elapsedMs } = await pollUntil(
      'every target up',
      async () => {
        const targets = await this.api.targets();
        const notUp = jobs.filter(
          (job) => !targets.some((target) => target.labels.job === job && target.health === 'up'),
        );
        const last = targets
          .map(
            (target) =>
              `${target.labels.job}: ${target.health}${target.lastError ? ` (${target.lastError})` : ''}`,
          )
          .join(', ');
        return { done: notUp.length === 0, value: undefined, last: last || 'no targets' };
      },
      { deadlineMs },
    );
    return elapsedMs;
  }

  tail(): string {
    return this.process.tail();
  }

  async stop(): Promise<void> {
    await this.process.stop(10_000);
  }
}
