import type { Locator } from 'journey-prober';
import { TargetParamError } from './params.js';
import { ui } from './ui.js';

/** The part of an `<option>` element this reads (no DOM types in this project's lib). */
interface OptionElement {
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
}

/** How a select labels its options: [value, label]. */
async function optionsOf(select: Locator): Promise<[string, string][]> {
  return select.locator('option').evaluateAll((options: OptionElement[]) =>
    options.map((o): [string, string] => {
      const label = (o.textContent ?? '').trim();
      return [o.getAttribute('value') ?? label, label];
    }),
  );
}

/**
 * Which option a configured name means: the exact label, else the value (an ISO code like
 * "US"), else the only option whose label starts the name or is started by it — so
 * "United States of America" (Zuora's list) finds "United States" and the other way round.
 */
export function matchOption(
  options: readonly (readonly [string, string])[],
  wanted: string,
): string | undefined {
  const want = wanted.trim().toLowerCase();
  const exact = options.find(([, label]) => label.toLowerCase() === want);
  if (exact) return exact[0];
  const byValue = options.find(([value]) => value !== '' && value.toLowerCase() === want);
  if (byValue) return byValue[0];
  const prefix = options.filter(([value, label]) => {
    const l = label.toLowerCase();
    return value !== '' && l !== '' && (want.startsWith(`${l} `) || l.startsWith(`${want} `));
  });
  const [only, ...others] = prefix;
  return only !== undefined && others.length === 0 ? only[0] : undefined;
}

/** Selects the option `wanted` names (see matchOption); none: a one-line error naming the choices. */
export async function chooseOption(select: Locator, wanted: string, what: string): Promise<void> {
  await ui(select.locator('option').nth(1), `the options of the ${what} select`).toBeAttached();
  const options = await optionsOf(select);
  const value = matchOption(options, wanted);
  if (value === undefined) {
    const labels = options.map(([, label]) => label).filter(Boolean);
    const shown = labels.slice(0, 12).join(', ') + (labels.length > 12 ? ', …' : '');
    throw new TargetParamError(`${what} "${wanted}" is not offered (options: ${shown})`);
  }
  await select.selectOption(value);
}
