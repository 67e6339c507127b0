/**
 * The pages' stable URLs: alert annotations link to them
 * (`<base>/journeys/<journey>?target=<target>`, `<base>/runs/<runId>`).
 */

export function journeyUrl(journey: string, target?: string): string {
  const base = `/journeys/${encodeURIComponent(journey)}`;
  return target === undefined ? base : `${base}?target=${encodeURIComponent(target)}`;
}

export function runUrl(runId: string): string {
  return `/runs/${encodeURIComponent(runId)}`;
}
