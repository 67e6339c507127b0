/**
 * A small Dockerfile reader for the deploy tests (no Docker engine here): instructions per
 * stage, with line continuations joined and comments dropped, plus the argument forms the
 * tests need (exec-form JSON, ENV pairs, `--flag=value` options).
 */

/** One instruction, keyword upper-cased, arguments as written after it (continuations joined). */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  /** 1-based line where it starts. */
  readonly line: number;
}

/** A build stage: its FROM and what follows until the next FROM. */
export interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

/** A Dockerfile that this reader cannot make sense of. */
export class DockerfileSyntaxError extends Error {
  override readonly name = 'DockerfileSyntaxError';
}

function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let current: string | undefined;
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comment lines are dropped, even in the middle of a continued instruction (as Docker does).
    if (trimmed.startsWith('#') || (trimmed === '' && current === undefined)) return;
    if (current === undefined) start = index + 1;
    const continued = /\\\s*$/.test(raw);
    const piece = continued ? raw.replace(/\\\s*$/, '') : raw;
    current = current === undefined ? piece.trim() : `${current} ${piece.trim()}`;
    if (!continued) {
      out.push({ text: current, line: start });
      current = undefined;
    }
  });
  if (current !== undefined) throw new DockerfileSyntaxError(`line ${start}: continuation at end of file`);
  return out;
}

/** Splits a Dockerfile into stages; instructions before the first FROM (ARG) are dropped. */
export function parseDockerfile(text: string): Stage[] {
  const stages: { image: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const { text: lineText, line } of logicalLines(text)) {
    const match = /^(\S+)\s*(.*)$/.exec(lineText);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    if (keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new DockerfileSyntaxError(`line ${line}: cannot read FROM ${args}`);
      stages.push({ image: from[1]!, name: from[2], instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) {
      if (keyword === 'ARG') continue;
      throw new DockerfileSyntaxError(`line ${line}: ${keyword} before the first FROM`);
    }
    stage.instructions.push({ keyword, args, line });
  }
  return stages;
}

/** The exec form `["a", "b"]` as an array; undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) {
    throw new DockerfileSyntaxError(`not a JSON array of strings: ${args}`);
  }
  return parsed;
}

/** Words of a shell-like argument string, honouring single and double quotes. */
export function words(args: string): string[] {
  const out: string[] = [];
  const re = /(?:[^\s"']+|"(?:\\.|[^"\\])*"|'[^']*')+/g;
  for (const match of args.matchAll(re)) {
    out.push(
      match[0].replace(/"((?:\\.|[^"\\])*)"|'([^']*)'/g, (_m, dq?: string, sq?: string) => dq ?? sq ?? ''),
    );
  }
  return out;
}

/** `ENV A=1 B="two words"` (the `ENV A 1` legacy form too) as a record. */
export function envPairs(args: string): Record<string, string> {
  const parts = words(args);
  if (parts.length > 0 && !parts[0]!.includes('=')) {
    return { [parts[0]!]: args.slice(parts[0]!.length).trim() };
  }
  const env: Record<string, string> = {};
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new DockerfileSyntaxError(`ENV: "${part}" is not NAME=value`);
    env[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return env;
}

/** Leading `--name=value` options of COPY/HEALTHCHECK, and the words after them. */
export function options(args: string): { flags: Record<string, string>; rest: string[] } {
  const parts = words(args);
  const flags: Record<string, string> = {};
  while (parts[0]?.startsWith('--')) {
    const [name, value = 'true'] = parts.shift()!.slice(2).split(/=(.*)/s);
    flags[name!] = value;
  }
  return { flags, rest: parts };
}

/** Every instruction with this keyword in a stage. */
export function all(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** The ENV a stage sets, later instructions winning. */
export function stageEnv(stage: Stage): Record<string, string> {
  return Object.assign({}, ...all(stage, 'ENV').map((i) => envPairs(i.args))) as Record<string, string>;
}
