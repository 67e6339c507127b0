/**
 * `.dockerignore` semantics, enough for the deploy tests: Go-style globs (`*`, `?`, `**`),
 * a pattern excludes a path when it matches the path or one of its parent directories,
 * `!` re-includes, and the last matching pattern wins.
 */

interface Rule {
  readonly negate: boolean;
  readonly regex: RegExp;
}

function toRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Parses `.dockerignore` text into rules (comments and blank lines dropped). */
export function parseDockerignore(text: string): Rule[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).trim().replace(/^\/+|\/+$/g, '');
      return { negate, regex: toRegex(pattern) };
    });
}

/** Whether a path relative to the build context (`a/b/c`) is left out of the context. */
export function isIgnored(path: string, rules: readonly Rule[]): boolean {
  const parts = path.replace(/^\.?\/+|\/+$/g, '').split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (prefixes.some((p) => rule.regex.test(p))) ignored = !rule.negate;
  }
  return ignored;
}
