/**
 * How the portal alerts read `location`, the label Prometheus adds at scrape time to tell
 * the regions a prober runs in apart (DESIGN.md "Locations"). A series without it is one
 * location: every rule below works the same on it.
 *
 * A portal page is a failure seen from at least 2 locations, or from the only location
 * measuring that journey on that target; one location failing among several is a ticket
 * for that location (its network, its prober), which the page inhibits in Alertmanager.
 */

/** The aggregation every per-location rule keeps. */
export const PER_LOCATION = 'location, journey, target';
/** `sum by (location, journey, target)`. */
export const BY_LOCATION = `sum by (${PER_LOCATION})`;

function indent(expr: string): string {
  return expr
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

/**
 * The page: `condition` (one series per location where it holds, valued with failed runs)
 * summed over the locations where it holds, kept when it holds in at least 2 of them or
 * when `measured` (one series per location measuring the journey) has only one location.
 * The result carries journey and target only: one page however many locations see it.
 */
export function seenFromEnoughLocations(condition: string, measured: string): string {
  return [
    `sum by (journey, target) (`,
    indent(condition),
    `)`,
    `and on (journey, target) (`,
    `  count by (journey, target) (`,
    indent(indent(condition)),
    `  ) >= 2`,
    `  or count by (journey, target) (${measured}) == 1`,
    `)`,
  ].join('\n');
}

/** The location ticket: `condition` in a location, among 2 or more locations measuring the journey. */
export function seenFromOneOfSeveral(condition: string, measured: string): string {
  return `${condition}\nand on (journey, target) count by (journey, target) (${measured}) >= 2`;
}
