import type { Command } from 'commander';
import { buildProgram } from '../../../src/cli.js';

/** What the real CLI made of an argv: the command, its operands and options. */
export interface ParsedArgs {
  readonly command: string;
  readonly operands: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * Parses argv with the real commander program, every action replaced so nothing runs.
 * Rejects with commander's one-line error for an unknown command, flag or bad value.
 */
export async function parseCliArgs(argv: readonly string[]): Promise<ParsedArgs> {
  const program = buildProgram(new AbortController().signal, () => undefined);
  program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  let parsed: ParsedArgs | undefined;
  for (const command of program.commands) {
    command.action((...args: unknown[]) => {
      const self = args.at(-1) as Command;
      const operands = args.slice(0, -2).flatMap((a) => (Array.isArray(a) ? (a as string[]) : [String(a)]));
      parsed = { command: self.name(), operands, options: self.opts() };
    });
  }
  await program.parseAsync([...argv], { from: 'user' });
  if (parsed === undefined) throw new Error(`no command ran for: ${argv.join(' ')}`);
  return parsed;
}
