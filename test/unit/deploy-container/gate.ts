/**
 * The deploy gate of docs/deploy.md, as the pipeline runs it (the CI examples and the
 * docs carry this exact command; a unit test keeps them in step).
 */
export const GATE_COMMAND = 'journey-prober run --all --target staging --retries 1 --junit report.xml';

/** What the pipeline does with each exit code of the gate. */
export const GATE_EXIT = { pass: 0, rollBack: 1, usage: 2, proberBroke: 3 } as const;
