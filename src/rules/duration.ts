/** A Prometheus duration that cannot be parsed or is not positive. */
export class DurationError extends Error {
  override readonly name = 'DurationError';
}

const UNITS = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
] as const;
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Seconds in a Prometheus duration such as `5m`, `1h`, `28d` or `11h12m`. */
export function seconds(duration: string): number {
  const match = DURATION.exec(duration);
  if (duration === '' || match === null) {
    throw new DurationError(`"${duration}" is not a duration like 30s, 5m, 1h, 28d or 1h30m`);
  }
  const total = UNITS.reduce((sum, [, factor], i) => sum + Number(match[i + 1] ?? 0) * factor, 0);
  if (total <= 0) throw new DurationError(`duration "${duration}" must be positive`);
  return total;
}

/** The shortest Prometheus duration for a whole number of seconds: 600 -> `10m`, 40320 -> `11h12m`. */
export function duration(totalSeconds: number): string {
  if (!Number.isInteger(totalSeconds) || totalSeconds <= 0) {
    throw new DurationError(`${totalSeconds} s is not a positive whole number of seconds`);
  }
  let rest = totalSeconds;
  let text = '';
  for (const [unit, factor] of UNITS) {
    const count = Math.floor(rest / factor);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * factor;
  }
  return text;
}
