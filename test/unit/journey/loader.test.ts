import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, lineOf, loadJourneys } from '../../../src/journey/loader.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'prober-journeys-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const good = (name: string, extra = '') => `import { defineJourney } from 'journey-prober';

export default defineJourney({
  name: '${name}',
  description: 'a journey',${extra}
  async run({ step }) {
    await step('one', async () => {});
  },
});
`;

describe('loadJourneys', () => {
  it('loads every journey file, in name order', async () => {
    const dir = dirWith({
      'b.journey.ts': good('beta'),
      'a.journey.ts': good('alpha'),
      'notes.ts': 'export {}',
    });
    const { journeys, problems } = await loadJourneys(dir);
    expect(problems).toEqual([]);
    expect([...journeys.keys()]).toEqual(['alpha', 'beta']);
    expect(journeys.get('alpha')?.file).toBe(join(dir, 'a.journey.ts'));
  });

  it('reports a syntax error by file and line, and still loads the others', async () => {
    const dir = dirWith({
      'ok.journey.ts': good('ok'),
      'broken.journey.ts': "import { defineJourney } from 'journey-prober';\n\nconst x = ;\n",
    });
    const { journeys, problems } = await loadJourneys(dir);
    expect([...journeys.keys()]).toEqual(['ok']);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.file).toBe(join(dir, 'broken.journey.ts'));
    expect(problems[0]?.line).toBe(3);
    expect(formatProblem(problems[0]!, dir)).toMatch(/^broken\.journey\.ts:3: syntax error: Unexpected/);
  });

  it('reports a missing default export', async () => {
    const dir = dirWith({ 'nodefault.journey.ts': 'export const x = 1;\n' });
    const { problems } = await loadJourneys(dir);
    expect(problems[0]?.message).toBe('no default export: export default defineJourney({ … })');
  });

  it('reports a default export that is not a journey', async () => {
    const dir = dirWith({ 'plain.journey.ts': "export default { name: 'plain', run: async () => {} };\n" });
    const { problems } = await loadJourneys(dir);
    expect(problems[0]?.message).toMatch(/not a journey: wrap it in defineJourney/);
  });

  it('reports a duplicate name on the second file, with the line of the name', async () => {
    const dir = dirWith({ 'a.journey.ts': good('same'), 'b.journey.ts': good('same') });
    const { journeys, problems } = await loadJourneys(dir);
    expect(journeys.get('same')?.file).toBe(join(dir, 'a.journey.ts'));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.file).toBe(join(dir, 'b.journey.ts'));
    expect(problems[0]?.line).toBe(4);
    expect(problems[0]?.message).toMatch(/"same" is already defined in .*a\.journey\.ts/);
  });

  it('reports more than 20 declared step names with the line of the definition', async () => {
    const steps = Array.from({ length: 21 }, (_, i) => `'s${i}'`).join(', ');
    const dir = dirWith({ 'many.journey.ts': good('many', `\n  steps: [${steps}],`) });
    const { problems } = await loadJourneys(dir);
    expect(problems[0]?.message).toBe(
      'journey "many": 21 step names, at most 20 are allowed (each is a metric label)',
    );
    expect(problems[0]?.line).toBe(3);
  });

  it('reports a bad journey name', async () => {
    const dir = dirWith({ 'x.journey.ts': good('Not Kebab') });
    const { problems } = await loadJourneys(dir);
    expect(problems[0]?.message).toMatch(/must be kebab-case/);
  });

  it('reports a missing directory as one problem', async () => {
    const { journeys, problems } = await loadJourneys('/nonexistent/journeys');
    expect(journeys.size).toBe(0);
    expect(problems[0]?.message).toBe('cannot read the journeys directory (ENOENT)');
  });
});

describe('lineOf', () => {
  it('reads esbuild, stack-frame and file-URL locations', () => {
    expect(
      lineOf(
        new Error('Transform failed with 1 error:\n/j/a.journey.ts:7:3: ERROR: Unexpected ";"'),
        '/j/a.journey.ts',
      ),
    ).toBe(7);
    const e = new Error('boom');
    e.stack = 'Error: boom\n    at <anonymous> (file:///j/a.journey.ts:12:5)';
    expect(lineOf(e, '/j/a.journey.ts')).toBe(12);
    expect(lineOf(new Error('elsewhere'), '/j/a.journey.ts')).toBeUndefined();
    const oxc = new Error(
      'Transform failed with 1 error:\n\n\u001b[31m[PARSE_ERROR] \u001b[0mUnexpected token\n   ╭─[ ../j/a.journey.ts:3:11 ]',
    );
    expect(lineOf(oxc, '/j/a.journey.ts')).toBe(3);
    expect(lineOf(oxc, '/j/b.journey.ts')).toBeUndefined();
  });
});
