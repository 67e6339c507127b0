/** Formatting of numbers, times and the pages' URLs (pure, clock injected). */
import { TRACE_PREFIX } from '../server/trace-viewer.js';

/** `812 ms`, `8.1 s`, `2 min 5 s`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** `99.95 %`; `—` when undefined. */
export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '—';
  const percent = ratio * 100;
  if (percent === 100) return '100 %';
  return `${percent.toFixed(percent >= 99 ? 2 : 1)} %`;
}

/** `2026-11-24 10:00:00 UTC`. */
export function formatTime(iso: string | Date | undefined): string {
  if (iso === undefined) return '—';
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return '—';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `3 min ago`, `in 40 s`, relative to `now` (ms since epoch). */
export function formatRelative(iso: string | Date | undefined, now: number): string {
  if (iso === undefined) return '';
  const at = (typeof iso === 'string' ? new Date(iso) : iso).getTime();
  if (Number.isNaN(at)) return '';
  const delta = at - now;
  const abs = Math.abs(delta);
  const text =
    abs < 60_000
      ? `${Math.round(abs / 1000)} s`
      : abs < 3_600_000
        ? `${Math.round(abs / 60_000)} min`
        : abs < 172_800_000
          ? `${Math.round(abs / 3_600_000)} h`
          : `${Math.round(abs / 86_400_000)} d`;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

// The pages' stable URLs: alert annotations link to them
// (`<base>/journeys/<journey>?target=<target>`, `<base>/runs/<runId>`).

export function journeyUrl(journey: string, target?: string): string {
  const base = `/journeys/${encodeURIComponent(journey)}`;
  return target === undefined ? base : `${base}?target=${encodeURIComponent(target)}`;
}

export function runUrl(runId: string): string {
  return `/runs/${encodeURIComponent(runId)}`;
}

/** Playwright's trace viewer opened on a trace served under `/artifacts/…`. */
export function traceViewerUrl(traceUrl: string): string {
  return `${TRACE_PREFIX}index.html?trace=${encodeURIComponent(traceUrl)}`;
}
