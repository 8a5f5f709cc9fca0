// Notifications: the subscriptions that send events (by source and least
// severity) to syslog, a mail address or a webhook, with what the host
// service delivered, what failed and what was given up (dead letters); n adds
// one (a form checked field by field before anything is written), t sends a
// test message now and says what happened, x removes one after confirmation.
// Read-only mode drops the changing keys.
import { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useScreenApi } from '../../src/app/screen-api.ts';
import { mayDiscard } from '../../src/app/discard.ts';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import type { Core } from '../../src/core/index.ts';
import type { NotificationView } from '../../src/core/notifications.ts';
import { fieldErrorsOf, type FieldError } from '../../src/domain/errors.ts';
import { formRefusal } from '../../src/domain/counts.ts';
import { NOTIFY_CHANNELS, NOTIFY_SEVERITIES, validateSubscription } from '../../src/domain/notifications.ts';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { hasInput } from '../../src/ui/form/form-state.ts';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { FormView, useForm, type FormField } from '../storage-domains/Form.tsx';
import { NOTIFICATIONS_KEYS as K } from './keys.ts';

const api = async (core: Core) => ({ list: () => core.notifications.list() });
const TARGET_HINT: Record<string, string> = {
  syslog: 'local, /path/to/socket, udp://HOST[:PORT] or tcp://HOST[:PORT]',
  mail: 'user@host (several: separated by commas)',
  webhook: 'http://HOST/PATH or https://HOST/PATH',
};
const EMPTY = { channel: 'syslog', target: '', source: '*', 'min-severity': 'warning' };
const byField = (errs: readonly FieldError[]) => Object.fromEntries(errs.map((e) => [e.field, e.message.slice(e.message.indexOf(': ') + 2)]));
const state = (s: NotificationView) => (s.unavailable ? `unavailable: ${s.unavailable}` : s.failing ? `failing: ${s.lastError ?? ''}` : 'ok');

export function Notifications({ shell, active }: ScreenProps) {
  const t = useTheme();
  const { rows, error, reload } = useScreenApi<NotificationView, Awaited<ReturnType<typeof api>>>(shell.core, api);
  const [inForm, setInForm] = useState(false);
  const [busy, setBusy] = useState<string | undefined>();
  const [form, dispatch] = useForm(EMPTY);
  const { selected, bindings: nav } = useSelection((rows ?? []).map((r) => String(r.id)), Math.max(4, shell.size.rows - 10), 'subscription');
  const sel = rows?.find((r) => String(r.id) === selected);

  const channel = form.values.channel ?? 'syslog';
  const fields: FormField[] = useMemo(() => [
    { id: 'channel', label: 'Channel', choices: NOTIFY_CHANNELS },
    { id: 'target', label: 'Target', placeholder: TARGET_HINT[channel] },
    { id: 'source', label: 'Source', placeholder: '* or vm, storage, network, host, engine, event, alert' },
    { id: 'min-severity', label: 'Least severity', choices: NOTIFY_SEVERITIES },
  ], [channel]);

  useFormInput(shell, form, active && inForm, {
    draft: (value) => dispatch({ type: 'draft', value }),
    commit: () => { const f = fields[form.focus]; if (f) dispatch({ type: 'commit', id: f.id, trim: true }); },
    cancel: () => dispatch({ type: 'cancel' }),
    next: () => dispatch({ type: 'move', delta: 1, count: fields.length }),
  });

  const cycle = () => {
    const f = fields[form.focus];
    if (f?.choices?.length) dispatch({ type: 'cycle', id: f.id, options: f.choices, delta: 1 });
  };
  const refuse = (errs: FieldError[]) => { dispatch({ type: 'errors', errors: byField(errs) }); shell.notify('error', formRefusal(errs)); };
  const submit = async () => {
    const input = { channel: form.values.channel, target: form.values.target, source: form.values.source, minSeverity: form.values['min-severity'] };
    // Checked here first: a form with a broken rule is not an attempt worth an event.
    const v = validateSubscription(input);
    if (!v.ok) { refuse(v.errors); return; }
    setBusy('Adding the subscription…');
    try {
      const s = await shell.core.notifications.add(input);
      shell.notify(s.unavailable ? 'warning' : 'success', `Subscription ${s.id}: ${s.source === '*' ? 'all' : s.source} events of ${s.minSeverity} or worse go to ${s.channel} ${s.target}${s.unavailable ? ` (${s.unavailable})` : ''}`);
      setInForm(false);
    } catch (e) {
      const errs = fieldErrorsOf(e);
      if (errs) refuse(errs); else shell.notify(...errorNotice(e));
    } finally {
      setBusy(undefined);
      void reload();
    }
  };
  const test = async () => {
    if (!sel) return;
    setBusy(`Sending a test message through ${sel.channel} ${sel.target}…`);
    try {
      const r = await shell.core.notifications.test(sel.id);
      shell.notify('success', `Test notification through ${r.channel} ${r.target}: ${r.message}`);
    } catch (e) {
      shell.notify(...errorNotice(e, 'Test notification not sent'));
    } finally {
      setBusy(undefined);
    }
  };
  const remove = async () => {
    if (!sel) return;
    try {
      await shell.core.notifications.remove(sel.id);
      shell.notify('success', `Subscription ${sel.id} removed`);
    } catch (e) {
      shell.notify(...errorNotice(e));
    } finally {
      void reload();
    }
  };

  const list = !inForm;
  const formIdle = inForm && !form.editing && !busy;
  const noSel = sel ? undefined : 'no subscription selected';
  const bindings: Binding[] = [
    ...(list ? nav : []),
    bind(K.add, { when: list, disabledReason: busy ? `busy: ${busy}` : shell.core.whyNot('notification.add'), action: () => { dispatch({ type: 'reset', values: EMPTY }); setInForm(true); } }),
    bind(K.test, { when: list, disabledReason: busy ? `busy: ${busy}` : shell.core.whyNot('notification.test') ?? noSel, action: test }),
    bind(K.remove, {
      when: list, disabledReason: shell.core.whyNot('notification.remove') ?? noSel,
      confirm: sel ? `Remove subscription ${sel.id} (${sel.channel} ${sel.target})? Its waiting deliveries are dropped.` : undefined,
      action: remove,
    }),
    bind(K.refresh, { when: list, action: reload }),
    bind(K.editField, { when: formIdle, action: () => { const f = fields[form.focus]; if (!f) return; if (f.choices) cycle(); else { dispatch({ type: 'edit', id: f.id }); shell.setCapture(true); } } }),
    bind(K.nextChoice, { when: formIdle && Boolean(fields[form.focus]?.choices), action: cycle }),
    bind(K.nextField, { when: formIdle, footer: false, action: () => dispatch({ type: 'move', delta: 1, count: fields.length }) }),
    bind(K.previousField, { when: formIdle, footer: false, action: () => dispatch({ type: 'move', delta: -1, count: fields.length }) }),
    bind(K.submit, { when: formIdle, disabledReason: shell.core.whyNot('notification.add'), action: submit }),
    bind(K.back, { when: formIdle, action: async () => { if (await mayDiscard(shell, hasInput(form), 'what was entered in the form')) setInForm(false); } }),
  ];
  useBindings(bindings);

  const columns: Column<NotificationView>[] = useMemo(() => [
    { id: 'id', title: 'ID', width: 4, align: 'right', render: (r) => String(r.id) },
    { id: 'channel', title: 'Channel', width: 8, render: (r) => r.channel },
    { id: 'target', title: 'Target', width: 30, render: (r) => r.target },
    { id: 'source', title: 'Source', width: 8, render: (r) => r.source },
    { id: 'sev', title: 'Least', width: 8, render: (r) => r.minSeverity },
    { id: 'delivered', title: 'Delivered', width: 9, align: 'right', render: (r) => String(r.delivered) },
    { id: 'failed', title: 'Failed', width: 6, align: 'right', render: (r) => String(r.failed), role: (r) => (r.failed ? 'warn' : undefined) },
    { id: 'dead', title: 'Dead', width: 5, align: 'right', render: (r) => String(r.deadLetter), role: (r) => (r.deadLetter ? 'error' : undefined) },
    { id: 'queued', title: 'Queued', width: 6, align: 'right', render: (r) => String(r.queued) },
    { id: 'state', title: 'State', width: 30, render: state, role: (r) => (r.unavailable || r.failing ? 'error' : 'ok') },
  ], []);

  return (
    <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
      <Text bold {...tone(t, 'accent')}>Notifications</Text>
      {error ? <Text {...tone(t, 'error')} wrap="truncate">Cannot read the subscriptions: {error}</Text> : null}
      {inForm ? (
        <Box flexDirection="column">
          <Text bold>Add a subscription: events of a source and least severity to a channel</Text>
          <FormView fields={fields} state={form} labelWidth={16} />
          <Text {...tone(t, 'dim')}>Enter edits a field (or takes the next choice), space cycles a choice, s adds the subscription, Esc cancels.</Text>
        </Box>
      ) : (
        <Box flexDirection="column">
          <Text {...tone(t, 'dim')} wrap="truncate">The host service (hostdeck serve) sends new events every few seconds; a failing delivery is retried with backoff, then counted as dead.</Text>
          <Table rows={rows ?? []} columns={columns} rowKey={(r) => String(r.id)} selectedKey={sel ? String(sel.id) : undefined} height={Math.max(4, shell.size.rows - 8)} width={shell.size.columns - 2}
            empty={rows ? 'No subscriptions yet: n adds one.' : 'Reading the subscriptions…'} />
        </Box>
      )}
      {busy ? <Text {...tone(t, 'warn')}>{busy}</Text> : null}
    </Box>
  );
}
