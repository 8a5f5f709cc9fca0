// `hostdeck report sql|views`: ad hoc read-only SQL on the state database and the views it is meant for.
import { REPORT_FORMATS, ROW_LIMIT_DEFAULT, ROW_LIMIT_MAX, TIMEOUT_S_DEFAULT, TIMEOUT_S_MAX, TIMEOUT_S_MIN, toCsv, type ReportFormat } from '../domain/report-sql.ts';
import { cliGuard } from './errors.ts';
import { CommandError, printTable, problem, tableHeader, tableLine, tableWidths, type Command } from './registry.ts';

export const reportCommands: Command[] = [
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
