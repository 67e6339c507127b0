/** A line of a chart: points (x, y) in data units. */
export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  /** Draw a dashed straight line (e.g. a linear fit) instead of a polyline through points. */
  readonly dashed?: boolean;
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly width?: number;
  readonly height?: number;
  /** Y axis starts at 0 unless false. */
  readonly yFromZero?: boolean;
}

/** 1, 2 or 5 times a power of ten: tick steps people read easily. */
export function niceStep(range: number, ticks: number): number {
  if (!(range > 0)) return 1;
  const raw = range / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function label(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) < 1 ? 2 : 1);
}

/** A line chart as a standalone SVG document: axes with ticks, labels, legend, one polyline per series. */
export function lineChart(options: ChartOptions): string {
  const width = options.width ?? 900;
  const height = options.height ?? 480;
  const pad = { left: 80, right: 24, top: 48, bottom: 64 };
  const all = options.series.flatMap((s) => s.points);
  if (all.length === 0) throw new Error(`chart "${options.title}": no points`);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const xStep = niceStep(Math.max(...xs) - Math.min(...xs), 8);
  const xMin = Math.floor(Math.min(...xs) / xStep) * xStep;
  const xMax = Math.max(Math.ceil(Math.max(...xs) / xStep) * xStep, xMin + xStep);
  const yLow = options.yFromZero === false ? Math.min(...ys) : Math.min(0, ...ys);
  const yStep = niceStep(Math.max(...ys) - yLow, 6);
  const yMin = Math.floor(yLow / yStep) * yStep;
  const yMax = Math.max(Math.ceil(Math.max(...ys) / yStep) * yStep, yMin + yStep);
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const px = (x: number): number => pad.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const py = (y: number): number => pad.top + plotH - ((y - yMin) / (yMax - yMin)) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(options.title)}</text>`,
  ];
  for (let x = xMin; x <= xMax + xStep / 1e6; x += xStep) {
    out.push(
      `<line x1="${px(x)}" y1="${pad.top}" x2="${px(x)}" y2="${pad.top + plotH}" stroke="#eee"/>`,
      `<text x="${px(x)}" y="${pad.top + plotH + 18}" text-anchor="middle">${label(x)}</text>`,
    );
  }
  for (let y = yMin; y <= yMax + yStep / 1e6; y += yStep) {
    out.push(
      `<line x1="${pad.left}" y1="${py(y)}" x2="${pad.left + plotW}" y2="${py(y)}" stroke="#eee"/>`,
      `<text x="${pad.left - 8}" y="${py(y) + 4}" text-anchor="end">${label(y)}</text>`,
    );
  }
  out.push(
    `<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${pad.left + plotW}" y2="${pad.top + plotH}" stroke="black"/>`,
    `<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + plotH}" stroke="black"/>`,
    `<text x="${pad.left + plotW / 2}" y="${height - 20}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(20 ${pad.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );
  for (const series of options.series) {
    const points = series.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<polyline fill="none" stroke="${series.color}" stroke-width="${series.dashed ? 1.5 : 2}"${dash} points="${points}"/>`,
    );
  }
  // The legend on a white box over the lines, so both stay readable.
  const legendWidth = Math.max(...options.series.map((s) => s.name.length)) * 6.5 + 36;
  out.push(
    `<rect x="${pad.left + 6}" y="${pad.top + 2}" width="${legendWidth}" height="${options.series.length * 18 + 8}" fill="white" fill-opacity="0.9" stroke="#ccc"/>`,
  );
  options.series.forEach((s, i) => {
    out.push(
      `<rect x="${pad.left + 12}" y="${pad.top + 8 + i * 18}" width="14" height="3" fill="${s.color}"/>`,
      `<text x="${pad.left + 32}" y="${pad.top + 13 + i * 18}">${escapeXml(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
