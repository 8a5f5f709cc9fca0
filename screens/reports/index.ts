// The Reports/SQL screen as data, for screens/index.ts (its own chunk, loaded when first opened).
import type { ScreenDef } from '../../src/app/types.ts';

export const reportSqlScreen: ScreenDef = {
  id: 'sql', title: 'Reports: SQL', aliases: ['report', 'reports', 'query', 'select', 'views', 'warehouse'],
  description: 'Read-only SQL on the state database: one SELECT over the v1_ views (inventory, events), within a row and a time limit; changes nothing.',
  load: () => import('./ReportSql.tsx').then((m) => m.ReportSql),
};
