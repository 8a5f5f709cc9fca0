// Reports over the state database: ad hoc read-only SQL and the views it is
// meant for (README "Reports: read-only SQL").
import { InvalidInputError } from '../domain/errors.ts';
import { validateReportQuery, type ReportQueryInput } from '../domain/report-sql.ts';
import { resolveBusyTimeout } from '../manager/db.ts';
import { reportViews, runReadOnlyQuery, type QueryResult, type ViewInfo } from '../manager/report-query.ts';
import { BUILTIN_REPORTS, validateReportRequest, type ReportRequestInput, type ReportResult } from '../domain/reports.ts';
import { checkReportOutput, writeReportFile } from '../host/report-file.ts';
import type { CoreContext } from './index.ts';

export type { QueryResult, ViewInfo } from '../manager/report-query.ts';
export type { ReportResult } from '../domain/reports.ts';

export type BuiltinReportInfo = (typeof BUILTIN_REPORTS)[number];

export interface ReportUseCases {
  /** Run one statement that only reads, on a read-only connection of its own, within the row and time limits. */
  sql(input: ReportQueryInput): Promise<QueryResult>;
  /** The report views and their columns. */
  views(): Promise<ViewInfo[]>;
  /** The built-in reports: names, titles, the scopes each takes. */
  list(): Promise<readonly BuiltinReportInfo[]>;
  /** Run a built-in report over a range (ISO or relative times) and a scope, each checked first (field and rule named). */
  run(input: ReportRequestInput): Promise<ReportResult>;
  /**
   * Where an export goes, checked before the report runs: a new file (an existing one is never replaced)
   * in a directory that exists; its absolute path, or refused naming the field output.
   */
  checkOutput(path: string): Promise<string>;
  /** Write a report's export (the output of a read, as standard output is: read-only mode keeps it) to a new file. */
  writeOutput(path: string, text: string): Promise<void>;
}

export function createReportUseCases(ctx: CoreContext): ReportUseCases {
  return {
    sql(input) {
      const v = validateReportQuery(input);
      if (!v.ok) return Promise.reject(new InvalidInputError(v.errors));
      const path = ctx.infra.config.dbPath;
      if (path === ':memory:' || path === '') return Promise.reject(new InvalidInputError([{ field: 'sql', message: 'SQL: the state database is in memory; a read-only connection needs a file' }]));
      return ctx.door.act('report.sql', { id: 'state-db' }, { message: 'Run a read-only SQL query' }, () => {
        // Opened (and migrated) here first: the query's connection is read-only and cannot create the views.
        void ctx.infra.db;
        return runReadOnlyQuery(path, v.value, resolveBusyTimeout());
      });
    },
    views: () => ctx.door.act('report.views', { id: 'state-db' }, { message: 'List the report views' }, () => reportViews(ctx.infra.db)),
    list: () => ctx.door.act('report.list', { id: 'state-db' }, { message: 'List the built-in reports' }, () => BUILTIN_REPORTS),
    async run(input) {
      const now = Math.floor(Date.now() / 1000);
      const v = validateReportRequest(input, now);
      if (!v.ok) throw new InvalidInputError(v.errors);
      const { runBuiltinReport } = await import('./report-builtin.ts');
      return ctx.door.act('report.run', { id: v.value.name }, { message: `Run report ${v.value.name}` }, () => runBuiltinReport(ctx, v.value, now));
    },
    checkOutput: async (path) => checkReportOutput(path),
    writeOutput: async (path, text) => { writeReportFile(checkReportOutput(path), text); },
  };
}
