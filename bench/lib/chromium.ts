/** Debian's Chromium binary (the /usr/bin/chromium wrapper costs ~20 ms and prints a warning). */
export const CHROMIUM_PATH = process.env.PROBER_BROWSER_PATH ?? '/usr/lib/chromium/chromium';

/** The switches every contestant's Chromium gets: the prober's own (src/runner/chromium-process.ts), so no contestant does more or less work. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
] as const;
