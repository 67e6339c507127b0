import type { LoadedConfig } from '../config/load.js';
import { targetSpecs } from '../config/targets.js';
import { describeSearched, formatProblem, loadJourneys } from '../journey/loader.js';
import type { CommandIO } from './run.js';

/** `journey-prober list [--json]`: the journeys and the targets. */
export async function listCommand(
  options: { json: boolean },
  config: LoadedConfig,
  io: CommandIO,
): Promise<number> {
  const loaded = await loadJourneys(config.journeySources);
  const { journeys, problems } = loaded;
  const targets = [...targetSpecs(config).values()].map((t) => ({
    name: t.name,
    baseUrl: t.baseUrl ?? null,
    allowPurchases: t.allowPurchases,
    accounts: t.accountSource.kind,
  }));
  const rows = [...journeys.values()].map((j) => ({
    name: j.name,
    description: j.description,
    tags: j.tags,
    mutates: j.mutates,
    accountState: j.accountState,
    ...(j.steps === undefined ? {} : { steps: j.steps }),
  }));
  if (options.json) {
    const errors = problems.map((p) => formatProblem(p));
    io.stdout.write(`${JSON.stringify({ journeys: rows, targets, errors, searched: loaded.searched })}\n`);
    return problems.length > 0 ? 2 : 0;
  }
  io.stdout.write('Journeys:\n');
  for (const j of rows) {
    const tags = j.tags.length > 0 ? `  [${j.tags.join(', ')}]` : '';
    io.stdout.write(`  ${j.name.padEnd(16)} ${j.description}${tags}\n`);
    if (j.steps !== undefined) io.stdout.write(`  ${''.padEnd(16)} steps: ${j.steps.join(' → ')}\n`);
  }
  io.stdout.write(`  (${describeSearched(loaded)})\n`);
  io.stdout.write('\nTargets:\n');
  for (const t of targets) {
    const url = t.baseUrl ?? '(in-process sandbox on free ports)';
    io.stdout.write(
      `  ${t.name.padEnd(16)} ${url}${t.allowPurchases ? '' : '  (safe mode: no purchases)'}\n`,
    );
  }
  for (const problem of problems) io.stderr.write(`error: ${formatProblem(problem)}\n`);
  return problems.length > 0 ? 2 : 0;
}
