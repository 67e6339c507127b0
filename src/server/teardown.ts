import type { Logger } from 'pino';

/**
 * What a long-running command set up, undone newest first on the way out (cron before the
 * HTTP server before the targets before the browser). A failing step is logged and the
 * others still run; `run()` runs them once.
 */
export class Teardown {
  readonly #steps: { readonly name: string; readonly run: () => Promise<unknown> }[] = [];
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  add(name: string, run: () => Promise<unknown>): void {
    this.#steps.push({ name, run });
  }

  async run(): Promise<void> {
    for (const step of this.#steps.splice(0).reverse()) {
      await step
        .run()
        .catch((error: unknown) => this.#log.error({ err: error, step: step.name }, 'shutdown step failed'));
    }
  }
}
