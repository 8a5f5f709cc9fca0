// System: the node's own settings. Time (zone, clock, NTP servers with their
// sources, sync state and offset, read live from chronyc every few seconds),
// SSH (sshd's state, port, password and root login, root's authorized keys),
// remote logging. Each change is a form checked by the core field by field
// before anything runs; removing a key and turning NTP off or on are
// confirmed; read-only mode drops the changing keys; what cannot be done on
// this host (chrony or rsyslog not installed, no systemd) is said, not hidden.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { mayDiscard } from '../../src/app/discard.ts';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import type { ConsoleStatus, SshStatus, SyslogForward, TimeStatus } from '../../src/core/system-settings.ts';
import { formatBytes } from '../../src/domain/size.ts';
import { fieldErrorsOf, type FieldError } from '../../src/domain/errors.ts';
import { formRefusal } from '../../src/domain/counts.ts';
import { formatOffset } from '../../src/domain/system/time.ts';
import { ROOT_LOGIN_POLICIES } from '../../src/domain/system/ssh.ts';
import { forwardText } from '../../src/domain/system/syslog.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { hasInput } from '../../src/ui/form/form-state.ts';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { FieldRow } from '../../src/ui/form/FieldRow.tsx';
import { useForm, type FormField } from '../storage-domains/Form.tsx';
import { SYSTEM_KEYS as K } from './keys.ts';

/** How often the time and NTP state are read again while the screen is open. */
const LIVE_MS = 3000;
const ZONES_SHOWN = 8;

type Dialog = 'timezone' | 'ntp' | 'clock' | 'ssh' | 'key' | 'password' | 'syslog' | 'keyboard' | 'locale' | 'netconsole';
interface SecretField extends FormField { secret?: boolean }

const DIALOGS: Record<Dialog, { title: string; action: Parameters<ScreenProps['shell']['core']['whyNot']>[0]; fields: SecretField[] }> = {
  timezone: { title: 'Time zone: type part of a name, the matching zones of the tz database show below', action: 'system.timezone-set', fields: [{ id: 'timezone', label: 'Zone', placeholder: 'e.g. Europe/Paris' }] },
  ntp: { title: 'NTP servers (chrony): one to 8, separated by spaces or commas', action: 'system.ntp-set', fields: [{ id: 'servers', label: 'Servers', placeholder: 'ntp1.example.org 192.0.2.10' }] },
  clock: { title: 'Set the clock by hand (UTC; only while NTP is off)', action: 'system.time-set', fields: [{ id: 'time', label: 'Time (UTC)', placeholder: 'YYYY-MM-DD HH:MM[:SS]' }] },
  ssh: {
    title: 'SSH: sshd checks the new settings (sshd -t) before they apply', action: 'system.ssh-set',
    fields: [{ id: 'port', label: 'Port', placeholder: '22' }, { id: 'passwordLogin', label: 'Password login', choices: ['off', 'on'] }, { id: 'rootLogin', label: 'Root login', choices: ROOT_LOGIN_POLICIES }],
  },
  key: { title: "Add a public key to root's authorized keys ([options] TYPE BASE64 [comment])", action: 'system.ssh-key-add', fields: [{ id: 'key', label: 'Key', placeholder: 'ssh-ed25519 AAAA… user@host' }] },
  password: { title: 'Root password (set through chpasswd; not shown)', action: 'system.root-password', fields: [{ id: 'password', label: 'Password', secret: true }, { id: 'again', label: 'Again', secret: true }] },
  syslog: { title: 'Forward the system log (rsyslog): udp://HOST[:PORT], tcp://HOST[:PORT], or off', action: 'system.syslog-set', fields: [{ id: 'target', label: 'Target', placeholder: 'tcp://logs.example.org:514' }] },
  keyboard: { title: "The console's keyboard layout: type part of a name, the matching XKB layouts show below", action: 'system.keyboard-set', fields: [{ id: 'layout', label: 'Layout', placeholder: 'us, de, fr…' }, { id: 'variant', label: 'Variant', placeholder: '(none)' }] },
  netconsole: { title: "netconsole: the kernel's messages over UDP to IP[:PORT] (port 6666) from a NIC with an address, or off", action: 'system.netconsole-set', fields: [{ id: 'target', label: 'Target', placeholder: '192.0.2.10:6666 or off' }, { id: 'device', label: 'From NIC', placeholder: 'eth0' }] },
  locale: { title: 'The system locale (one generated on this host)', action: 'system.locale-set', fields: [{ id: 'locale', label: 'Locale', placeholder: 'C.UTF-8' }] },
};

const byField = (errs: readonly FieldError[]) => Object.fromEntries(errs.map((e) => [e.field, e.message.slice(e.message.indexOf(': ') + 2)]));

export function System({ shell, active }: ScreenProps) {
  const t = useTheme();
  const sys = shell.core.system;
  const [time, setTime] = useState<TimeStatus | undefined>();
  const [ssh, setSsh] = useState<SshStatus | undefined>();
  const [syslog, setSyslog] = useState<{ forward?: SyslogForward; installed: boolean } | undefined>();
  const [con, setCon] = useState<ConsoleStatus | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [dialog, setDialog] = useState<Dialog | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [zones, setZones] = useState<string[]>([]);
  const [form, dispatch] = useForm({});

  const readTime = useCallback(async () => { try { setTime(await sys.time()); } catch (e) { setError((e as Error).message); } }, [sys]);
  const reload = useCallback(async () => {
    try {
      const [ti, s, l, c] = await Promise.all([sys.time(), sys.ssh(), sys.syslog(), sys.console()]);
      setTime(ti); setSsh(s); setSyslog(l); setCon(c); setError(undefined);
    } catch (e) { setError((e as Error).message); }
  }, [sys]);
  useEffect(() => { void reload(); }, [reload]);
  // The NTP sources, sync state and offset change by themselves: read again while the screen shows.
  useEffect(() => {
    if (!active) return undefined;
    // The next read is scheduled when this one ends: a slow chronyc never stacks reads.
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const next = () => { timer = setTimeout(() => { void readTime().finally(() => { if (!stopped) next(); }); }, LIVE_MS); };
    next();
    return () => { stopped = true; clearTimeout(timer); };
  }, [active, readTime]);

  const keys = ssh?.keys ?? [];
  const { selected, bindings: nav } = useSelection(keys.map((k) => k.fingerprint), 6, 'key');
  const sel = keys.find((k) => k.fingerprint === selected);
  const fields = dialog ? DIALOGS[dialog].fields : [];

  const open = (d: Dialog) => {
    const values: Record<string, string> = {};
    if (d === 'ssh' && ssh && typeof ssh.settings !== 'string') Object.assign(values, { port: String(ssh.settings.port), passwordLogin: ssh.settings.passwordLogin ? 'on' : 'off', rootLogin: ssh.settings.rootLogin });
    if (d === 'ntp' && time) values.servers = time.ntp.servers.join(' ');
    if (d === 'timezone' && time) values.timezone = time.timezone;
    if (d === 'syslog') values.target = syslog?.forward ? forwardText(syslog.forward) : '';
    if (d === 'keyboard' && con) Object.assign(values, { layout: con.keyboard.layout, variant: con.keyboard.variant });
    if (d === 'locale' && con) values.locale = con.locale.lang;
    if (d === 'netconsole' && con?.netconsole) Object.assign(values, { target: `${con.netconsole.remoteIp}:${con.netconsole.remotePort}`, device: con.netconsole.device });
    if (d === 'timezone') void sys.timezones().then(setZones, () => setZones([]));
    if (d === 'keyboard') void sys.keyboardLayouts().then(setZones, () => setZones([]));
    if (d === 'locale') setZones(con?.locale.available ?? []);
    dispatch({ type: 'reset', values });
    setDialog(d);
  };

  useFormInput(shell, form, active && !!dialog, {
    draft: (value) => dispatch({ type: 'draft', value }),
    commit: () => { const f = fields[form.focus]; if (f) dispatch({ type: 'commit', id: f.id, trim: !('secret' in f && f.secret) }); },
    cancel: () => dispatch({ type: 'cancel' }),
    next: () => dispatch({ type: 'move', delta: 1, count: fields.length }),
  });
  const cycle = () => {
    const f = fields[form.focus];
    if (f?.choices?.length) dispatch({ type: 'cycle', id: f.id, options: f.choices, delta: 1 });
  };

  const refuse = (errs: FieldError[]) => { dispatch({ type: 'errors', errors: byField(errs) }); shell.notify('error', formRefusal(errs)); };
  const run = async (what: string, fn: () => Promise<string>, after?: () => void) => {
    setBusy(what);
    try {
      shell.notify('success', await fn());
      after?.();
    } catch (e) {
      const errs = fieldErrorsOf(e);
      if (errs && dialog) refuse(errs); else shell.notify(...errorNotice(e));
    } finally {
      setBusy(undefined);
      void reload();
    }
  };
  const v = form.values;
  const submit = () => {
    const close = () => setDialog(undefined);
    switch (dialog) {
      case 'timezone': return run('Setting the time zone…', async () => { await sys.setTimezone(v.timezone ?? ''); return `Time zone: ${v.timezone}`; }, close);
      case 'ntp': return run('Setting the NTP servers…', async () => { const r = await sys.setNtpServers([v.servers ?? '']); return `NTP servers set${r.live ? ' (chronyd uses them now)' : ' (chronyd is not running: used when it starts)'}`; }, close);
      case 'clock': return run('Setting the clock…', async () => { await sys.setTime(v.time ?? ''); return `Clock set to ${v.time} UTC`; }, close);
      case 'ssh': return run('Applying the SSH settings…', async () => { const r = await sys.setSsh({ port: v.port, passwordLogin: v.passwordLogin, rootLogin: v.rootLogin }); return `SSH: port ${r.settings.port}, password login ${r.settings.passwordLogin ? 'on' : 'off'}, root login ${r.settings.rootLogin} (sshd ${r.daemon})`; }, close);
      case 'key': return run('Adding the key…', async () => { const k = await sys.addSshKey(v.key ?? ''); return `Authorized ${k.fingerprint} (${k.type}) for root`; }, close);
      case 'password':
        if ((v.password ?? '') !== (v.again ?? '')) { refuse([{ field: 'again', message: 'again: the two entries differ' }]); return undefined; }
        return run('Setting the root password…', async () => { await sys.setRootPassword(v.password ?? ''); return 'Root password set'; }, close);
      case 'syslog': return run('Applying remote logging…', async () => { const r = await sys.setSyslog(v.target ?? ''); return `Remote logging: ${v.target}${r.daemon === 'not running' ? ' (rsyslogd is not running: used when it starts)' : ''}`; }, close);
      case 'keyboard': return run('Setting the keyboard layout…', async () => `Keyboard layout ${v.layout}: ${await sys.setKeyboard(v.layout ?? '', v.variant ?? '')}`, close);
      case 'netconsole': return run('Setting netconsole…', async () => { await sys.setNetconsole(v.target ?? '', v.device); return v.target === 'off' ? 'netconsole off' : `Kernel messages go to ${v.target}`; }, close);
      case 'locale': return run('Setting the locale…', async () => { await sys.setLocale(v.locale ?? ''); return `Locale: ${v.locale} (new logins take it)`; }, close);
      default: return undefined;
    }
  };

  const ntpOn = time?.ntp.running ?? false;
  const list = !dialog;
  const formIdle = !!dialog && !form.editing && !busy;
  const why = (action: Parameters<typeof shell.core.whyNot>[0], extra?: string) => (busy ? `busy: ${busy}` : shell.core.whyNot(action) ?? extra);
  const sshBroken = ssh && typeof ssh.settings === 'string' ? ssh.settings : undefined;
  const bindings: Binding[] = [
    ...(list ? nav : []),
    bind(K.timezone, { when: list, disabledReason: why('system.timezone-set'), action: () => open('timezone') }),
    bind(K.ntpServers, { when: list, disabledReason: why('system.ntp-set', time && !time.ntp.installed ? 'chrony is not installed' : undefined), action: () => open('ntp') }),
    bind(K.ntpToggle, {
      when: list, disabledReason: why('system.ntp-toggle', time && !time.ntp.installed ? 'chrony is not installed' : undefined),
      description: ntpOn ? 'Turn NTP off' : 'Turn NTP on', confirm: ntpOn ? 'Turn NTP off? chronyd stops and the clock is no longer kept in time.' : 'Turn NTP on? chronyd starts and may step the clock.',
      action: () => run(`Turning NTP ${ntpOn ? 'off' : 'on'}…`, async () => { await sys.setNtp(!ntpOn); return `NTP ${ntpOn ? 'off' : 'on'}`; }),
    }),
    bind(K.clock, { when: list, disabledReason: why('system.time-set', ntpOn ? 'NTP is on: the clock is set by hand only while NTP is off (o turns it off)' : undefined), action: () => open('clock') }),
    bind(K.ssh, { when: list, disabledReason: why('system.ssh-set', sshBroken), action: () => open('ssh') }),
    bind(K.addKey, { when: list, disabledReason: why('system.ssh-key-add'), action: () => open('key') }),
    bind(K.removeKey, {
      when: list, disabledReason: why('system.ssh-key-remove', sel ? undefined : 'no key selected'),
      confirm: sel ? `Remove root's key ${sel.fingerprint}${sel.comment ? ` (${sel.comment})` : ''}? Whoever logs in with it is locked out.` : undefined,
      action: () => run('Removing the key…', async () => { await sys.removeSshKey(sel!.fingerprint); return `Removed ${sel!.fingerprint}`; }),
    }),
    bind(K.password, { when: list, disabledReason: why('system.root-password'), action: () => open('password') }),
    bind(K.syslog, { when: list, disabledReason: why('system.syslog-set', syslog && !syslog.installed ? 'rsyslog is not installed' : undefined), action: () => open('syslog') }),
    bind(K.syslogTest, {
      when: list, disabledReason: why('system.syslog-test', syslog?.forward ? undefined : 'remote logging is off'),
      action: () => run('Sending a test message…', async () => `Sent: ${await sys.testSyslog()}`),
    }),
    bind(K.keyboard, { when: list, disabledReason: why('system.keyboard-set'), action: () => open('keyboard') }),
    bind(K.locale, { when: list, disabledReason: why('system.locale-set'), action: () => open('locale') }),
    bind(K.netconsole, { when: list, disabledReason: why('system.netconsole-set'), action: () => open('netconsole') }),
    bind(K.netconsoleTest, {
      when: list, disabledReason: why('system.netconsole-test', con?.netconsole?.enabled ? undefined : 'netconsole is off'),
      action: () => run('Sending a netconsole test message…', async () => `Sent: ${await sys.testNetconsole()}`),
    }),
    bind(K.refresh, { when: list, action: reload }),
    bind(K.editField, { when: formIdle, action: () => { const f = fields[form.focus]; if (!f) return; if (f.choices) cycle(); else { dispatch({ type: 'edit', id: f.id }); shell.setCapture(true); } } }),
    bind(K.nextChoice, { when: formIdle && Boolean(fields[form.focus]?.choices), action: cycle }),
    bind(K.nextField, { when: formIdle, footer: false, action: () => dispatch({ type: 'move', delta: 1, count: fields.length }) }),
    bind(K.previousField, { when: formIdle, footer: false, action: () => dispatch({ type: 'move', delta: -1, count: fields.length }) }),
    bind(K.submit, { when: formIdle, disabledReason: dialog ? shell.core.whyNot(DIALOGS[dialog].action) : undefined, action: submit }),
    bind(K.back, { when: formIdle, action: async () => { if (await mayDiscard(shell, hasInput(form), 'what was entered in the form')) setDialog(undefined); } }),
  ];
  useBindings(bindings);

  // The zone, layout and locale forms list what matches the first field as it is typed.
  const searchField = dialog === 'timezone' ? 'timezone' : dialog === 'keyboard' ? 'layout' : dialog === 'locale' ? 'locale' : undefined;
  const zoneQuery = searchField ? (form.editing && form.focus === 0 ? form.draft : v[searchField] ?? '').trim().toLowerCase() : '';
  const matches = useMemo(() => (zoneQuery ? zones.filter((z) => z.toLowerCase().includes(zoneQuery)) : zones), [zones, zoneQuery]);
  const w = shell.size.columns - 2;

  const row = (label: string, value: string, role?: 'warn' | 'error' | 'ok' | 'dim') => (
    <Box key={label}><Box width={18} flexShrink={0}><Text {...tone(t, 'dim')}>{label}</Text></Box><Text wrap="truncate" {...(role ? tone(t, role) : {})}>{value}</Text></Box>
  );

  return (
    <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
      <Text bold {...tone(t, 'accent')}>System</Text>
      {error ? <Text {...tone(t, 'error')} wrap="truncate">Cannot read the settings: {error}</Text> : null}
      {dialog ? (
        <Box flexDirection="column">
          <Text bold wrap="truncate">{DIALOGS[dialog].title}</Text>
          {fields.map((f, i) => {
            const focused = i === form.focus;
            const raw = focused && form.editing ? form.draft : v[f.id] ?? '';
            const shown = f.secret ? '*'.repeat(raw.length) : f.choices ? `‹ ${raw || f.choices[0]} ›` : raw;
            return <FieldRow key={f.id} label={f.label} labelWidth={16} focused={focused} editing={focused && form.editing} value={shown} placeholder={f.placeholder}
              hint={f.choices && focused && !form.editing ? `(space: ${f.choices.join('/')})` : undefined} error={form.errors[f.id]} />;
          })}
          {searchField ? (
            <Box flexDirection="column" marginTop={1}>
              <Text {...tone(t, 'dim')}>{matches.length} {dialog === 'timezone' ? 'zone' : dialog === 'keyboard' ? 'layout' : 'locale'}{matches.length === 1 ? '' : 's'} match{zones.length ? '' : ' (reading the list…)'}</Text>
              {matches.slice(0, ZONES_SHOWN).map((z) => <Text key={z} wrap="truncate">  {z}</Text>)}
            </Box>
          ) : null}
          <Text {...tone(t, 'dim')}>Enter edits a field (or takes the next choice), space cycles a choice, s applies, Esc cancels.</Text>
        </Box>
      ) : (
        <Box flexDirection="column" width={w}>
          <Text bold>Time</Text>
          {time ? [
            row('Time zone', time.timezone),
            row('Clock (UTC)', time.now),
            row('NTP', time.ntp.running ? 'on (chronyd running)' : 'off', time.ntp.running ? 'ok' : 'warn'),
            row('NTP servers', time.ntp.servers.join(', ') || '-'),
            ...(time.ntp.tracking ? [row('Sync', `${time.ntp.tracking.synchronised ? `synchronised to ${time.ntp.tracking.reference}` : 'not synchronised'}, offset ${formatOffset(time.ntp.tracking.offsetS)}, stratum ${time.ntp.tracking.stratum}`, time.ntp.tracking.synchronised ? 'ok' : 'warn')] : []),
            ...time.ntp.sources.map((s) => row(`  ${s.name}`, `${s.state}, stratum ${s.stratum}, reach ${s.reach.toString(8)}, offset ${formatOffset(s.offsetS)} ± ${formatOffset(s.errorS).slice(1)}`, s.state === 'selected' ? 'ok' : s.state === 'unreachable' ? 'warn' : undefined)),
            ...(time.ntp.note ? [row('Note', time.ntp.note, 'warn')] : []),
          ] : <Text {...tone(t, 'dim')}>Reading the time settings…</Text>}
          <Text bold>SSH</Text>
          {ssh ? [
            row('sshd', `${ssh.running ? 'running' : 'not running'}, at boot: ${ssh.boot}`, ssh.running ? 'ok' : 'warn'),
            ...(typeof ssh.settings === 'string' ? [row('Settings', `cannot be read here: ${ssh.settings}`, 'warn')]
              : [row('Port', String(ssh.settings.port)), row('Password login', ssh.settings.passwordLogin ? 'on' : 'off'), row('Root login', ssh.settings.rootLogin)]),
            row("Root's keys", keys.length ? `${keys.length} (↑/↓ selects, x removes, a adds)` : 'none (a adds one)'),
            ...keys.map((k) => (
              <Text key={k.fingerprint} wrap="truncate" {...(k.fingerprint === selected ? { inverse: true } : {})}>{`  ${k.fingerprint}  ${k.type} ${k.bits}  ${k.comment}`}</Text>
            )),
          ] : <Text {...tone(t, 'dim')}>Reading the SSH settings…</Text>}
          <Text bold>Remote logging</Text>
          {syslog ? row('Forward to', !syslog.installed ? 'rsyslog is not installed' : syslog.forward ? forwardText(syslog.forward) : 'off', syslog.installed ? undefined : 'warn') : null}
          <Text bold>Console</Text>
          {con ? [
            row('Keyboard', `${con.keyboard.layout}${con.keyboard.variant ? ` (${con.keyboard.variant})` : ''}${con.keyboard.configured ? '' : ' (keyboard-configuration not set up)'}`),
            row('Locale', con.locale.lang),
            row('netconsole', con.netconsole ? `${con.netconsole.enabled ? 'on' : 'off'}: ${con.netconsole.remoteIp}:${con.netconsole.remotePort} from ${con.netconsole.device}` : 'off'),
            row('kdump', con.kdump.supported ? `${con.kdump.enabled ? 'on' : 'off'}, ${formatBytes(con.kdump.reservedBytes)} reserved` : `not supported here: ${con.kdump.reason}`, con.kdump.supported ? undefined : 'dim'),
          ] : null}
        </Box>
      )}
      {busy ? <Text {...tone(t, 'warn')}>{busy}</Text> : null}
    </Box>
  );
}
