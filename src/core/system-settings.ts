// System settings of the node (the System screen, `hostdeck system …`): the
// time zone, NTP servers through chrony and a manual time, sshd's settings
// and root's authorized keys, the root password, remote logging through
// rsyslog. Every change is checked before anything runs, goes through the
// door (evented, refused in read-only mode) and changes a configuration file
// the safe way (src/host/system/config-file.ts). The OS is reached through a
// Target: this machine's runner here, a test host's in system tests.
import { InvalidInputError, NotFoundError, WrongStateError, type FieldError } from '../domain/errors.ts';
import { manualTimeInput, ntpServersInput, timezoneSyntaxProblem, type NtpSource, type NtpTracking } from '../domain/system/time.ts';
import { parseAuthorizedKey, sshSettingsInput, authorizedKeyLine, type SshSettings, type SshSettingsInput } from '../domain/system/ssh.ts';
import { passwordProblem } from '../domain/system/password.ts';
import { forwardInput, forwardText, type SyslogForward } from '../domain/system/syslog.ts';
import { keyboardInput, localeInput, type KdumpState } from '../domain/system/console.ts';
import { netconsoleInput, type Netconsole } from '../domain/system/netconsole.ts';
import { run as runProgram } from '../exec/runner.ts';
import { Target } from '../host/net/target.ts';
import { bootState, CHRONYD, control, hasSystemd, isRunning, SSHD } from '../host/system/daemons.ts';
import { readNtp, readTimezone, readZones, writeNtpServers, writeTime, writeTimezone } from '../host/system/time.ts';
import { fingerprintOf, readAuthorizedKeys, readSshSettings, writeAuthorizedKeys, writePassword, writeSshSettings, type KeyEntry } from '../host/system/ssh.ts';
import { readForward, sendTestMessage, writeForward } from '../host/system/syslog.ts';
import { readKdump, readKeyboard, readLayouts, readLocale, writeKdump, writeKeyboard, writeLocale } from '../host/system/console.ts';
import { readNetconsole, sendNetconsoleTest, writeNetconsole } from '../host/system/netconsole.ts';
import type { CoreContext } from './index.ts';

export type { KdumpState, KeyEntry, Netconsole, NtpSource, NtpTracking, SshSettings, SyslogForward };

export interface ConsoleStatus {
  keyboard: { layout: string; variant: string; configured: boolean };
  locale: { lang: string; available: string[] };
  kdump: KdumpState;
  /** The kernel's messages sent over UDP (netconsole), when set. */
  netconsole?: Netconsole & { enabled: boolean };
}

export interface TimeStatus {
  timezone: string;
  /** The host's clock now, ISO in UTC. */
  now: string;
  ntp: {
    installed: boolean;
    running: boolean;
    servers: string[];
    sources: NtpSource[];
    tracking?: NtpTracking;
    /** Why something cannot be shown or done here (not installed, not running). */
    note?: string;
  };
}

export interface SshStatus {
  /** sshd's effective settings, or why they cannot be read. */
  settings: SshSettings | string;
  running: boolean;
  boot: string;
  keys: KeyEntry[];
}

export interface SystemSettingsUseCases {
  time(): Promise<TimeStatus>;
  /** Zone names of the tz database, those containing `search` (any case) when given. */
  timezones(search?: string): Promise<string[]>;
  setTimezone(name: string): Promise<void>;
  setNtpServers(servers: readonly string[]): Promise<{ live: boolean }>;
  /** NTP on (chronyd started and enabled) or off: through systemd only. */
  setNtp(on: boolean): Promise<void>;
  /** The clock set by hand: only while NTP is off. */
  setTime(utc: string): Promise<void>;
  ssh(): Promise<SshStatus>;
  setSsh(input: SshSettingsInput): Promise<{ settings: SshSettings; daemon: string }>;
  /** sshd started or stopped, enabled or disabled at boot: through systemd only. */
  sshService(verb: 'start' | 'stop' | 'enable' | 'disable'): Promise<void>;
  addSshKey(line: string): Promise<KeyEntry>;
  /** Remove the key with this fingerprint (SHA256:…). */
  removeSshKey(fingerprint: string): Promise<void>;
  setRootPassword(password: string): Promise<void>;
  syslog(): Promise<{ forward?: SyslogForward; installed: boolean }>;
  /** Forward to udp://HOST[:PORT] or tcp://HOST[:PORT], or 'off'. */
  setSyslog(target: string): Promise<{ daemon: string }>;
  /** Log a test line that the remote server should receive; returns its text. */
  testSyslog(): Promise<string>;
  /** The console's keyboard layout, the locale and kdump's state (or why kdump is not supported here). */
  console(): Promise<ConsoleStatus>;
  /** XKB layouts (`layout  description`), those containing `search` when given. */
  keyboardLayouts(search?: string): Promise<string[]>;
  /** Set the console's keyboard layout; returns whether the console took it now or why not. */
  setKeyboard(layout: string, variant?: string): Promise<string>;
  setLocale(name: string): Promise<void>;
  /** kdump on or off where it can work (kdump-tools installed, crash kernel memory reserved); refused saying why elsewhere. */
  setKdump(on: boolean): Promise<void>;
  /** Send kernel messages to IP[:PORT] from a NIC (netconsole), or 'off'. */
  setNetconsole(target: string, device?: string): Promise<void>;
  /** Write a kernel message that the netconsole target should receive; returns its text. */
  testNetconsole(): Promise<string>;
}

const invalid = (errors: FieldError[]) => new InvalidInputError(errors);
const noSystemd = (what: string) => new WrongStateError(`${what}: this host does not run systemd, so hostdeck cannot start, stop, enable or disable services here`);

export function createSystemSettingsUseCases(ctx: CoreContext, target: Target = new Target({ run: runProgram })): SystemSettingsUseCases {
  const t = target;
  let systemd: Promise<boolean> | undefined;
  const isSystemd = () => (systemd ??= hasSystemd(t));
  const door = {
    act: <T>(id: Parameters<CoreContext['door']['act']>[0], object: string, message: string, fn: () => Promise<T>) => ctx.door.act(id, { id: object }, { message }, fn),
  };

  const ntpRunning = async () => (await t.run('chronyc', ['-c', 'tracking'], { timeoutMs: 5000 })).exitCode === 0;

  const checkZone = async (name: string) => {
    const e = timezoneSyntaxProblem(name);
    if (e) throw invalid([e]);
    const zones = await readZones(t);
    if (!zones.includes(name)) throw invalid([{ field: 'timezone', message: `timezone: ${name} is not in the tz database (${zones.length ? '/usr/share/zoneinfo/tzdata.zi' : 'tzdata is not installed'})` }]);
  };

  const sshUsable = async (): Promise<SshSettings> => {
    const s = await readSshSettings(t);
    if (typeof s === 'string') throw new WrongStateError(`SSH settings cannot be changed here: ${s}`);
    return s;
  };

  return {
    async time() {
      const [timezone, ntp, now] = await Promise.all([readTimezone(t), readNtp(t), t.run('date', ['-u', '+%Y-%m-%dT%H:%M:%SZ'])]);
      const note = !ntp.installed ? 'chrony is not installed: NTP servers cannot be set here' : !ntp.running ? 'chronyd is not running (NTP off): servers are used when it starts; the time can be set by hand' : undefined;
      return { timezone, now: now.stdout.trim(), ntp: { ...ntp, ...(note ? { note } : {}) } };
    },
    async timezones(search) {
      const zones = await readZones(t);
      const s = search?.trim().toLowerCase();
      return s ? zones.filter((z) => z.toLowerCase().includes(s)) : zones;
    },
    async setTimezone(name) {
      await checkZone(name);
      await door.act('system.timezone-set', 'timezone', `Set the time zone to ${name}`, () => writeTimezone(t, name));
    },
    async setNtpServers(raw) {
      const { servers, errors } = ntpServersInput(raw);
      if (errors.length) throw invalid(errors);
      const ntp = await readNtp(t);
      if (!ntp.installed) throw new WrongStateError('NTP servers cannot be set here: chrony is not installed');
      return door.act('system.ntp-set', 'ntp', `Set the NTP servers to ${servers.join(', ')}`, () => writeNtpServers(t, servers));
    },
    async setNtp(on) {
      await door.act('system.ntp-toggle', 'ntp', `Turn NTP ${on ? 'on' : 'off'}`, async () => {
        if (!(await isSystemd())) throw noSystemd(`NTP ${on ? 'on' : 'off'}`);
        for (const verb of on ? ['enable', 'start'] as const : ['stop', 'disable'] as const) await control(t, CHRONYD, verb);
      });
    },
    async setTime(raw) {
      const v = manualTimeInput(raw);
      if (v.error) throw invalid([v.error]);
      if (await ntpRunning()) throw new WrongStateError('time: the time is set by hand only while NTP is off (chronyd is running and would step the clock back): turn NTP off first (hostdeck system ntp off)');
      await door.act('system.time-set', 'clock', `Set the clock to ${v.value} UTC`, () => writeTime(t, v.value!));
    },
    async ssh() {
      const sd = await isSystemd();
      const [settings, running, boot, keys] = await Promise.all([readSshSettings(t), isRunning(t, SSHD, sd), bootState(t, SSHD, sd), readAuthorizedKeys(t)]);
      return { settings, running, boot, keys: keys.keys };
    },
    async setSsh(input) {
      // The input's rules do not depend on the current settings: checked before sshd is asked anything.
      const checked = sshSettingsInput({ port: 22, passwordLogin: false, rootLogin: 'prohibit-password' }, input);
      if (checked.errors.length) throw invalid(checked.errors);
      const { settings } = sshSettingsInput(await sshUsable(), input);
      const words = `port ${settings.port}, password login ${settings.passwordLogin ? 'on' : 'off'}, root login ${settings.rootLogin}`;
      const daemon = await door.act('system.ssh-set', 'sshd', `Set SSH: ${words}`, async () => writeSshSettings(t, settings, await isSystemd()));
      return { settings, daemon };
    },
    async sshService(verb) {
      await door.act('system.ssh-service', 'sshd', `SSH service: ${verb}`, async () => {
        if (!(await isSystemd())) throw noSystemd(`SSH ${verb}`);
        await control(t, SSHD, verb);
      });
    },
    async addSshKey(line) {
      const { key, error } = parseAuthorizedKey(line);
      if (error) throw invalid([error]);
      const fingerprint = await fingerprintOf(t, key!);
      const { text, keys } = await readAuthorizedKeys(t);
      if (keys.some((k) => k.fingerprint === fingerprint)) throw invalid([{ field: 'key', message: `key: ${fingerprint} is already authorized for root` }]);
      const lines = text.split('\n').filter((l) => l.trim());
      await door.act('system.ssh-key-add', fingerprint, `Authorize SSH key ${fingerprint}${key!.comment ? ` (${key!.comment})` : ''} for root`, () => writeAuthorizedKeys(t, [...lines, authorizedKeyLine(key!)]));
      return { line: lines.length + 1, type: key!.type, bits: key!.bits, fingerprint, comment: key!.comment, options: key!.options };
    },
    async removeSshKey(fingerprint) {
      if (!/^(SHA256|MD5):\S+$/.test(fingerprint)) throw invalid([{ field: 'fingerprint', message: `fingerprint: ${JSON.stringify(fingerprint.slice(0, 60))} is not a key fingerprint (SHA256:… as listed by hostdeck system ssh-keys)` }]);
      const { text, keys } = await readAuthorizedKeys(t);
      const k = keys.find((x) => x.fingerprint === fingerprint);
      if (!k) throw new NotFoundError(`fingerprint: no key of root has fingerprint ${fingerprint}`);
      const lines = text.split('\n').filter((l, i) => l.trim() && i + 1 !== k.line);
      await door.act('system.ssh-key-remove', fingerprint, `Remove SSH key ${fingerprint} of root`, () => writeAuthorizedKeys(t, lines));
    },
    async setRootPassword(password) {
      const e = passwordProblem(password, 'root');
      if (e) throw invalid([e]);
      await door.act('system.root-password', 'root', 'Set the root password', () => writePassword(t, 'root', password));
    },
    async syslog() {
      const [forward, rsyslogd] = await Promise.all([readForward(t), t.run('rsyslogd', ['-v'])]);
      return { ...(forward ? { forward } : {}), installed: !rsyslogd.spawnError && rsyslogd.exitCode !== 127 };
    },
    async setSyslog(raw) {
      const f = forwardInput(raw);
      if (f.error) throw invalid([f.error]);
      const probe = await t.run('rsyslogd', ['-v']);
      if (probe.spawnError || probe.exitCode === 127) throw new WrongStateError('Remote logging cannot be set here: rsyslog is not installed');
      const what = f.forward ? `Forward the system log to ${forwardText(f.forward)}` : 'Stop forwarding the system log';
      const daemon = await door.act('system.syslog-set', 'syslog', what, async () => writeForward(t, f.forward, await isSystemd()));
      return { daemon };
    },
    async testSyslog() {
      const forward = await readForward(t);
      if (!forward) throw new WrongStateError('Remote logging is off: set a server first (hostdeck system syslog-set TARGET)');
      const text = `hostdeck remote logging test ${new Date().toISOString()} ${Math.random().toString(36).slice(2, 10)}`;
      await door.act('system.syslog-test', 'syslog', `Send a test message to ${forwardText(forward)}`, () => sendTestMessage(t, text));
      return text;
    },
    async console() {
      const [keyboard, locale, kdump, netconsole] = await Promise.all([readKeyboard(t), readLocale(t), readKdump(t), readNetconsole(t)]);
      return { keyboard, locale, kdump, ...(netconsole ? { netconsole } : {}) };
    },
    async keyboardLayouts(search) {
      const s = search?.trim().toLowerCase();
      return (await readLayouts(t)).map((l) => `${l.layout}  ${l.description}`).filter((l) => !s || l.toLowerCase().includes(s));
    },
    async setKeyboard(layout, variant = '') {
      const { errors } = keyboardInput(await readLayouts(t), layout, variant);
      if (errors.length) throw invalid(errors);
      return door.act('system.keyboard-set', 'keyboard', `Set the console keyboard layout to ${layout}${variant ? ` (${variant})` : ''}`, () => writeKeyboard(t, layout, variant));
    },
    async setLocale(name) {
      const { error } = localeInput((await readLocale(t)).available, name);
      if (error) throw invalid([error]);
      await door.act('system.locale-set', 'locale', `Set the system locale to ${name}`, () => writeLocale(t, name));
    },
    async setKdump(on) {
      const k = await readKdump(t);
      if (!k.supported) throw new WrongStateError(`kdump cannot be turned ${on ? 'on' : 'off'} here: ${k.reason}`);
      await door.act('system.kdump-set', 'kdump', `Turn kdump ${on ? 'on' : 'off'}`, () => writeKdump(t, on));
    },
    async setNetconsole(target, device) {
      const v = netconsoleInput(target, device);
      if (v.errors.length) throw invalid(v.errors);
      const n = v.netconsole;
      await door.act('system.netconsole-set', 'netconsole', n ? `Send kernel messages to ${n.remoteIp}:${n.remotePort} from ${n.device} (netconsole)` : 'Stop netconsole', () => writeNetconsole(t, n));
    },
    async testNetconsole() {
      const n = await readNetconsole(t);
      if (!n?.enabled) throw new WrongStateError('netconsole is off: set a target first (hostdeck system netconsole-set IP[:PORT] --device NIC)');
      const text = `hostdeck netconsole test (not an error) ${new Date().toISOString()} ${Math.random().toString(36).slice(2, 10)}`;
      await door.act('system.netconsole-test', 'netconsole', `Send a netconsole test message to ${n.remoteIp}:${n.remotePort}`, () => sendNetconsoleTest(t, text));
      return text;
    },
  };
}
