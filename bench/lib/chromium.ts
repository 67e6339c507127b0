import { chromiumArgs } from '../../src/runner/chromium-process.js';

/** Debian's Chromium binary (the /usr/bin/chromium wrapper costs ~20 ms and prints a warning). */
export const CHROMIUM_PATH = process.env.PROBER_BROWSER_PATH ?? '/usr/lib/chromium/chromium';

/** The switches every contestant's Chromium gets: the prober's own, so no contestant does more or less work. */
export const CHROMIUM_ARGS: readonly string[] = chromiumArgs();
