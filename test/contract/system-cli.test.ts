// `hostdeck system …` exit codes on this machine's real programs: a value that
// breaks a rule exits 2 naming its option or argument and the rule; a valid
// change in read-only mode exits 1 naming read-only mode (nothing on this
// machine changes: every change here is refused before it runs); reads exit 0
// and say why what cannot be read here is missing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { scratchCli } from '../lib/cli-main.ts';

const cli = scratchCli('hostdeck-system-cli-');
const ed25519 = readFileSync(new URL('../fixtures/ssh-keys/ed25519.pub', import.meta.url), 'utf8').trim();

describe('hostdeck system: exit codes', () => {
  const invalid: [string, string[], RegExp][] = [
    ['an unknown time zone', ['timezone-set', 'Mars/Olympus_Mons'], /^hostdeck: ZONE: Mars\/Olympus_Mons is not in the tz database/m],
    ['a time zone that is a path', ['timezone-set', '../../etc/passwd'], /^hostdeck: ZONE: .* is not a tz database name/m],
    ['an NTP server that is no host name', ['ntp-set', 'ntp.example.org', 'bad_name!'], /^hostdeck: SERVER: bad_name! must be an IP address or a host name/m],
    ['no NTP server', ['ntp-set'], /^hostdeck: SERVER: give one to 8 NTP servers/m],
    ['ntp neither on nor off', ['ntp', 'maybe'], /^hostdeck: on\|off: "maybe" is not on or off/m],
    ['a manual time that is no date', ['time-set', '2026-02-30 10:00'], /^hostdeck: TIME: "2026-02-30 10:00" is not YYYY-MM-DD HH:MM\[:SS\] in UTC/m],
    ['an SSH port out of range', ['ssh-set', '--port', '99999'], /^hostdeck: --port: "99999" is not a TCP port from 1 to 65535/m],
    ['a root login policy that does not exist', ['ssh-set', '--root-login', 'always'], /^hostdeck: --root-login: "always" is not one of yes, no, prohibit-password/m],
    ['ssh-set with nothing to set', ['ssh-set'], /^hostdeck: ssh-set: give --port, --password-login or --root-login/m],
    ['a key that is garbage', ['ssh-key-add', 'hello world'], /^hostdeck: KEY: option "hello" is not a known option .*\(one line: \[options\] TYPE BASE64/m],
    ['a short RSA key', ['ssh-key-add', readFileSync(new URL('../fixtures/ssh-keys/rsa-1024.pub', import.meta.url), 'utf8').trim()], /^hostdeck: KEY: its RSA key has 1024 bits; at least 2048/m],
    ['a fingerprint that is none', ['ssh-key-remove', 'nonsense', '--yes'], /^hostdeck: FINGERPRINT: "nonsense" is not a key fingerprint/m],
    ['a root password without a terminal or --password-stdin', ['root-password'], /^hostdeck: password: is needed; give it on standard input with --password-stdin/m],
    ['a keyboard layout that does not exist', ['keyboard-set', 'xx'], /^hostdeck: LAYOUT: "xx" is not an XKB layout/m],
    ['a variant of another layout', ['keyboard-set', 'de', 'nosuch'], /^hostdeck: VARIANT: "nosuch" is not a variant of de/m],
    ['a locale not generated here', ['locale-set', 'xx_YY.UTF-8'], /^hostdeck: LOCALE: "xx_YY.UTF-8" is not a locale generated on this host/m],
    ['a netconsole target that is a name', ['netconsole-set', 'logs.example', '--device', 'eth0'], /^hostdeck: TARGET: "logs.example" is not IP:PORT or IP/m],
    ['a netconsole device that is an option', ['netconsole-set', '192.0.2.1', '--device', '-x'], /^hostdeck: --device: "-x" is not a network interface name/m],
    ['a syslog target over TLS', ['syslog-set', 'tls://logs.example'], /^hostdeck: TARGET: "tls:\/\/logs.example" is not udp:\/\/HOST\[:PORT\] or tcp:\/\/HOST\[:PORT\]/m],
  ];
  for (const [what, args, message] of invalid) {
    it(`refuses ${what}: exit 2 naming it and the rule`, async () => {
      const r = await cli.hostdeck('system', ...args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
    });
  }

  const changes: [string, string[]][] = [
    ['timezone-set UTC', ['timezone-set', 'UTC']],
    ['ntp off', ['ntp', 'off']],
    ['ssh-key-add', ['ssh-key-add', ed25519]],
    ['syslog-set', ['syslog-set', 'udp://192.0.2.7:514']],
    ['keyboard-set', ['keyboard-set', 'us']],
    ['locale-set', ['locale-set', 'C.UTF-8']],
  ];
  for (const [what, args] of changes) {
    it(`${what} in read-only mode: exit 1 naming read-only mode`, async () => {
      const r = await cli.hostdeck('--read-only', 'system', ...args);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, /read-only/);
    });
  }

  it('kdump on where kdump-tools or reserved memory is missing: exit 1 saying why', async () => {
    const r = await cli.hostdeck('system', 'kdump', 'on');
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /kdump cannot be turned on here: .*(kdump-tools is not installed|no memory reserved)/);
  });

  it('netconsole-test while netconsole is off: exit 1 saying to set a target first', async () => {
    const r = await cli.hostdeck('system', 'netconsole-test');
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /netconsole is off: set a target first/);
  });

  it('syslog-test while remote logging is off: exit 1 saying to set a server first', async () => {
    const r = await cli.hostdeck('system', 'syslog-test');
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /Remote logging is off: set a server first/);
  });

  it('show --json: exit 0 with the time zone, NTP state (or why not), SSH state and remote logging', async () => {
    const r = await cli.hostdeck('system', 'show', '--json');
    assert.equal(r.code, 0, r.err);
    const v = JSON.parse(r.out) as { time: { timezone: string; ntp: { running: boolean; note?: string } }; ssh: { settings: unknown; running: boolean }; syslog: { installed: boolean }; console: { kdump: { supported: boolean; reason?: string } } };
    assert.ok(v.time.timezone.length > 0);
    // No chronyd runs on this machine: the note says so instead of an empty table.
    assert.equal(v.time.ntp.running, false);
    assert.match(v.time.ntp.note ?? '', /chrony(d)? is not (installed|running)/);
    assert.equal(typeof v.ssh.running, 'boolean');
    // kdump-tools and a crashkernel= reservation are absent here: kdump says so.
    assert.equal(v.console.kdump.supported, false);
    assert.match(v.console.kdump.reason ?? '', /kdump-tools is not installed|no memory reserved/);
  });

  it('timezones --search: exit 0, the matching zones of the tz database', async () => {
    const r = await cli.hostdeck('system', 'timezones', '--search', 'paris');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.trim().split('\n'), ['Europe/Paris']);
  });
});
