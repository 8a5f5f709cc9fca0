// hostdeck system …: the node's own settings (time zone, NTP, clock, SSH,
// root password, remote logging). Values a user types are checked by the
// core; a field error is named by its option (--port) or argument (ZONE).
import type { FieldError } from '../domain/errors.ts';
import { formatOffset } from '../domain/system/time.ts';
import { ROOT_LOGIN_POLICIES } from '../domain/system/ssh.ts';
import { forwardText } from '../domain/system/syslog.ts';
import { formatBytes } from '../domain/size.ts';
import type { SshStatus, TimeStatus } from '../core/system-settings.ts';
import { CommandError, printTable, problem, type Command, type CommandContext } from './registry.ts';
import { positional, tooMany, confirm } from './storage-domain.ts';
import { guard, reply, show, str, YES } from './manager.ts';
import { hiddenPrompt, readStdinLines } from './storage-connection.ts';

const ARG: Record<string, string> = { timezone: 'ZONE', servers: 'SERVER', time: 'TIME', key: 'KEY', fingerprint: 'FINGERPRINT', target: 'TARGET', layout: 'LAYOUT', variant: 'VARIANT', locale: 'LOCALE' };

const message = (e: FieldError) => {
  const arg = ARG[e.field];
  if (e.field === 'device') return `--${e.message}`;
  if (arg) return e.message.replace(new RegExp(`^${e.field}: `), `${arg}: `);
  return e.field === 'password' ? e.message : `--${e.message}`;
};
const run = <T>(fn: () => Promise<T>) => guard(fn, message);

function timeLines(t: TimeStatus): [string, string][] {
  const rows: [string, string][] = [['time zone', t.timezone], ['clock (UTC)', t.now], ['ntp', t.ntp.running ? 'on (chronyd running)' : 'off'], ['ntp servers', t.ntp.servers.join(', ') || '-']];
  if (t.ntp.tracking) rows.push(['sync', `${t.ntp.tracking.synchronised ? `synchronised to ${t.ntp.tracking.reference}` : 'not synchronised'}, offset ${formatOffset(t.ntp.tracking.offsetS)}`]);
  for (const s of t.ntp.sources) rows.push([`  source`, `${s.name} ${s.state}, stratum ${s.stratum}, offset ${formatOffset(s.offsetS)}`]);
  if (t.ntp.note) rows.push(['note', t.ntp.note]);
  return rows;
}

function sshLines(s: SshStatus): [string, string][] {
  const rows: [string, string][] = [['sshd', s.running ? 'running' : 'not running'], ['at boot', s.boot]];
  if (typeof s.settings === 'string') rows.push(['settings', s.settings]);
  else rows.push(['port', String(s.settings.port)], ['password login', s.settings.passwordLogin ? 'on' : 'off'], ['root login', s.settings.rootLogin]);
  rows.push(['root keys', String(s.keys.length)]);
  return rows;
}

/** A list the user narrows with --search, one entry a line. */
const searchable = (verb: string, summary: string, searchHelp: string, list: (ctx: CommandContext, search?: string) => Promise<string[]>): Command => ({
  noun: 'system', verb, summary, options: { search: { type: 'string', description: searchHelp, value: 'TEXT' } },
  async run(ctx) {
    tooMany(ctx, 0);
    const rows = await run(() => list(ctx, str(ctx, 'search')));
    return reply(ctx, rows, rows.join('\n'));
  },
});
/** `hostdeck system VERB on|off`. */
const onOff = (verb: string, what: string, summary: string, set: (ctx: CommandContext, on: boolean) => Promise<void>): Command => ({
  noun: 'system', verb, usage: 'on|off', summary,
  async run(ctx) {
    tooMany(ctx, 1);
    const v = positional(ctx, 0, 'on|off', 'on or off');
    if (v !== 'on' && v !== 'off') throw new CommandError(`on|off: ${JSON.stringify(v.slice(0, 20))} is not on or off`, 2);
    await run(() => set(ctx, v === 'on'));
    return reply(ctx, { [verb]: v }, `${what} ${v}`);
  },
});
const noArgs = (noun: string, verb: string, summary: string, fn: (ctx: CommandContext) => Promise<number>): Command => ({ noun, verb, summary, async run(ctx) { tooMany(ctx, 0); return fn(ctx); } });

export const systemCommands: Command[] = [
  noArgs('system', 'show', 'The node\'s system settings: time zone, clock, NTP sources and sync, SSH, remote logging', async (ctx) => {
    const [time, ssh, syslog, con] = await run(() => Promise.all([ctx.core.system.time(), ctx.core.system.ssh(), ctx.core.system.syslog(), ctx.core.system.console()]));
    if (ctx.json) return reply(ctx, { time, ssh, syslog, console: con }, '');
    show(ctx, [...timeLines(time), ...sshLines(ssh), ['remote log', syslog.installed ? (syslog.forward ? forwardText(syslog.forward) : 'off') : 'rsyslog is not installed'],
      ['keyboard', `${con.keyboard.layout}${con.keyboard.variant ? ` (${con.keyboard.variant})` : ''}${con.keyboard.configured ? '' : ' (keyboard-configuration not set up)'}`], ['locale', con.locale.lang],
      ['kdump', con.kdump.supported ? `${con.kdump.enabled ? 'on' : 'off'}, ${formatBytes(con.kdump.reservedBytes)} reserved` : `not supported here: ${con.kdump.reason}`],
      ['netconsole', con.netconsole ? `${con.netconsole.enabled ? 'on' : 'off'}: ${con.netconsole.remoteIp}:${con.netconsole.remotePort} from ${con.netconsole.device}` : 'off']]);
    return 0;
  }),
  searchable('timezones', 'The time zones of the tz database', 'Only zones containing this text (any case)', (ctx, search) => ctx.core.system.timezones(search)),
  {
    noun: 'system', verb: 'timezone-set', usage: 'ZONE', summary: 'Set the time zone (a tz database name: hostdeck system timezones)',
    async run(ctx) {
      tooMany(ctx, 1);
      const zone = positional(ctx, 0, 'ZONE', 'a tz database name such as Europe/Paris');
      await run(() => ctx.core.system.setTimezone(zone));
      return reply(ctx, { timezone: zone }, `Time zone: ${zone}`);
    },
  },
  {
    noun: 'system', verb: 'ntp-set', usage: 'SERVER...', summary: 'Set the NTP servers of chrony (its configuration file; a running chronyd takes them at once)',
    async run(ctx) {
      const servers = ctx.positionals;
      const r = await run(() => ctx.core.system.setNtpServers(servers));
      return reply(ctx, { servers, live: r.live }, `NTP servers: ${servers.join(', ')}${r.live ? '' : ' (chronyd is not running: used when it starts)'}`);
    },
  },
  onOff('ntp', 'NTP', 'Turn NTP (chronyd) on or off, now and at boot (systemd)', (ctx, on) => ctx.core.system.setNtp(on)),
  {
    noun: 'system', verb: 'time-set', usage: 'TIME', summary: 'Set the clock by hand (YYYY-MM-DD HH:MM[:SS] in UTC); only while NTP is off',
    async run(ctx) {
      tooMany(ctx, 1);
      const time = positional(ctx, 0, 'TIME', 'YYYY-MM-DD HH:MM[:SS] in UTC');
      await run(() => ctx.core.system.setTime(time));
      return reply(ctx, { time }, `Clock set to ${time} UTC`);
    },
  },
  {
    noun: 'system', verb: 'ssh-set', summary: "Set sshd's port, password login and root login policy (a drop-in checked by sshd -t; refused ones leave the previous)",
    options: {
      port: { type: 'string', description: 'The TCP port sshd listens on (1-65535)', value: 'PORT' },
      'password-login': { type: 'string', description: 'Password login on or off', value: 'on|off' },
      'root-login': { type: 'string', description: `Root login policy: ${ROOT_LOGIN_POLICIES.join(', ')}`, value: 'POLICY' },
    },
    async run(ctx) {
      tooMany(ctx, 0);
      const input = { port: str(ctx, 'port'), passwordLogin: str(ctx, 'password-login'), rootLogin: str(ctx, 'root-login') };
      if (Object.values(input).every((v) => v === undefined)) throw new CommandError('ssh-set: give --port, --password-login or --root-login', 2);
      const r = await run(() => ctx.core.system.setSsh(input));
      return reply(ctx, r, `SSH: port ${r.settings.port}, password login ${r.settings.passwordLogin ? 'on' : 'off'}, root login ${r.settings.rootLogin} (sshd ${r.daemon})`);
    },
  },
  {
    noun: 'system', verb: 'ssh-service', usage: 'start|stop|enable|disable', summary: 'Start or stop sshd, enable or disable it at boot (systemd)', options: YES,
    async run(ctx) {
      tooMany(ctx, 1);
      const v = positional(ctx, 0, 'start|stop|enable|disable', 'start, stop, enable or disable');
      if (!['start', 'stop', 'enable', 'disable'].includes(v)) throw new CommandError(`start|stop|enable|disable: ${JSON.stringify(v.slice(0, 20))} is not start, stop, enable or disable`, 2);
      if ((v === 'stop' || v === 'disable') && !(await confirm(ctx, `${v} sshd? Remote sessions may be cut off`))) return 1;
      await run(() => ctx.core.system.sshService(v as 'start'));
      return reply(ctx, { ssh: v }, `sshd: ${v}`);
    },
  },
  noArgs('system', 'ssh-keys', "Root's authorized SSH keys with their fingerprints", async (ctx) => {
    const s = await run(() => ctx.core.system.ssh());
    if (!s.keys.length && !ctx.json) { ctx.out('Root has no authorized SSH keys.'); return 0; }
    printTable(ctx, s.keys.map((k) => ({ fingerprint: k.fingerprint, type: k.type, bits: k.bits, comment: k.comment })), ['fingerprint', 'type', 'bits', 'comment'], s.keys);
    return 0;
  }),
  {
    noun: 'system', verb: 'ssh-key-add', usage: 'KEY', summary: "Authorize a public key for root (one authorized_keys line: [options] TYPE BASE64 [comment])",
    async run(ctx) {
      tooMany(ctx, 1);
      const line = positional(ctx, 0, 'KEY', 'a public key line, e.g. "ssh-ed25519 AAAA… user@host"');
      const k = await run(() => ctx.core.system.addSshKey(line));
      return reply(ctx, k, `Authorized ${k.fingerprint} (${k.type}, ${k.bits} bits) for root`);
    },
  },
  {
    noun: 'system', verb: 'ssh-key-remove', usage: 'FINGERPRINT', summary: "Remove one of root's authorized keys (its fingerprint: hostdeck system ssh-keys)", options: YES,
    async run(ctx) {
      tooMany(ctx, 1);
      const fp = positional(ctx, 0, 'FINGERPRINT', 'SHA256:… as hostdeck system ssh-keys lists it');
      if (!(await confirm(ctx, `Remove root's key ${fp}?`))) return 1;
      await run(() => ctx.core.system.removeSshKey(fp));
      return reply(ctx, { removed: fp }, `Removed ${fp}`);
    },
  },
  {
    noun: 'system', verb: 'root-password', summary: 'Set the root password (asked on the terminal, or the first line of standard input; never on the command line)',
    options: { 'password-stdin': { type: 'boolean', description: 'Read the password from the first line of standard input' } },
    async run(ctx) {
      tooMany(ctx, 0);
      let password: string;
      if (ctx.options['password-stdin']) password = (await readStdinLines())[0] ?? '';
      else {
        if (!ctx.interactive) throw new CommandError('password: is needed; give it on standard input with --password-stdin (no terminal to ask on)', 2);
        password = (await hiddenPrompt('New root password (not shown): ')) ?? '';
        const again = (await hiddenPrompt('Again: ')) ?? '';
        if (again !== password) throw new CommandError('password: the two entries differ', 2);
      }
      await run(() => ctx.core.system.setRootPassword(password));
      return reply(ctx, { root: 'password set' }, 'Root password set');
    },
  },
  {
    noun: 'system', verb: 'syslog-set', usage: 'TARGET', summary: 'Forward the system log to a remote syslog server: udp://HOST[:PORT], tcp://HOST[:PORT], or off (rsyslog)',
    async run(ctx) {
      tooMany(ctx, 1);
      const target = positional(ctx, 0, 'TARGET', 'udp://HOST[:PORT], tcp://HOST[:PORT] or off');
      const r = await run(() => ctx.core.system.setSyslog(target));
      if (r.daemon === 'not running') problem(ctx, 'rsyslogd is not running: the setting is used when it starts');
      return reply(ctx, { target, daemon: r.daemon }, target === 'off' ? 'Remote logging off' : `Forwarding the system log to ${target}`);
    },
  },
  searchable('keyboard-layouts', 'The keyboard layouts the console can take (XKB)', 'Only layouts whose name or description contains this text (any case)', (ctx, search) => ctx.core.system.keyboardLayouts(search)),
  {
    noun: 'system', verb: 'keyboard-set', usage: 'LAYOUT [VARIANT]', summary: "Set the console's keyboard layout (/etc/default/keyboard; the console takes it through setupcon where console-setup is installed)",
    async run(ctx) {
      tooMany(ctx, 2);
      const layout = positional(ctx, 0, 'LAYOUT', 'an XKB layout such as us, de or fr');
      const r = await run(() => ctx.core.system.setKeyboard(layout, ctx.positionals[1]?.trim() ?? ''));
      return reply(ctx, { layout, variant: ctx.positionals[1] ?? '', result: r }, `Keyboard layout ${layout}: ${r}`);
    },
  },
  {
    noun: 'system', verb: 'locale-set', usage: 'LOCALE', summary: 'Set the system locale (LANG in /etc/default/locale; one that locale -a lists)',
    async run(ctx) {
      tooMany(ctx, 1);
      const locale = positional(ctx, 0, 'LOCALE', 'a locale such as C.UTF-8 (locale -a)');
      await run(() => ctx.core.system.setLocale(locale));
      return reply(ctx, { locale }, `Locale: ${locale} (new logins take it)`);
    },
  },
  onOff('kdump', 'kdump', 'Turn kdump on or off (kdump-tools; needs crash kernel memory reserved by crashkernel=)', (ctx, on) => ctx.core.system.setKdump(on)),
  {
    noun: 'system', verb: 'netconsole-set', usage: 'TARGET', summary: "Send the kernel's messages over UDP to IP[:PORT] (port 6666) from a NIC (netconsole), or off",
    options: { device: { type: 'string', description: 'The NIC the messages leave from (it needs an address)', value: 'NIC' } },
    async run(ctx) {
      tooMany(ctx, 1);
      const target = positional(ctx, 0, 'TARGET', 'IP[:PORT] or off');
      await run(() => ctx.core.system.setNetconsole(target, str(ctx, 'device')));
      return reply(ctx, { target, device: str(ctx, 'device') }, target === 'off' ? 'netconsole off' : `Kernel messages go to ${target}`);
    },
  },
  noArgs('system', 'netconsole-test', 'Write a kernel message that the netconsole target should receive', async (ctx) => {
    const text = await run(() => ctx.core.system.testNetconsole());
    return reply(ctx, { message: text }, `Sent: ${text}`);
  }),
  noArgs('system', 'syslog-test', 'Log a test message that the remote syslog server should receive', async (ctx) => {
    const text = await run(() => ctx.core.system.testSyslog());
    return reply(ctx, { message: text }, `Sent: ${text}`);
  }),
];
