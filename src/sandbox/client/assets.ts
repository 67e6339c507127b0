import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';

/**
 * The sandbox's browser scripts: plain `.js` files beside this one (linted as browser
 * code), read once and served as files. Only these names are served.
 */
const NAMES = ['flow-machine.js', 'flow-kinds.js', 'subscriptions.js', 'payment-form.js'] as const;
export type AssetName = (typeof NAMES)[number];

const cache = new Map<string, string>();

function source(name: AssetName): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
    cache.set(name, text);
  }
  return text;
}

export function isAsset(name: string): name is AssetName {
  return (NAMES as readonly string[]).includes(name);
}

export function sendAsset(res: ServerResponse, name: AssetName): void {
  res.writeHead(200, {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(source(name));
}
