/**
 * Cleanup steps of an end-to-end run (stop the company, the browser, remove the scratch folder), run
 * last-in first-out, once, whichever of success, failure or a signal comes first.
 * @module
 */
export class Cleanup {
  private readonly steps: (() => Promise<void> | void)[] = [];
  private running: Promise<void> | undefined;

  /** `report` hears about a step that failed; the other steps still run. */
  constructor(private readonly report: (text: string) => void) {}

  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step();
        } catch (error) {
          this.report(`cleanup step failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.running;
  }

  /** On SIGINT or SIGTERM: run the steps, then exit 130 or 143. */
  onSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        this.report(`${signal}: stopping everything this run started`);
        void this.run().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
      });
    }
  }
}
