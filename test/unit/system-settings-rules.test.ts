// The System settings' rules: every value a user types (time zone, NTP
// servers, a manual time, SSH port and policies, an authorized key, the root
// password, a remote syslog target) refused with its field and rule, and the
// files hostdeck writes (chrony.conf, the sshd and rsyslog drop-ins) and reads
// back (sshd -T, chronyc -c, ssh-keygen -l).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chronyServers, formatOffset, manualTimeInput, ntpServersInput, parseChronySources, parseChronyTracking, timezoneSyntaxProblem, withChronyServers, zoneNames, zoneOfLink } from '../../src/domain/system/time.ts';
import { authorizedKeyLine, parseAuthorizedKey, parseFingerprints, parseSshdT, sshDropIn, sshSettingsInput, type SshSettings } from '../../src/domain/system/ssh.ts';
import { passwordProblem } from '../../src/domain/system/password.ts';
import { forwardInput, parseRsyslogDropIn, rsyslogDropIn } from '../../src/domain/system/syslog.ts';
import { netconsoleInput, netconsoleModprobe } from '../../src/domain/system/netconsole.ts';
import { withUseKdump, kdumpState, keyboardInput, localeInput, parseXkbLayouts, shellVar, withKeyboard, withLang } from '../../src/domain/system/console.ts';

const key = (name: string) => readFileSync(new URL(`../fixtures/ssh-keys/${name}`, import.meta.url), 'utf8').trim();

describe('time rules', () => {
  it('a time zone name: tz database syntax, no path tricks or options', () => {
    assert.equal(timezoneSyntaxProblem('Europe/Paris'), undefined);
    assert.equal(timezoneSyntaxProblem('America/Argentina/Buenos_Aires'), undefined);
    assert.equal(timezoneSyntaxProblem('Etc/GMT+5'), undefined);
    for (const bad of ['', '../etc/passwd', '/Europe/Paris', 'Europe/../x', '-UTC', 'Europe Paris', 'a'.repeat(70)]) {
      assert.match(timezoneSyntaxProblem(bad)?.message ?? '', /^timezone: .*tz database name/, bad);
    }
  });
  it('zone names come from tzdata.zi: zones and links; the link target names the zone', () => {
    assert.deepEqual(zoneNames('# version\nZ Europe/Paris 0:9:21 - LMT 1891\nR X 1 2 - Mar 1 0 0 -\nL Europe/Paris Europe/Monaco\nZ Etc/UTC 0 - UTC\n'), ['Etc/UTC', 'Europe/Monaco', 'Europe/Paris']);
    assert.equal(zoneOfLink('/usr/share/zoneinfo/Asia/Tokyo\n'), 'Asia/Tokyo');
    assert.equal(zoneOfLink('../usr/share/zoneinfo/posix/Asia/Tokyo'), 'Asia/Tokyo');
  });
  it('NTP servers: one to 8, IP addresses or host names, no repeats, never an option', () => {
    assert.deepEqual(ntpServersInput(['ntp1.example.org, 192.0.2.5', '2001:db8::1']), { servers: ['ntp1.example.org', '192.0.2.5', '2001:db8::1'], errors: [] });
    assert.match(ntpServersInput([]).errors[0]!.message, /^servers: give one to 8/);
    assert.match(ntpServersInput(['-x']).errors[0]!.message, /^servers: -x must be an IP address or a host name/);
    assert.match(ntpServersInput(['a.example', 'A.example']).errors[0]!.message, /given twice/);
    assert.match(ntpServersInput(Array.from({ length: 9 }, (_, i) => `n${i}.example`)).errors[0]!.message, /9 given/);
    assert.match(ntpServersInput(['bad_name!']).errors[0]!.message, /^servers: bad_name!/);
  });
  it('a manual time: a real UTC date and time in 2000-2099', () => {
    assert.deepEqual(manualTimeInput('2026-03-01 12:30'), { value: '2026-03-01 12:30:00' });
    assert.deepEqual(manualTimeInput('2026-03-01T12:30:45'), { value: '2026-03-01 12:30:45' });
    for (const bad of ['2026-02-30 10:00', '2026-13-01 10:00', '1999-12-31 23:59', '2026-01-01 24:00', 'now', '-1 day', '2026-01-01']) {
      assert.match(manualTimeInput(bad).error?.message ?? '', /^time: .* is not YYYY-MM-DD HH:MM\[:SS\] in UTC/, bad);
    }
  });
  it("chrony.conf: hostdeck's servers replace server, pool and peer lines; the rest stays; setting twice is stable", () => {
    const conf = 'confdir /etc/chrony/conf.d\npool 2.debian.pool.ntp.org iburst\nserver old.example\nsourcedir /etc/chrony/sources.d\nmakestep 1 3\n';
    const once = withChronyServers(conf, ['a.example', '192.0.2.1']);
    assert.deepEqual(chronyServers(once), ['a.example', '192.0.2.1']);
    assert.match(once, /^confdir .*\nsourcedir .*\nmakestep 1 3\n/);
    assert.equal(withChronyServers(once, ['a.example', '192.0.2.1']), once);
    assert.deepEqual(chronyServers(withChronyServers(once, ['b.example'])), ['b.example']);
  });
  it('chronyc -c sources and tracking: state, reach (octal), offset; synchronised or not', () => {
    const s = parseChronySources('^,*,ntp1.example,2,6,377,12,-0.000123000,-0.000120000,0.000500000\n^,?,192.0.2.9,0,6,0,4294967295,0.000000000,0.000000000,0.000000000\n');
    assert.deepEqual(s.map((x) => [x.name, x.state, x.reach, x.offsetS]), [['ntp1.example', 'selected', 255, -0.000123], ['192.0.2.9', 'unreachable', 0, 0]]);
    const synced = parseChronyTracking('C0000201,ntp1.example,3,1765000000.5,0.000002000,-0.000001,0.00001,1.2,0.0,0.1,0.01,0.001,64.0,Normal\n');
    assert.deepEqual([synced?.reference, synced?.synchronised, synced?.offsetS], ['ntp1.example', true, 0.000002]);
    assert.equal(parseChronyTracking('00000000,,0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,1.0,1.0,0.0,Not synchronised\n')?.synchronised, false);
    assert.equal(parseChronyTracking('506 Cannot talk to daemon'), undefined);
    assert.deepEqual([formatOffset(-0.000123), formatOffset(0.0456), formatOffset(2.5)], ['-123 µs', '+45.6 ms', '+2.50 s']);
  });
});

describe('SSH rules', () => {
  const cur: SshSettings = { port: 22, passwordLogin: false, rootLogin: 'prohibit-password' };
  it('port, password login and root login policy: each refused naming its option and rule; the rest kept', () => {
    assert.deepEqual(sshSettingsInput(cur, { port: '2222', passwordLogin: 'on' }), { settings: { port: 2222, passwordLogin: true, rootLogin: 'prohibit-password' }, errors: [] });
    const { errors } = sshSettingsInput(cur, { port: '70000', passwordLogin: 'maybe', rootLogin: 'always' });
    assert.deepEqual(errors.map((e) => e.field), ['port', 'passwordLogin', 'rootLogin']);
    assert.match(errors[0]!.message, /^port: "70000" is not a TCP port from 1 to 65535/);
    assert.match(errors[1]!.message, /^password-login: "maybe" is not on or off/);
    assert.match(errors[2]!.message, /^root-login: "always" is not one of yes, no, prohibit-password/);
    assert.match(sshSettingsInput(cur, { port: '-1' }).errors[0]!.message, /^port:/);
    assert.match(sshSettingsInput(cur, { port: '22\nPermitRootLogin yes' }).errors[0]!.message, /^port:/);
  });
  it('the drop-in holds the three settings, and sshd -T reads back as them', () => {
    const s: SshSettings = { port: 2222, passwordLogin: true, rootLogin: 'no' };
    assert.match(sshDropIn(s), /\nPort 2222\nPasswordAuthentication yes\nPermitRootLogin no\n$/);
    assert.deepEqual(parseSshdT('port 2222\naddressfamily any\npasswordauthentication yes\npermitrootlogin no\n'), s);
    assert.equal(parseSshdT('port 22\npermitrootlogin without-password\n').rootLogin, 'prohibit-password');
  });
  it('authorized keys: Ed25519, ECDSA and RSA of 2048 bits accepted with their length; options kept', () => {
    assert.deepEqual(parseAuthorizedKey(key('ed25519.pub')).key && { ...parseAuthorizedKey(key('ed25519.pub')).key, base64: '' }, { options: [], type: 'ssh-ed25519', base64: '', comment: 'ops@example', bits: 256 });
    assert.equal(parseAuthorizedKey(key('ecdsa-384.pub')).key?.bits, 384);
    assert.equal(parseAuthorizedKey(key('rsa-2048.pub')).key?.bits, 2048);
    const withOpts = parseAuthorizedKey(`from="10.0.0.0/8,192.0.2.1",no-pty,command="echo \\"hi, there\\"" ${key('ed25519.pub')}`).key!;
    assert.deepEqual(withOpts.options, ['from="10.0.0.0/8,192.0.2.1"', 'no-pty', 'command="echo \\"hi, there\\""']);
    assert.equal(authorizedKeyLine(withOpts), `from="10.0.0.0/8,192.0.2.1",no-pty,command="echo \\"hi, there\\"" ${key('ed25519.pub')}`);
  });
  it('authorized keys: garbage refused naming the rule (type, data, length, options, line breaks)', () => {
    const ed = key('ed25519.pub');
    const [, b64] = ed.split(' ');
    const cases: [string, RegExp][] = [
      ['', /is empty/],
      ['hello world', /option "hello" is not a known option/],
      ['ssh-dss AAAAB3NzaC1kc3MAAACBAP', /"ssh-dss" is not a key type/],
      [`no-pty ssh-dss ${b64}`, /"ssh-dss" is not a key type/],
      [`ssh-ed25519 ${b64!.slice(0, -4)}`, /damaged|not 32 bytes|not base64/],
      [`ssh-rsa ${b64}`, /its key data is a "ssh-ed25519" key, not ssh-rsa/],
      [key('rsa-1024.pub'), /its RSA key has 1024 bits; at least 2048/],
      ['ssh-ed25519 !!!notbase64', /not base64/],
      [`evil-option ${ed}`, /option "evil-option" is not a known option/],
      [`command=echo ${ed}`, /option "command=echo" is not a known option/],
      [`command="unclosed ${ed}`, /unclosed quote|does not start/],
      [`${ed}\nssh-ed25519 ${b64}`, /line break/],
    ];
    for (const [line, re] of cases) {
      const e = parseAuthorizedKey(line).error;
      assert.equal(e?.field, 'key', line);
      assert.match(e!.message, re, line);
      assert.match(e!.message, /\(one line: \[options\] TYPE BASE64/, line);
    }
  });
  it('ssh-keygen -l lines: bits, fingerprint, comment, type', () => {
    assert.deepEqual(parseFingerprints('256 SHA256:abc ops@example (ED25519)\n3072 SHA256:def no comment (RSA)\n'), [
      { bits: 256, fingerprint: 'SHA256:abc', comment: 'ops@example', type: 'ED25519' },
      { bits: 3072, fingerprint: 'SHA256:def', comment: '', type: 'RSA' },
    ]);
  });
});

describe('root password rules', () => {
  it('length, the user name, one class of characters, chpasswd-breaking characters: each refused naming the rule', () => {
    assert.equal(passwordProblem('Correct-Horse-9', 'root'), undefined);
    const cases: [string, RegExp][] = [
      ['Short1!', /has 7 characters/],
      ['MyRootPassword1', /contains the user name root/],
      ['alllowercaseletters', /all of one class/],
      ['123456789012345', /all of one class/],
      ['Good-Password-1:x', /holds ':' or a control character/],
      ['Good-Password-1\nroot:x', /holds ':' or a control character/],
      ['Aa1'.repeat(100), /longer than 256/],
    ];
    for (const [pw, re] of cases) {
      const e = passwordProblem(pw, 'root');
      assert.equal(e?.field, 'password');
      assert.match(e!.message, re);
      assert.match(e!.message, /at least 12 characters/);
      assert.ok(!e!.message.includes(pw), 'the message does not repeat the password');
    }
  });
});

describe('remote logging rules', () => {
  it('udp:// or tcp:// with a host and port (514 by default), or off; anything else refused naming the rule', () => {
    assert.deepEqual(forwardInput('tcp://logs.example:6514'), { forward: { protocol: 'tcp', host: 'logs.example', port: 6514 } });
    assert.deepEqual(forwardInput('udp://192.0.2.7'), { forward: { protocol: 'udp', host: '192.0.2.7', port: 514 } });
    assert.deepEqual(forwardInput('off'), { off: true });
    for (const bad of ['local', '/dev/log', 'logs.example', 'tls://logs.example', 'tcp://-x', 'tcp://h:99999', 'tcp://a"b']) {
      assert.match(forwardInput(bad).error?.message ?? '', /^target: .* is not udp:\/\/HOST\[:PORT\] or tcp:\/\/HOST\[:PORT\]/, bad);
    }
  });
  it('the rsyslog drop-in forwards everything and reads back as the same target', () => {
    const f = { protocol: 'tcp' as const, host: 'logs.example', port: 6514 };
    assert.match(rsyslogDropIn(f), /^\*\.\* action\(type="omfwd" target="logs.example" port="6514" protocol="tcp"/m);
    assert.deepEqual(parseRsyslogDropIn(rsyslogDropIn(f)), f);
    assert.equal(parseRsyslogDropIn(undefined), undefined);
  });
});

describe('keyboard, locale and kdump rules', () => {
  const layouts = parseXkbLayouts('! model\n  pc105  Generic 105-key PC\n! layout\n  us  English (US)\n  de  German\n! variant\n  intl  us: English (US, intl., with dead keys)\n  nodeadkeys  de: German (no dead keys)\n! option\n  grp  Switching\n');
  it('layouts and variants come from base.lst', () => {
    assert.deepEqual(layouts.map((l) => [l.layout, l.variants.map((v) => v.variant)]), [['us', ['intl']], ['de', ['nodeadkeys']]]);
  });
  it('a layout must be listed and a variant one of its own; each refused naming its argument and the rule', () => {
    assert.deepEqual(keyboardInput(layouts, 'de', 'nodeadkeys').errors, []);
    assert.match(keyboardInput(layouts, 'xx').errors[0]!.message, /^layout: "xx" is not an XKB layout/);
    assert.match(keyboardInput(layouts, '-de').errors[0]!.message, /^layout: "-de" is not/);
    assert.match(keyboardInput(layouts, 'de', 'intl').errors[0]!.message, /^variant: "intl" is not a variant of de \(nodeadkeys\)/);
    assert.match(keyboardInput([], 'us').errors[0]!.message, /xkb-data is not installed/);
  });
  it('/etc/default/keyboard keeps its other lines; the layout reads back', () => {
    const text = withKeyboard('XKBMODEL="pc105"\nXKBLAYOUT="us"\nXKBVARIANT=""\nBACKSPACE="guess"\n', 'de', 'nodeadkeys');
    assert.equal(text, 'XKBMODEL="pc105"\nBACKSPACE="guess"\nXKBLAYOUT="de"\nXKBVARIANT="nodeadkeys"\n');
    assert.equal(shellVar(text, 'XKBLAYOUT'), 'de');
    assert.match(withKeyboard(undefined, 'fr', ''), /XKBMODEL="pc105"[\s\S]*XKBLAYOUT="fr"\nXKBVARIANT=""\n$/);
  });
  it('a locale must be generated here (UTF-8 and utf8 are one); LANG replaced, other lines kept', () => {
    assert.deepEqual(localeInput(['C', 'C.utf8', 'POSIX'], 'C.UTF-8'), {});
    assert.match(localeInput(['C', 'C.utf8'], 'en_US.UTF-8').error!.message, /^locale: "en_US.UTF-8" is not a locale generated on this host \(locale -a\).*\(here: C, C.utf8\)/);
    assert.match(localeInput(['C'], 'C; rm -rf /').error!.message, /^locale:/);
    assert.equal(withLang('#  File generated by update-locale\nLANG=C\nLC_TIME=C\n', 'C.UTF-8'), '#  File generated by update-locale\nLC_TIME=C\nLANG=C.UTF-8\n');
  });
  it('kdump: not supported without kdump-tools or reserved memory, saying which; else on or off from USE_KDUMP', () => {
    assert.deepEqual(kdumpState(undefined, 0, 'root=/dev/vda'), { supported: false, reason: 'kdump-tools is not installed; the kernel has no memory reserved for a crash kernel (crashkernel= on its command line)', reservedBytes: 0 });
    assert.deepEqual(kdumpState('USE_KDUMP=1\n', 268435456, 'root=/dev/vda crashkernel=256M'), { supported: true, enabled: true, reservedBytes: 268435456 });
    assert.equal(withUseKdump('# kdump-tools\nUSE_KDUMP=0\nKDUMP_COREDIR="/var/crash"\n', true), '# kdump-tools\nKDUMP_COREDIR="/var/crash"\nUSE_KDUMP=1\n');
    assert.equal(kdumpState('USE_KDUMP=0\n', 0, 'root=/dev/vda').reason, 'the kernel has no memory reserved for a crash kernel (crashkernel= on its command line)');
  });
});

describe('netconsole rules', () => {
  it('an IP address with an optional port (6666) and a NIC name; names, bad ports and option-like devices refused naming the rule', () => {
    assert.deepEqual(netconsoleInput('192.0.2.1', 'eth0'), { netconsole: { device: 'eth0', remoteIp: '192.0.2.1', remotePort: 6666 }, errors: [] });
    assert.deepEqual(netconsoleInput('[2001:db8::1]:514', 'bond0.100').netconsole, { device: 'bond0.100', remoteIp: '2001:db8::1', remotePort: 514 });
    assert.deepEqual(netconsoleInput('off', undefined), { off: true, errors: [] });
    assert.match(netconsoleInput('logs.example', 'eth0').errors[0]!.message, /^target: "logs.example" is not IP:PORT or IP \(port 6666\)/);
    assert.match(netconsoleInput('192.0.2.1:70000', 'eth0').errors[0]!.message, /^target: /);
    assert.match(netconsoleInput('192.0.2.1', '-eth0').errors[0]!.message, /^device: "-eth0" is not a network interface name/);
    assert.match(netconsoleInput('192.0.2.1', undefined).errors[0]!.message, /^device: "" is not/);
    assert.match(netconsoleInput('192.0.2.1', 'a-very-long-nic-name').errors[0]!.message, /up to 15 characters/);
  });
  it('the boot-time module option names the same target', () => {
    assert.match(netconsoleModprobe({ device: 'eth0', remoteIp: '192.0.2.1', remotePort: 6666 }), /^options netconsole netconsole=@\/eth0,6666@192\.0\.2\.1\/$/m);
  });
});
