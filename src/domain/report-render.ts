// A built-in report's result written out: CSV (each table under a line with
// its title, tables apart by an empty line), JSON, and a self-contained HTML
// page (inline CSS and SVG charts, no script and no external resource, so it
// can be mailed or opened from a file) with every value escaped. No I/O.
import { toCsv, cellText } from './report-sql.ts';
import { isoTime, scopeText, type ReportChart, type ReportResult, type ReportTable } from './reports.ts';

/** The colours of a chart's series, in order (the first is what a screenshot test looks for). */
export const CHART_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd'] as const;

/** The line under a report's title: what, where, when, from which history level. */
export const reportHeader = (r: ReportResult) => `${r.title} · ${scopeText(r.scope)} · ${isoTime(r.from)} to ${isoTime(r.to)} · ${r.level} history`;

const columnTitle = (c: ReportTable['columns'][number]) => (c.unit ? `${c.title} (${c.unit})` : c.title);

/** A table as aligned text lines for a terminal: its title, the column titles, a line per row (unknown: -). */
export function reportTableLines(t: ReportTable): string[] {
  const text = (v: unknown) => (v === null || v === undefined ? '-' : String(v));
  const widths = t.columns.map((c) => Math.max(columnTitle(c).length, ...t.rows.map((r) => text(r[c.id]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [t.title, line(t.columns.map(columnTitle)), ...(t.rows.length ? t.rows.map((r) => line(t.columns.map((c) => text(r[c.id])))) : ['(no rows)'])];
}

export function reportCsv(r: ReportResult): string {
  return r.tables.map((t) => `${toCsv([t.title], [], '\n')}${toCsv(t.columns.map(columnTitle), t.rows.map((row) => t.columns.map((c) => row[c.id])), '\n')}`).join('\n');
}

export const reportJson = (r: ReportResult): string => JSON.stringify({ ...r, fromTime: isoTime(r.from), toTime: isoTime(r.to) }, null, 2);

/** Text as HTML text or an attribute value: & < > " ' escaped. */
export const escapeHtml = (v: unknown): string => cellText(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const fmt = (v: number) => (Math.abs(v) >= 1e4 ? v.toExponential(2) : String(Math.round(v * 100) / 100));

/** One chart as an SVG line chart: a frame, the axis top and bottom, a polyline per series, its legend. */
export function chartSvg(c: ReportChart, from: number, to: number, width = 720, height = 220): string {
  const pad = { l: 64, r: 12, t: 24, b: 28 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const top = Math.max(1e-9, ...c.series.flatMap((s) => s.points.map((p) => p.v)));
  const x = (t: number) => pad.l + (w * (t - from)) / Math.max(1, to - from);
  const y = (v: number) => pad.t + h - (h * Math.max(0, v)) / top;
  const lines = c.series.map((s, i) => {
    const colour = CHART_COLOURS[i % CHART_COLOURS.length]!;
    const pts = s.points.filter((p) => p.t >= from && p.t <= to).map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${colour}" stroke-width="3" stroke-linejoin="round" points="${pts}"/>`
      + `<rect x="${pad.l + 8 + i * 160}" y="6" width="12" height="12" fill="${colour}"/><text x="${pad.l + 24 + i * 160}" y="16">${escapeHtml(s.label)}</text>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(c.title)}">`
    + `<rect x="${pad.l}" y="${pad.t}" width="${w}" height="${h}" fill="#fff" stroke="#999"/>`
    + `<text x="${pad.l - 4}" y="${pad.t + 10}" text-anchor="end">${escapeHtml(fmt(top))}</text><text x="${pad.l - 4}" y="${pad.t + h}" text-anchor="end">0</text>`
    + `<text x="${pad.l}" y="${height - 8}">${escapeHtml(isoTime(from))}</text><text x="${pad.l + w}" y="${height - 8}" text-anchor="end">${escapeHtml(isoTime(to))}</text>`
    + `${lines}</svg>`;
}

export function reportHtml(r: ReportResult): string {
  const tables = r.tables.map((t) => `<h2>${escapeHtml(t.title)}</h2><table><thead><tr>${t.columns.map((c) => `<th>${escapeHtml(columnTitle(c))}</th>`).join('')}</tr></thead>`
    + `<tbody>${t.rows.length ? t.rows.map((row) => `<tr>${t.columns.map((c) => `<td${typeof row[c.id] === 'number' ? ' class="n"' : ''}>${escapeHtml(row[c.id])}</td>`).join('')}</tr>`).join('') : `<tr><td colspan="${t.columns.length}">No rows.</td></tr>`}</tbody></table>`).join('\n');
  const charts = r.charts.map((c) => `<figure><figcaption>${escapeHtml(`${c.title} (${c.unit})`)}</figcaption>${chartSvg(c, r.from, r.to)}</figure>`).join('\n');
  const notes = r.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.title)}</title>
<style>body{font:14px sans-serif;margin:16px;color:#222}table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccc;padding:2px 8px}td.n{text-align:right}th{background:#eee}figure{margin:8px 0}svg text{font:11px sans-serif;fill:#444}.note{color:#555}</style>
</head><body>
<h1>${escapeHtml(r.title)}</h1>
<p>${escapeHtml(reportHeader(r))}</p>
${charts}
${tables}
${notes}
</body></html>
`;
}

/** The report in a file format: CSV, JSON or HTML (the terminal's table is drawn by the front end, with its charts). */
export function renderReport(r: ReportResult, format: 'csv' | 'json' | 'html'): string {
  return format === 'csv' ? reportCsv(r) : format === 'json' ? `${reportJson(r)}\n` : reportHtml(r);
}
