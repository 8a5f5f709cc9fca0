// `hostdeck report list|run|sql|views`: the built-in reports, ad hoc read-only SQL on the state database and the views it is meant for.
import { REPORT_FORMATS, ROW_LIMIT_DEFAULT, ROW_LIMIT_MAX, TIMEOUT_S_DEFAULT, TIMEOUT_S_MAX, TIMEOUT_S_MIN, toCsv, type ReportFormat } from '../domain/report-sql.ts';
import { renderReport, reportHeader, reportTableLines } from '../domain/report-render.ts';
import { BUILTIN_REPORTS, OUTPUT_RULE, REPORT_OUTPUT_FORMATS, SCOPE_RULE, TIME_RULE, type ReportOutputFormat, type ReportResult } from '../domain/reports.ts';
import { drawBraille } from '../ui/braille.ts';
import { cliGuard } from './errors.ts';
import { CommandError, printTable, problem, tableHeader, tableLine, tableWidths, type Command } from './registry.ts';

const CHART_WIDTH = 60;
const CHART_ROWS = 6;

/** The report as terminal text: its header, each chart in braille, each table aligned under its title. */
export function reportText(r: ReportResult): string[] {
  const out = [r.title, reportHeader(r)];
  for (const c of r.charts) {
    const chart = drawBraille(c.series, { width: CHART_WIDTH, height: CHART_ROWS, from: r.from, to: r.to });
    out.push('', `${c.title} (${c.unit}; top ${chart.max}) ${c.series.map((s) => s.label).join(' · ')}`, ...chart.rows.map((row) => `│${row}`), `└${'─'.repeat(CHART_WIDTH)}`);
  }
  for (const t of r.tables) out.push('', ...reportTableLines(t));
  if (r.notes.length) out.push('', ...r.notes);
  return out;
}

export const reportCommands: Command[] = [
  {
    noun: 'report',
    verb: 'list',
    summary: 'List the built-in reports, their titles and the scopes each takes',
    async run(ctx) {
      const list = await cliGuard(() => ctx.core.reports.list());
      printTable(ctx, list.map((r) => ({ name: r.name, title: r.title, scopes: r.scopes.join(','), description: r.description })), ['name', 'title', 'scopes'], list);
      return 0;
    },
  },
  {
    noun: 'report',
    verb: 'run',
    summary: 'Run a built-in report (NAME: see report list) over a time range and scope; write it as a table with braille charts, CSV, JSON or a self-contained HTML page with SVG charts',
    usage: 'NAME',
    options: {
      from: { type: 'string', description: `Start of the range (default 7d); ${TIME_RULE}`, value: 'TIME' },
      to: { type: 'string', description: 'End of the range (default now); the same forms as --from', value: 'TIME' },
      scope: { type: 'string', description: `What it covers (default host); ${SCOPE_RULE}`, value: 'KIND:NAME' },
      format: { type: 'string', description: 'Output format (--json is --format json)', value: 'FORMAT', choices: REPORT_OUTPUT_FORMATS },
      output: { type: 'string', description: `Write it to a file instead of standard output; ${OUTPUT_RULE}`, value: 'FILE' },
    },
    async run(ctx) {
      if (ctx.positionals.length !== 1) throw new CommandError(`NAME: give one report name (${BUILTIN_REPORTS.map((r) => r.name).join(', ')}; hostdeck report list)`, 2);
      const format: ReportOutputFormat = ctx.json ? 'json' : ((ctx.options.format as ReportOutputFormat | undefined) ?? 'table');
      const output = ctx.options.output === undefined ? undefined : await cliGuard(() => ctx.core.reports.checkOutput(ctx.options.output as string), (f) => `--${f.message}`);
      const r = await cliGuard(
        () => ctx.core.reports.run({ name: ctx.positionals[0]!, from: ctx.options.from as string | undefined, to: ctx.options.to as string | undefined, scope: ctx.options.scope as string | undefined }),
        (f) => (f.field === 'name' ? f.message.replace(/^name:/, 'NAME:') : `--${f.message}`),
      );
      const text = format === 'table' ? `${reportText(r).join('\n')}\n` : renderReport(r, format);
      if (output) {
        await cliGuard(() => ctx.core.reports.writeOutput(output, text), (f) => `--${f.message}`);
        ctx.out(`Wrote report ${r.name} (${format}) to ${output}`);
      } else ctx.out(text.replace(/\n$/, ''));
      return 0;
    },
  },
  {
    noun: 'report',
    verb: 'sql',
    summary: 'Run one SQL statement that only reads (a SELECT) on a read-only connection to the state database; the views are listed by `report views`',
    usage: '"SELECT …"',
    options: {
      format: { type: 'string', description: 'Output format (--json is --format json)', value: 'FORMAT', choices: REPORT_FORMATS },
      limit: { type: 'number', description: `At most N rows (default ${ROW_LIMIT_DEFAULT})`, value: 'N', min: 1, max: ROW_LIMIT_MAX },
      timeout: { type: 'number', description: `Stop the query after S seconds (default ${TIMEOUT_S_DEFAULT})`, value: 'S', min: TIMEOUT_S_MIN, max: TIMEOUT_S_MAX },
    },
    async run(ctx) {
      if (ctx.positionals.length > 1) throw new CommandError('SQL: give the query as one argument (quote it: hostdeck report sql "SELECT …")', 2);
      const format: ReportFormat = ctx.json ? 'json' : ((ctx.options.format as ReportFormat | undefined) ?? 'table');
      const r = await cliGuard(
        () => ctx.core.reports.sql({ sql: ctx.positionals[0] ?? '', limitRows: ctx.options.limit as number | undefined, timeoutS: ctx.options.timeout as number | undefined }),
        (f) => (f.field === 'sql' ? f.message : `--${f.message}`),
      );
      // Keyed by position: two columns may have the same name (a join).
      const keys = r.columns.map((_, i) => String(i));
      if (format === 'csv') ctx.out(toCsv(r.columns, r.rows, '\n').slice(0, -1));
      else if (format === 'json') ctx.out(JSON.stringify(r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]]))), null, 2));
      else {
        const rows = r.rows.map((row) => Object.fromEntries(keys.map((k, i) => [k, row[i]])));
        const widths = tableWidths([Object.fromEntries(keys.map((k, i) => [k, r.columns[i]])), ...rows], keys);
        ctx.out(tableHeader(r.columns, widths));
        for (const row of rows) ctx.out(tableLine(row, keys, widths));
      }
      if (r.truncated) problem(ctx, `only the first ${r.rows.length} rows are shown: the query returns more (--limit)`);
      return 0;
    },
  },
  {
    noun: 'report',
    verb: 'views',
    summary: 'List the report views (stable names and columns for `report sql` and any SQL tool)',
    async run(ctx) {
      const views = await cliGuard(() => ctx.core.reports.views());
      printTable(ctx, views.map((v) => ({ view: v.name, columns: v.columns.join(', ') })), ['view', 'columns'], views);
      return 0;
    },
  },
];
