import { html, type SafeHtml } from './html';

export interface Bar {
  label: string;
  value: number;
}

/** Colours with at least 3:1 contrast on white (WCAG non-text contrast), told apart by legend too. */
export const palette = ['#0b4f8a', '#1d6b31', '#8a5a00', '#a11d1d', '#5b3a8a', '#4a4f57', '#006d75', '#7a3b00'];

const LABEL_WIDTH = 150;
const WIDTH = 520;
const ROW = 30;

/**
 * A horizontal bar chart as inline SVG: no script, readable at 360 px (it scales), with the
 * numbers printed on the bars and the same figures in a table for screen readers.
 */
export function barChart(
  id: string,
  title: string,
  bars: Bar[],
  options: { unit?: string; colour?: string } = {},
): SafeHtml {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const span = WIDTH - LABEL_WIDTH - 50;
  const height = Math.max(1, bars.length) * ROW + 10;
  return html`<figure class="chart card" aria-labelledby="${id}-title">
    <figcaption id="${id}-title">${title}</figcaption>
    <svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title" focusable="false">
      ${bars.map((b, i) => {
        const y = i * ROW + 5;
        const w = Math.round((b.value / max) * span);
        return html`<text x="${LABEL_WIDTH - 6}" y="${y + 19}" text-anchor="end" font-size="14" fill="#1a1a1a"
            >${b.label}</text
          >
          <rect
            x="${LABEL_WIDTH}"
            y="${y + 4}"
            width="${Math.max(w, b.value > 0 ? 2 : 0)}"
            height="20"
            fill="${options.colour ?? palette[0]!}"
          ></rect>
          <text x="${LABEL_WIDTH + w + 6}" y="${y + 19}" font-size="14" fill="#1a1a1a"
            >${b.value}${options.unit ?? ''}</text
          >`;
      })}
    </svg>
    ${dataTable(
      title,
      ['', ''],
      bars.map((b) => [b.label, `${b.value}${options.unit ?? ''}`]),
    )}
  </figure>`;
}

export interface StackedRow {
  label: string;
  parts: { key: string; value: number }[];
}

/** Stacked bars (e.g. referrals of each sector split by state), one colour per key with a legend. */
export function stackedChart(
  id: string,
  title: string,
  rows: StackedRow[],
  keys: { key: string; label: string; colour?: string }[],
  headers: [string, string],
): SafeHtml {
  const totals = rows.map((r) => r.parts.reduce((sum, p) => sum + p.value, 0));
  const max = Math.max(1, ...totals);
  const span = WIDTH - LABEL_WIDTH - 50;
  const colour = (key: string) => {
    const at = keys.findIndex((k) => k.key === key);
    return keys[at]?.colour ?? palette[at % palette.length]!;
  };
  const height = Math.max(1, rows.length) * ROW + 10;
  return html`<figure class="chart card" aria-labelledby="${id}-title">
    <figcaption id="${id}-title">${title}</figcaption>
    <svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title" focusable="false">
      ${rows.map((row, i) => {
        const y = i * ROW + 5;
        let x = LABEL_WIDTH;
        return html`<text x="${LABEL_WIDTH - 6}" y="${y + 19}" text-anchor="end" font-size="14" fill="#1a1a1a"
            >${row.label}</text
          >
          ${row.parts.map((p) => {
            const w = (p.value / max) * span;
            const rect = html`<rect
              x="${x.toFixed(1)}"
              y="${y + 4}"
              width="${w.toFixed(1)}"
              height="20"
              fill="${colour(p.key)}"
              stroke="#fff"
              stroke-width="1"
            ></rect>`;
            x += w;
            return rect;
          })}
          <text x="${(x + 6).toFixed(1)}" y="${y + 19}" font-size="14" fill="#1a1a1a">${totals[i]}</text>`;
      })}
    </svg>
    <ul class="legend">
      ${keys
        .filter((k) => rows.some((r) => r.parts.some((p) => p.key === k.key && p.value > 0)))
        .map(
          (k) =>
            html`<li>
              <svg width="14" height="14" aria-hidden="true" focusable="false">
                <rect width="14" height="14" fill="${colour(k.key)}"></rect>
              </svg>
              ${k.label}
            </li>`,
        )}
    </ul>
    ${dataTable(
      title,
      headers,
      rows.flatMap((r) =>
        r.parts
          .filter((p) => p.value > 0)
          .map((p) => [`${r.label} — ${keys.find((k) => k.key === p.key)?.label ?? p.key}`, String(p.value)]),
      ),
    )}
  </figure>`;
}

function dataTable(caption: string, headers: [string, string], rows: string[][]): SafeHtml {
  return html`<div class="visually-hidden">
    <table>
      <caption>
        ${caption}
      </caption>
      ${
        headers[0] || headers[1]
          ? html`<thead>
              <tr>
                <th scope="col">${headers[0]}</th>
                <th scope="col">${headers[1]}</th>
              </tr>
            </thead>`
          : ''
      }
      <tbody>
        ${rows.map(
          ([a, b]) =>
            html`<tr>
              <th scope="row">${a}</th>
              <td>${b}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
