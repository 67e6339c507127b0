import type { Locator } from 'journey-prober';

/** A page object's locator, named so that `doctor` can report it. */
export interface DeclaredLocator {
  readonly locator: Locator;
  /** The flows file only guesses this one: the first to check on a real portal. */
  readonly guess: boolean;
}

/** Every locator of a page object, by name: built once in its constructor, read by `doctor`. */
export type Locators = Readonly<Record<string, DeclaredLocator>>;

/** A locator the flows file marks as a guess. */
export function guess(locator: Locator): DeclaredLocator {
  return { locator, guess: true };
}

/**
 * Declares a page object's locators: plain ones are facts of the flows file, `guess(…)` ones
 * are not. One declaration serves both the page object and `doctor`, so the two never drift.
 */
export function declare(locators: Readonly<Record<string, Locator | DeclaredLocator>>): Locators {
  return Object.freeze(
    Object.fromEntries(
      Object.entries(locators).map(([name, l]) => [name, 'guess' in l ? l : { locator: l, guess: false }]),
    ),
  );
}
