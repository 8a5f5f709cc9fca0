// Logs: the last page of a log, new lines appearing at the bottom while the
// page is at the end; older and newer pages, a source to pick, filters by
// priority and text (regex), and a jump to a time (the Events screen opens
// it at an event's time).
import { useEffect, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useScreenState } from '../../src/app/screen-state.ts';
import type { ScreenProps } from '../../src/app/types.ts';
import type { LogLine, LogPage, LogReadInput, LogSourceInfo } from '../../src/core/logs.ts';
import { PRIORITIES } from '../../src/domain/logs.ts';
import { eventTime } from '../../src/domain/duration.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { editText, TextLine } from '../../src/ui/TextLine.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { LOGS_KEYS as K } from './keys.ts';

/** Where the page is: the end (live), before a line, from a line, or from a time. */
type Position = { kind: 'end' } | { kind: 'before'; offset: number } | { kind: 'after'; offset: number } | { kind: 'at'; time: string };

const PRIORITY_ROLE = (p: number | undefined) => (p === undefined ? 'fg' : p <= 3 ? 'error' : p === 4 ? 'warn' : p === 7 ? 'dim' : 'fg');

export function Logs({ shell, active, params }: ScreenProps) {
  const t = useTheme();
  // The status line above, and a row spare so the last line is never cut.
  const height = Math.max(3, shell.size.rows - 3);
  const [sources, setSources] = useState<LogSourceInfo[]>([]);
  const [source, setSource] = useScreenState<string | undefined>('logs.source', typeof params.source === 'string' ? params.source : undefined);
  const [priority, setPriority] = useScreenState<number | undefined>('logs.priority', undefined);
  const [grep, setGrep] = useScreenState('logs.grep', '');
  const [pos, setPos] = useState<Position>(typeof params.at === 'string' ? { kind: 'at', time: params.at } : { kind: 'end' });
  const [page, setPage] = useState<LogPage>();
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<'grep' | 'time'>();
  const [draft, setDraft] = useState('');

  useEffect(() => { shell.core.logs.sources().then(setSources, () => setSources([])); }, [shell.core]);

  const query = { source, priority: priority === undefined ? undefined : String(priority), grep: grep || undefined, lines: String(height) };
  const key = JSON.stringify([query, pos]);
  useEffect(() => {
    let stop: (() => void) | undefined;
    let gone = false;
    // The page of the last query is not shown under the new one's status.
    setPage(undefined);
    const input: LogReadInput = { ...query, ...(pos.kind === 'before' ? { before: pos.offset } : pos.kind === 'after' ? { after: pos.offset } : pos.kind === 'at' ? { at: pos.time } : {}) };
    shell.core.logs.read(input).then(async (p) => {
      if (gone) return;
      setPage(p);
      setError(undefined);
      if (!p.atEnd || pos.kind !== 'end') return;
      // At the end: new lines come in at the bottom, the oldest leave at the top.
      const s = await shell.core.logs.follow(query, p, (ls: LogLine[]) => setPage((cur) => (cur ? { ...cur, lines: [...cur.lines, ...ls].slice(-height) } : cur)));
      if (gone) s(); else stop = s;
    }, (e: unknown) => { if (!gone) { setPage(undefined); setError(errorNotice(e, 'Cannot read the log')[1]); } });
    return () => { gone = true; stop?.(); };
    // `key` is the query and the position as one value: the effect runs again when either changes.
  }, [shell.core, key]);

  useInput((input, k) => {
    if (k.escape) { setEditing(undefined); shell.setCapture(false); return; }
    if (k.return) {
      const v = draft.trim();
      if (editing === 'grep') {
        try { if (v) new RegExp(v); setGrep(v); setPos({ kind: 'end' }); } catch { shell.notify('error', `filter: must be a valid regular expression (JavaScript syntax): ${v}`); return; }
      } else if (v) setPos({ kind: 'at', time: v });
      setEditing(undefined);
      shell.setCapture(false);
      return;
    }
    const next = editText(draft, input, k);
    if (next !== undefined) setDraft(next);
  }, { isActive: active && editing !== undefined });

  const ids = sources.map((s) => s.id);
  const current = page?.source ?? source;
  const live = pos.kind === 'end' && page?.atEnd;
  useBindings([
    bind(K.source, { when: ids.length > 1, action: () => { setSource(ids[(ids.indexOf(current ?? '') + 1) % ids.length]); setPos((p) => (p.kind === 'at' ? p : { kind: 'end' })); } }),
    bind(K.priority, { description: `Priority ≤ ${priority === undefined ? 'all' : PRIORITIES[priority]}`, action: () => { setPriority((p) => (p === undefined ? 3 : p >= 7 ? undefined : p + 1)); setPos({ kind: 'end' }); } }),
    bind(K.filterText, { action: () => { setDraft(grep); setEditing('grep'); shell.setCapture(true); } }),
    bind(K.jumpTime, { action: () => { setDraft(page?.lines[0]?.time !== undefined ? new Date(page.lines[0].time).toISOString() : ''); setEditing('time'); shell.setCapture(true); } }),
    bind(K.clearFilters, { when: Boolean(grep) || priority !== undefined, action: () => { setGrep(''); setPriority(undefined); setPos({ kind: 'end' }); } }),
    bind(K.older, { when: page?.previous !== undefined, action: () => setPos({ kind: 'before', offset: page!.previous! }) }),
    bind(K.newer, { when: Boolean(page && !page.atEnd && page.next !== undefined), action: () => setPos({ kind: 'after', offset: page!.next! }) }),
    bind(K.end, { when: pos.kind !== 'end', action: () => setPos({ kind: 'end' }) }),
  ]);

  const where = !page && !error ? 'reading…' : pos.kind === 'at' ? `from ${pos.time}` : live ? 'live' : page?.atEnd ? 'at the end' : page?.lines[0]?.time !== undefined ? `at ${eventTime(new Date(page.lines[0].time).toISOString())}` : 'paged back';
  const status = `${current ?? '…'}${page?.path && page.path !== current ? ` (${page.path})` : ''} · priority ${priority === undefined ? 'all' : `≤ ${PRIORITIES[priority]}`}${grep ? ` · matching /${grep}/` : ''} · ${where}`;
  return (
    <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
      <Box height={1}>
        {editing ? <TextLine label={editing === 'grep' ? 'filter (regex): ' : 'time (ISO or age, e.g. 10m): '} value={draft} focused /> : <Text wrap="truncate" {...tone(t, 'dim')}>{status}</Text>}
      </Box>
      {error ? <Text wrap="wrap" {...tone(t, 'error')}>{error}</Text> : null}
      {page && !page.lines.length ? <Text {...tone(t, 'dim')}>{grep || priority !== undefined ? 'No line matches the filter (c clears it).' : pos.kind === 'at' ? `No line at or after ${pos.time} (G: the last page).` : 'The log is empty.'}</Text> : null}
      {page?.lines.slice(-height).map((l, i) => (
        <Text key={`${l.offset ?? i}:${i}`} wrap="truncate-end" {...tone(t, PRIORITY_ROLE(l.priority))}>{l.text || ' '}</Text>
      ))}
    </Box>
  );
}
