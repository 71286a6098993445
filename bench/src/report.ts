import type { SecondBucket } from './stats';
import type { LagSample } from './kafka-watch';

/** Formats a millisecond figure for tables. */
export const ms = (v: number | undefined) => (v === undefined ? '–' : `${Math.round(v)} ms`);
export const num = (v: number | undefined, digits = 1) => (v === undefined ? '–' : v.toFixed(digits));

export function markdownTable(header: string[], rows: (string | number)[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

interface Series {
  label: string;
  colour: string;
  points: { x: number; y: number | undefined }[];
}

/** One panel of a line chart: x in seconds of the run, y scaled to the panel's maximum. */
function panel(
  title: string,
  unit: string,
  series: Series[],
  top: number,
  width: number,
  height: number,
  xMax: number,
  marks: { x: number; label: string }[],
): string {
  const left = 60;
  const plotWidth = width - left - 20;
  const values = series.flatMap((s) => s.points.map((p) => p.y ?? 0));
  const yMax = Math.max(1, ...values) * 1.1;
  const sx = (x: number) => left + (x / Math.max(1, xMax)) * plotWidth;
  const sy = (y: number) => top + height - (y / yMax) * height;
  const parts: string[] = [
    `<text x="${left}" y="${top - 8}" font-size="13" font-weight="bold">${title}</text>`,
    `<rect x="${left}" y="${top}" width="${plotWidth}" height="${height}" fill="none" stroke="#999"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = (yMax * i) / 4;
    parts.push(`<text x="${left - 6}" y="${sy(y) + 4}" font-size="10" text-anchor="end">${Math.round(y)}</text>`);
    parts.push(`<line x1="${left}" x2="${left + plotWidth}" y1="${sy(y)}" y2="${sy(y)}" stroke="#eee"/>`);
  }
  parts.push(
    `<text x="12" y="${top + height / 2}" font-size="10" transform="rotate(-90 12 ${top + height / 2})">${unit}</text>`,
  );
  for (const mark of marks) {
    parts.push(
      `<line x1="${sx(mark.x)}" x2="${sx(mark.x)}" y1="${top}" y2="${top + height}" stroke="#c33" stroke-dasharray="3,3"/>`,
    );
    parts.push(`<text x="${sx(mark.x) + 3}" y="${top + 12}" font-size="10" fill="#c33">${mark.label}</text>`);
  }
  series.forEach((s, i) => {
    const d = s.points
      .filter((p) => p.y !== undefined)
      .map((p) => `${sx(p.x).toFixed(1)},${sy(p.y!).toFixed(1)}`)
      .join(' ');
    parts.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="1.5" points="${d}"/>`);
    parts.push(`<rect x="${left + 10 + i * 190}" y="${top + height + 22}" width="12" height="3" fill="${s.colour}"/>`);
    parts.push(`<text x="${left + 26 + i * 190}" y="${top + height + 27}" font-size="11">${s.label}</text>`);
  });
  parts.push(
    `<text x="${left + plotWidth}" y="${top + height + 14}" font-size="10" text-anchor="end">seconds of the run</text>`,
  );
  return parts.join('\n');
}

/** The run as an SVG: referrals per second, request→inbox latency, and consumer lag, over time. */
export function chartSvg(input: {
  title: string;
  requested: SecondBucket[];
  accepted: SecondBucket[];
  inboxLatency: SecondBucket[];
  lag: LagSample[];
  start: number;
  marks: { x: number; label: string }[];
}): string {
  const width = 900;
  const xMax = input.requested.length;
  const lagSeries: Series[] = ['referrals', 'intake', 'health', 'education'].map((group, i) => ({
    label: `lag ${group}`,
    colour: ['#7b3294', '#008837', '#e66101', '#5e3c99'][i]!,
    points: input.lag.map((s) => ({ x: (s.at - input.start) / 1000, y: s.lag[group] })),
  }));
  const body = [
    `<text x="20" y="24" font-size="15" font-weight="bold">${input.title}</text>`,
    panel(
      'Throughput',
      'referrals / s',
      [
        {
          label: 'requested (intake answered)',
          colour: '#1f77b4',
          points: input.requested.map((b) => ({ x: b.second, y: b.count })),
        },
        {
          label: 'accepted (facility answered)',
          colour: '#2ca02c',
          points: input.accepted.map((b) => ({ x: b.second, y: b.count })),
        },
      ],
      60,
      width,
      180,
      xMax,
      input.marks,
    ),
    panel(
      'Request → visible in the facility inbox',
      'ms',
      [
        {
          label: 'p50 per second',
          colour: '#1f77b4',
          points: input.inboxLatency.map((b) => ({ x: b.second, y: b.p50 })),
        },
        {
          label: 'p99 per second',
          colour: '#d62728',
          points: input.inboxLatency.map((b) => ({ x: b.second, y: b.p99 })),
        },
      ],
      320,
      width,
      180,
      xMax,
      input.marks,
    ),
    panel('Kafka consumer lag (messages)', 'messages', lagSeries, 580, width, 140, xMax, input.marks),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="780" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${body.join('\n')}\n</svg>\n`;
}
