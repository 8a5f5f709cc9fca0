// Events: the live event log with a severity filter, a text filter, an
// alerts filter (the alert events only, or the open alerts) and a detail view.
import { useMemo, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import { useScreenState, useSelectedObject } from '../../src/app/screen-state.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { SEVERITIES, type EventRecord, type Severity } from '../../src/core/events.ts';
import { useEventList } from '../../src/store/events.ts';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { editText, TextLine } from '../../src/ui/TextLine.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { Field } from '../../src/ui/Panel.tsx';
import { EVENTS_KEYS as K } from './keys.ts';
import { eventTime } from '../../src/domain/duration.ts';
import { OpenAlerts } from './OpenAlerts.tsx';

/** What the list shows: every event, the alerts' events (raised, cleared), or the alerts open now. */
const ALERT_VIEWS = ['all', 'alert-events', 'open-alerts'] as const;
type AlertView = (typeof ALERT_VIEWS)[number];
const ALERT_SOURCE = 'alert';

const SEV_ROLE = { info: 'info', warning: 'warn', error: 'error', alert: 'error' } as const;

function columns(width: number): Column<EventRecord>[] {
  const fixed = 19 + 8 + 12 + 18 + 12 + 5 + 2;
  return [
    { id: 'time', title: 'TIME', width: 19, render: (e) => eventTime(e.time) },
    { id: 'severity', title: 'SEVERITY', width: 8, render: (e) => e.severity, role: (e) => SEV_ROLE[e.severity] },
    { id: 'source', title: 'SOURCE', width: 12, render: (e) => e.source },
    { id: 'object', title: 'OBJECT', width: 18, render: (e) => (e.objectId ? `${e.objectType ? `${e.objectType}:` : ''}${e.objectId}` : '') },
    { id: 'user', title: 'USER', width: 12, render: (e) => `${e.user}/${e.channel}` },
    { id: 'message', title: 'MESSAGE', width: Math.max(10, width - fixed), render: (e) => e.message, role: (e) => (e.result === 'failure' ? 'error' : undefined) },
  ];
}

export function Events({ shell, active }: ScreenProps) {
  const t = useTheme();
  // Kept while an event's detail covers the list, so Esc comes back to the list as filtered.
  const [minSeverity, setMinSeverity] = useScreenState<Severity>('events.min-severity', 'info');
  const [text, setText] = useScreenState('events.text', '');
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [alertView, setAlertView] = useScreenState<AlertView>('events.alerts', 'all');
  const source = alertView === 'alert-events' ? ALERT_SOURCE : undefined;
  const { events, error } = useEventList(shell.core.events, { minSeverity, text: text || undefined, source });
  const keys = useMemo(() => events.map((e) => String(e.id)), [events]);
  const tableHeight = shell.size.rows - 2;
  const { selected, bindings: nav } = useSelection(keys, tableHeight - 1);
  useSelectedObject(selected !== undefined ? { kind: 'event', label: `#${selected}`, params: { id: Number(selected) } } : undefined);

  useInput((input, key) => {
    if (key.escape) { setEditing(false); shell.setCapture(false); return; }
    if (key.return) { setText(draft.trim()); setEditing(false); shell.setCapture(false); return; }
    const next = editText(draft, input, key);
    if (next !== undefined) setDraft(next);
  }, { isActive: active && editing });

  const bindings: Binding[] = [
    ...nav,
    bind(K.details, { action: () => { if (selected) shell.push('event', { id: Number(selected), minSeverity, text, source }); }, when: Boolean(selected) && alertView !== 'open-alerts' }),
    bind(K.filterText, { action: () => { setDraft(text); setEditing(true); shell.setCapture(true); } }),
    bind(K.severity, { description: `Severity ≥ ${minSeverity}`, action: () => setMinSeverity((s) => SEVERITIES[(SEVERITIES.indexOf(s) + 1) % SEVERITIES.length]!) }),
    bind(K.clearFilters, { action: () => { setText(''); setMinSeverity('info'); setAlertView('all'); }, when: Boolean(text) || minSeverity !== 'info' || alertView !== 'all' }),
    bind(K.alerts, { description: alertView === 'all' ? 'Alert events' : alertView === 'alert-events' ? 'Open alerts' : 'Every event', action: () => setAlertView((v) => ALERT_VIEWS[(ALERT_VIEWS.indexOf(v) + 1) % ALERT_VIEWS.length]!) }),
    bind(K.logsAtTime, { action: () => { const e = events.find((x) => String(x.id) === selected); if (e) shell.push('logs', { at: e.time }); }, when: Boolean(selected) }),
  ];
  useBindings(bindings);

  return (
    <Box flexDirection="column" height={shell.size.rows} paddingX={1}>
      <Box height={1}>
        {editing ? <TextLine label="filter: " value={draft} focused /> : (
          <Text wrap="truncate" {...tone(t, 'dim')}>
            {alertView === 'open-alerts' ? 'open alerts, the worst first (a: every event)' : <>{events.length} {source ? 'alert ' : ''}event{events.length === 1 ? '' : 's'} · severity ≥ {minSeverity}{text ? ` · matching "${text}"` : ''}{error ? '' : ' · live'}</>}
          </Text>
        )}
      </Box>
      {alertView === 'open-alerts' ? <OpenAlerts core={shell.core} width={shell.size.columns - 2} height={tableHeight} /> : <>
      {error ? <Text {...tone(t, 'error')}>Cannot read events: {error}</Text> : null}
      <Table rows={events} columns={columns(shell.size.columns - 2)} rowKey={(e) => String(e.id)} selectedKey={selected} height={tableHeight} width={shell.size.columns - 2}
        empty={text || minSeverity !== 'info' || source ? 'No event matches the filter (c clears it).' : 'No events yet. Every change made through hostdeck is recorded here.'} />
      </>}
    </Box>
  );
}

/** The list's filter an event was opened from (the palette opens one with none: every event). */
function listFilter(params: Record<string, unknown>): { minSeverity: Severity; text?: string; source?: string } {
  const sev = SEVERITIES.find((s) => s === params.minSeverity) ?? 'info';
  return { minSeverity: sev, text: typeof params.text === 'string' && params.text ? params.text : undefined, source: params.source === ALERT_SOURCE ? ALERT_SOURCE : undefined };
}

export function EventDetail({ shell, params }: ScreenProps) {
  const t = useTheme();
  const [id, setId] = useState(Number(params.id));
  const filter = listFilter(params);
  const { events } = useEventList(shell.core.events, filter);
  const at = events.findIndex((ev) => ev.id === id);
  const step = (delta: number) => { const next = events[at + delta]; if (next) setId(next.id); };
  useBindings([
    bind(K.nextEvent, { action: () => step(1), when: at >= 0 && at + 1 < events.length }),
    bind(K.previousEvent, { action: () => step(-1), when: at > 0 }),
    bind(K.logsAtTime, { action: () => { const e = shell.core.events.get(id); if (e) shell.push('logs', { at: e.time }); } }),
  ]);
  const e = shell.core.events.get(id);
  if (!e) return <Text {...tone(t, 'error')}>Event {String(params.id)} does not exist.</Text>;
  return (
    <Box flexDirection="column" paddingX={1} borderStyle="round" {...(t.color ? { borderColor: t.border } : {})}>
      <Text bold {...tone(t, SEV_ROLE[e.severity])}>Event {e.id}: {e.severity}</Text>
      {at >= 0 ? <Text wrap="truncate" {...tone(t, 'dim')}>{at + 1} of {events.length} · severity ≥ {filter.minSeverity}{filter.text ? ` · matching "${filter.text}"` : ''}</Text> : null}
      <Field label="time" value={`${eventTime(e.time)} (${e.time})`} />
      <Field label="source" value={e.source} />
      <Field label="object" value={e.objectId ? `${e.objectType ?? ''} ${e.objectId}` : '-'} />
      <Field label="user" value={e.user} />
      <Field label="channel" value={e.channel} />
      <Field label="result" value={e.result ?? '-'} role={e.result === 'failure' ? 'error' : e.result === 'success' ? 'ok' : undefined} />
      <Field label="correlation" value={e.correlationId ?? '-'} />
      <Box marginTop={1}><Text wrap="wrap">{e.message}</Text></Box>
    </Box>
  );
}
