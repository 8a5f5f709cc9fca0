// Reports: the built-in reports (core.reports.run). The list on the left;
// e edits the range and scope (each field checked as it is entered, and again
// by the core, its rule shown under it), Enter runs the selected report and
// shows its charts in braille and its tables; x exports the result to a new
// file (.html, .csv or .json: the format by the name). It changes nothing, so
// read-only mode keeps it.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import { useScreenState } from '../../src/app/screen-state.ts';
import type { ScreenProps } from '../../src/app/types.ts';
import type { BuiltinReportInfo, ReportResult } from '../../src/core/reports.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';
import { renderReport, reportHeader, reportTableLines } from '../../src/domain/report-render.ts';
import { parseReportTime, parseScope, SCOPE_RULE, TIME_RULE } from '../../src/domain/reports.ts';
import { Chart } from '../../src/ui/Chart.tsx';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { FieldRow } from '../../src/ui/form/FieldRow.tsx';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { useFormState } from '../../src/ui/form/use-form-state.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { REPORTS_KEYS as K } from './keys.ts';

type Field = 'from' | 'to' | 'scope' | 'file';
const RANGE_FIELDS: Field[] = ['from', 'to', 'scope'];
const LABELS: Record<Field, string> = { from: 'From', to: 'To', scope: 'Scope', file: 'Export to' };
const PLACEHOLDERS: Record<Field, string> = { from: '7d, 2026-12-01 …', to: 'now', scope: 'host, cluster:NAME, vm:NAME, storage:NAME', file: '/tmp/report.html (.html, .csv or .json)' };
const FORMAT_OF = /\.(html|csv|json)$/i;
const LIST_WIDTH = 22;
const CHART_ROWS = 4;

/** The rule a field's value breaks as it is entered (the core checks all of them again). */
function problem(field: Field, value: string): string | undefined {
  if ((field === 'from' || field === 'to') && value && parseReportTime(value, 0) === undefined) return TIME_RULE;
  if (field === 'scope' && !parseScope(value)) return SCOPE_RULE;
  if (field === 'file' && !FORMAT_OF.test(value)) return 'must be a new file name ending in .html, .csv or .json';
  return undefined;
}

export function BuiltinReports({ shell, active }: ScreenProps) {
  const t = useTheme();
  const [reports, setReports] = useState<readonly BuiltinReportInfo[]>([]);
  const [values, setValues] = useScreenState('reports.range', { from: '7d', to: 'now', scope: 'host', file: '' });
  const [form, dispatch] = useFormState<Field>(values);
  const [editing, setEditing] = useState<'range' | 'export'>();
  const [result, setResult] = useState<ReportResult>();
  const [error, setError] = useState<string>();
  const [running, setRunning] = useState(false);
  const [offset, setOffset] = useState(0);
  const live = useRef(true);
  useEffect(() => () => { live.current = false; }, []);
  useEffect(() => {
    shell.core.reports.list().then((l) => { if (live.current) setReports(l); }, (e: unknown) => { if (live.current) setError(errorNotice(e, 'Reports not listed')[1]); });
  }, [shell.core]);

  const names = useMemo(() => reports.map((r) => r.name), [reports]);
  const { selected, bindings: nav } = useSelection(names, names.length, 'reports.selected');
  const report = reports.find((r) => r.name === selected);
  const fields = editing === 'export' ? (['file'] as Field[]) : RANGE_FIELDS;
  const field = fields[Math.min(form.focus, fields.length - 1)]!;

  const run = (v: Record<Field, string>) => {
    if (!report) return;
    setRunning(true);
    setError(undefined);
    shell.core.reports.run({ name: report.name, from: v.from, to: v.to, scope: v.scope }).then((r) => { if (live.current) { setResult(r); setOffset(0); } }, (e: unknown) => {
      if (!live.current) return;
      const fe = fieldErrorsOf(e);
      // A rule the core found (a scope that names nothing): shown under its field.
      if (fe?.length) dispatch({ type: 'errors', errors: Object.fromEntries(fe.map((f) => [f.field, f.message.slice(f.message.indexOf(': ') + 2)])) });
      setResult(undefined);
      setError(errorNotice(e, 'Report not run')[1]);
    }).finally(() => { if (live.current) setRunning(false); });
  };
  const exportTo = async (file: string) => {
    if (!result) return;
    try {
      const path = await shell.core.reports.checkOutput(file);
      await shell.core.reports.writeOutput(path, renderReport(result, FORMAT_OF.exec(file)![1]!.toLowerCase() as 'html' | 'csv' | 'json'));
      shell.notify('success', `Wrote report ${result.name} to ${path}`);
      setEditing(undefined);
    } catch (e) {
      const fe = fieldErrorsOf(e);
      if (fe?.length) { dispatch({ type: 'errors', errors: { file: fe[0]!.message.slice(fe[0]!.message.indexOf(': ') + 2) } }); dispatch({ type: 'edit', id: 'file' }); shell.setCapture(true); } else { setEditing(undefined); shell.notify(...errorNotice(e, 'Report not exported')); }
    }
  };

  useFormInput(shell, form, active && editing !== undefined, {
    draft: (value) => dispatch({ type: 'draft', value }),
    commit: ({ draft }) => {
      const bad = problem(field, draft.trim());
      dispatch({ type: 'commit', id: field, trim: true });
      dispatch({ type: 'errors', errors: bad ? { [field]: bad } : {} });
      if (bad) { dispatch({ type: 'edit', id: field }); return 'editing'; }
      const next = fields.indexOf(field) + 1;
      if (next < fields.length) { dispatch({ type: 'move', delta: 1, count: fields.length }); dispatch({ type: 'edit', id: fields[next]! }); return 'editing'; }
      const v = { ...form.values, [field]: draft.trim() };
      setValues(v);
      setEditing(undefined);
      if (editing === 'export') void exportTo(v.file);
      else run(v);
    },
    cancel: () => { dispatch({ type: 'cancel' }); dispatch({ type: 'reset', values }); setEditing(undefined); },
  });
  const open = (which: 'range' | 'export') => {
    dispatch({ type: 'reset', values });
    dispatch({ type: 'edit', id: which === 'export' ? 'file' : 'from' });
    setEditing(which);
    shell.setCapture(true);
  };

  const width = shell.size.columns - LIST_WIDTH - 3;
  const charts = result?.charts ?? [];
  const lines = useMemo(() => (result ? [...result.tables.flatMap((x) => ['', ...reportTableLines(x)]), ...(result.notes.length ? ['', ...result.notes] : [])] : []), [result]);
  const tableRows = Math.max(3, shell.size.rows - 10 - charts.length * (CHART_ROWS + 1));
  const page = Math.max(1, tableRows - 1);
  useBindings([
    // The result scrolls with the page keys; the list keeps the others.
    ...(editing ? [] : nav.filter((b) => !b.keys.includes('pageup') && !b.keys.includes('pagedown'))),
    bind(K.reportRun, { when: !editing && !running, disabledReason: report ? undefined : 'no report selected', action: () => run(values) }),
    bind(K.reportEdit, { when: !editing, action: () => open('range') }),
    bind(K.reportExport, { when: !editing, disabledReason: result ? undefined : 'run a report first', action: () => open('export') }),
    bind(K.scrollDown, { when: !editing, footer: false, action: () => setOffset((o) => Math.max(0, Math.min(o + page, lines.length - page))) }),
    bind(K.scrollUp, { when: !editing, footer: false, action: () => setOffset((o) => Math.max(0, o - page)) }),
  ]);

  return (
    <Box flexDirection="column" paddingX={1} height={shell.size.rows} overflow="hidden">
      <Text bold {...tone(t, 'accent')}>Reports · built-in</Text>
      <Box>
        <Box flexDirection="column" width={LIST_WIDTH} flexShrink={0}>
          {reports.map((r) => <Text key={r.name} wrap="truncate" {...(r.name === selected ? { inverse: true } : {})}>{r.name === selected ? '› ' : '  '}{r.name}</Text>)}
        </Box>
        <Box flexDirection="column" width={width} marginLeft={1}>
          <Text wrap="truncate" {...tone(t, 'dim')}>{report ? `${report.title}: ${report.description} (scopes: ${report.scopes.join(', ')})` : ''}</Text>
          {fields.map((f) => {
            const isEditing = editing !== undefined && field === f && form.editing;
            return <FieldRow key={f} label={LABELS[f]} labelWidth={10} focused={editing !== undefined && field === f} editing={isEditing}
              value={isEditing ? form.draft : form.values[f]} placeholder={PLACEHOLDERS[f]} error={form.errors[f]} />;
          })}
          <Text wrap="truncate" {...tone(t, error ? 'error' : 'dim')}>{running ? 'running…' : error ?? (result ? reportHeader(result) : 'Enter runs the selected report; e sets the range and scope')}</Text>
        </Box>
      </Box>
      {result ? (
        <Box flexDirection="column" marginTop={1}>
          {charts.map((c) => (
            <Chart key={c.title} title={`${c.title} (${c.unit})`} width={shell.size.columns - 2} height={CHART_ROWS} from={result.from} to={result.to}
              lines={c.series.map((s) => ({ label: s.label, points: s.points }))} />
          ))}
          {lines.slice(offset, offset + tableRows).map((l, i) => <Text key={i} wrap="truncate">{l || ' '}</Text>)}
        </Box>
      ) : null}
    </Box>
  );
}
