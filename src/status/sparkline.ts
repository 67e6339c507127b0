import type { RunResult } from '../journey/types.js';
import { html, type SafeHtml } from './html.js';

export interface SparklineOptions {
  readonly width?: number;
  readonly height?: number;
}

const round = (n: number): string => (Math.round(n * 10) / 10).toString();

/**
 * An inline SVG of run durations, oldest left: a line through every run, a dot on each run
 * that did not pass. `runs` is newest first (as history queries return it).
 */
export function sparkline(newestFirst: readonly RunResult[], options: SparklineOptions = {}): SafeHtml {
  const width = options.width ?? 140;
  const height = options.height ?? 30;
  const runs = [...newestFirst].reverse();
  if (runs.length === 0) return html`<span class="muted">—</span>`;
  const max = Math.max(...runs.map((r) => r.durationMs), 1);
  const pad = 3;
  const step = runs.length > 1 ? (width - 2 * pad) / (runs.length - 1) : 0;
  const points = runs.map((run, i) => ({
    x: runs.length > 1 ? pad + i * step : width / 2,
    y: height - pad - (run.durationMs / max) * (height - 2 * pad),
    run,
  }));
  const line = points.map((p) => `${round(p.x)},${round(p.y)}`).join(' ');
  const dots = points
    .filter((p) => p.run.outcome !== 'success')
    .map((p) => html`<circle cx="${round(p.x)}" cy="${round(p.y)}" r="2.5" class="dot-${p.run.outcome}" />`);
  const label = `latency of the last ${runs.length} runs, max ${Math.round(max)} ms`;
  return html`<svg
    class="spark"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
    role="img"
    aria-label="${label}"
  >
    <title>${label}</title>
    <polyline points="${line}" fill="none" stroke="currentColor" stroke-width="1.5" />
    ${dots}
  </svg>`;
}
