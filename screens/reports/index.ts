// The Reports screens as data, for screens/index.ts (each its own chunk, loaded when first opened).
import type { ScreenDef } from '../../src/app/types.ts';

export const reportSqlScreen: ScreenDef = {
  id: 'sql', title: 'Reports: SQL', aliases: ['query', 'select', 'views', 'warehouse'],
  description: 'Read-only SQL on the state database: one SELECT over the v1_ views (inventory, events), within a row and a time limit; changes nothing.',
  load: () => import('./ReportSql.tsx').then((m) => m.ReportSql),
};

export const builtinReportsScreen: ScreenDef = {
  id: 'reports', title: 'Reports', aliases: ['report', 'utilisation', 'availability', 'forecast', 'inventory-report'],
  description: 'Built-in reports over a time range and scope (utilisation, top VMs, availability, storage forecast, inventory, events): braille charts and tables, exported to HTML, CSV or JSON.',
  load: () => import('./BuiltinReports.tsx').then((m) => m.BuiltinReports),
};
