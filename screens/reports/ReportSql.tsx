// Reports/SQL: one query typed on a line, run read-only (core.reports.sql: its
// own read-only connection and process, row and time limits) and its result as
// a table; an error or a refusal is shown in place of the result. Before the
// first query the table lists the views and their columns. It changes nothing,
// so read-only mode keeps it.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import { useScreenState } from '../../src/app/screen-state.ts';
import type { ScreenProps } from '../../src/app/types.ts';
import type { QueryResult } from '../../src/core/reports.ts';
import { cellText, ROW_LIMIT_DEFAULT, TIMEOUT_S_DEFAULT } from '../../src/domain/report-sql.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { editText, TextLine } from '../../src/ui/TextLine.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { REPORTS_KEYS as K } from './keys.ts';

const LIMITS = [100, ROW_LIMIT_DEFAULT, 10_000];
const TIMEOUTS_S = [5, TIMEOUT_S_DEFAULT, 30, 60];
const next = <T,>(list: readonly T[], v: T) => list[(list.indexOf(v) + 1) % list.length]!;

type Row = { key: string; cells: unknown[] };

/** A column per result column, as wide as its title or longest value (at most 40), the last taking what is left. */
function columnsOf(result: QueryResult, width: number): Column<Row>[] {
  const widths = result.columns.map((c, i) => Math.min(40, Math.max(c.length, ...result.rows.slice(0, 200).map((r) => cellText(r[i]).length))));
  let left = width;
  return result.columns.map((c, i) => {
    const w = i === result.columns.length - 1 ? Math.max(4, left) : Math.max(4, Math.min(widths[i]!, left - 5));
    left -= w + 1;
    return { id: String(i), title: c, width: w, render: (r: Row) => cellText(r.cells[i]) };
  });
}

export function ReportSql({ shell, active }: ScreenProps) {
  const t = useTheme();
  const [sql, setSql] = useScreenState('sql.query', 'SELECT severity, count(*) AS events FROM v1_events GROUP BY severity');
  const [limit, setLimit] = useScreenState('sql.limit', ROW_LIMIT_DEFAULT);
  const [timeoutS, setTimeoutS] = useScreenState('sql.timeout', TIMEOUT_S_DEFAULT);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [result, setResult] = useState<QueryResult>();
  const [error, setError] = useState<string>();
  const [running, setRunning] = useState(false);
  const live = useRef(true);
  useEffect(() => () => { live.current = false; }, []);

  const showViews = () => {
    shell.core.reports.views().then((vs) => {
      if (live.current) { setResult({ columns: ['view', 'columns'], rows: vs.map((v) => [v.name, v.columns.join(', ')]), truncated: false }); setError(undefined); }
    }, (e: unknown) => { if (live.current) setError(errorNotice(e, 'Views not read')[1]); });
  };
  useEffect(showViews, [shell.core]);

  const run = (text: string) => {
    setRunning(true);
    setError(undefined);
    shell.core.reports.sql({ sql: text, limitRows: limit, timeoutS }).then((r) => { if (live.current) setResult(r); }, (e: unknown) => {
      if (live.current) { setResult(undefined); setError(errorNotice(e, 'Query not run')[1]); }
    }).finally(() => { if (live.current) setRunning(false); });
  };

  useInput((input, k) => {
    if (k.escape) { setEditing(false); shell.setCapture(false); return; }
    if (k.return) {
      setSql(draft);
      setEditing(false);
      shell.setCapture(false);
      run(draft);
      return;
    }
    const v = editText(draft, input, k);
    if (v !== undefined) setDraft(v);
  }, { isActive: active && editing });

  const rows = useMemo<Row[]>(() => (result?.rows ?? []).map((cells, i) => ({ key: String(i), cells })), [result]);
  const height = Math.max(4, shell.size.rows - 8);
  const { selected, bindings: nav } = useSelection(useMemo(() => rows.map((r) => r.key), [rows]), height - 1, 'sql.row');
  useBindings([
    ...nav,
    bind(K.edit, { action: () => { setDraft(sql); setEditing(true); shell.setCapture(true); } }),
    bind(K.run, { when: !running, action: () => run(sql) }),
    bind(K.limit, { description: `Rows ≤ ${limit}`, action: () => setLimit((l) => next(LIMITS, l)) }),
    bind(K.timeout, { description: `Time ≤ ${timeoutS} s`, action: () => setTimeoutS((s) => next(TIMEOUTS_S, s)) }),
    bind(K.views, { action: showViews }),
  ]);

  const width = shell.size.columns - 2;
  const status = running ? `running (stopped after ${timeoutS} s)…`
    : result ? `${result.rows.length} row(s)${result.truncated ? ` · more rows than the limit (${limit}): the first ${result.rows.length} shown` : ''} · rows ≤ ${limit} · time ≤ ${timeoutS} s`
    : `rows ≤ ${limit} · time ≤ ${timeoutS} s`;
  return (
    <Box flexDirection="column" paddingX={1} height={shell.size.rows} overflow="hidden">
      <Text bold {...tone(t, 'accent')}>Reports · read-only SQL</Text>
      <Box height={1}>
        {editing ? <TextLine label="SQL: " value={draft} focused /> : <Text wrap="truncate-end">SQL: {sql}</Text>}
      </Box>
      <Text wrap="truncate-end" {...tone(t, result?.truncated ? 'warn' : 'dim')}>{status}</Text>
      {error ? <Text wrap="wrap" {...tone(t, 'error')}>{error}</Text> : null}
      {result ? (
        <Box marginTop={1}>
          <Table rows={rows} columns={columnsOf(result, width)} rowKey={(r) => r.key} selectedKey={selected} height={height} width={width} empty="No rows." />
        </Box>
      ) : null}
    </Box>
  );
}
