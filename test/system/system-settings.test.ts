// The System settings applied to a real Linux test host from this machine:
// the core's use cases run here (real SQLite event log, the door) with every
// program and file inside the host through testHostRunner. Each setting is
// read back from the system itself: /etc/localtime and date, chronyc sources
// of a chronyd started in the host, sshd -T and an SSH login with the added
// key on the new port, /etc/shadow checked by crypt(3), and the forwarded
// syslog line received by a TCP listener in the host, netconsole's by a UDP
// listener on a segment peer. A refused setting (a
// rule, or the daemon's own check) leaves the previous file in place. One
// test host for every case.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createSystemSettingsUseCases, type SystemSettingsUseCases } from '../../src/core/system-settings.ts';
import { timeCheck } from '../../src/domain/diagnostics.ts';
import { Target } from '../../src/host/net/target.ts';
import { testDoor } from '../lib/door.ts';
import { testServices } from '../lib/services.ts';
import { Segment, TestHost, testHostRunner } from '../lib/testhost/index.ts';

const SSH = ['ssh', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'IdentitiesOnly=yes', '-o', 'ConnectTimeout=20', '-i', '/run/login-key'];
const DROP_IN = '/etc/ssh/sshd_config.d/10-hostdeck.conf';
const RSYSLOG_DROP_IN = '/etc/rsyslog.d/60-hostdeck-forward.conf';
const PEER = '192.168.79.1';
const NODE = '192.168.79.10';

describe('system settings on a test host: time, NTP, SSH, root password, keyboard and locale, netconsole, remote logging', { timeout: 900_000 }, () => {
  let seg: Segment | undefined;
  let host: TestHost | undefined;
  let services: ReturnType<typeof testServices> | undefined;
  let sys: SystemSettingsUseCases;
  let keyDir: string;
  let pub: string;
  const guard = (fn: () => Promise<void>) => TestHost.keepLogsOnFailure(() => [host], fn);
  const messages = () => services!.events.list({}).map((e) => `${e.result} ${e.message}`);
  const file = async (p: string) => (await host!.run(['cat', '--', p])).stdout;

  before(async () => {
    keyDir = mkdtempSync(join(tmpdir(), 'hostdeck-syskey-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'settings-test', '-f', join(keyDir, 'k')]);
    pub = readFileSync(join(keyDir, 'k.pub'), 'utf8').trim();
    // A segment peer receives netconsole's UDP (the kernel sends from a real NIC, not loopback).
    seg = await Segment.create({ name: 'syssettings', address: `${PEER}/24` });
    host = new TestHost({ name: 'syssettings', nics: [{ segment: seg }] });
    await host.boot();
    await host.mustRun(['ip', 'addr', 'add', `${NODE}/24`, 'dev', 'eth0']);
    await host.mustRun(['ip', 'link', 'set', 'eth0', 'up']);
    await host.start('sshd', {});
    await host.writeFile('/run/login-key', readFileSync(join(keyDir, 'k')));
    await host.mustRun(['chmod', '600', '/run/login-key']);
    services = testServices();
    sys = createSystemSettingsUseCases({ infra: services, door: testDoor(services.events) }, new Target(testHostRunner(host)));
  });
  after(async () => {
    await services?.cleanup();
    await host?.destroy();
    await seg?.dispose();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('time zone: set from the tz database and read back by date; an unknown zone refused, /etc/localtime unchanged', guard(async () => {
    assert.ok((await sys.timezones('tokyo')).includes('Asia/Tokyo'));
    await sys.setTimezone('Asia/Tokyo');
    assert.equal((await host!.mustRun(['date', '+%Z'])).stdout.trim(), 'JST');
    assert.equal((await sys.time()).timezone, 'Asia/Tokyo');
    await assert.rejects(sys.setTimezone('Mars/Olympus_Mons'), /timezone: Mars\/Olympus_Mons is not in the tz database/);
    await assert.rejects(sys.setTimezone('../../etc/passwd'), /timezone: .* is not a tz database name/);
    assert.match((await host!.mustRun(['readlink', '/etc/localtime'])).stdout, /Asia\/Tokyo/);
    assert.ok(messages().includes('success Set the time zone to Asia/Tokyo'), messages().join('\n'));
  }));

  it('manual time while NTP is off: the clock is set; with chronyd running it is refused naming the rule', guard(async () => {
    const when = new Date(Date.now() + 3 * 86_400_000);
    const value = when.toISOString().slice(0, 16).replace('T', ' ');
    assert.equal((await sys.time()).ntp.running, false);
    await sys.setTime(value);
    assert.equal((await host!.mustRun(['date', '-u', '+%Y-%m-%d %H:%M'])).stdout.trim().slice(0, 13), value.slice(0, 13));
    // Owned by chronyd's user: its command socket there is what lets root's chronyc add and delete sources.
    await host!.mustRun(['install', '-d', '-o', '_chrony', '-g', '_chrony', '-m', '0750', '/run/chrony']);
    await host!.mustRun(['chronyd', '-f', '/etc/chrony/chrony.conf']);
    await host!.waitUntil(['chronyc', '-c', 'tracking'], (r) => r.code === 0, { timeoutMs: 30_000, what: 'chronyd answers' });
    await assert.rejects(sys.setTime(value), /time: the time is set by hand only while NTP is off/);
    // Starting and stopping services goes through systemd, which the test host does not run: said, not attempted.
    await assert.rejects(sys.setNtp(false), /NTP off: this host does not run systemd/);
    await assert.rejects(sys.sshService('stop'), /SSH stop: this host does not run systemd/);
    assert.equal((await sys.time()).ntp.running, true);
  }));

  it('NTP servers: written to chrony.conf, live in the running chronyd (chronyc sources lists them); a bad name refused, the file unchanged', guard(async () => {
    await sys.setNtpServers(['192.0.2.10', '192.0.2.11']);
    const conf = await file('/etc/chrony/chrony.conf');
    assert.match(conf, /^server 192\.0\.2\.10 iburst\nserver 192\.0\.2\.11 iburst\n$/m);
    assert.doesNotMatch(conf, /^pool /m);
    const sources = (await host!.mustRun(['chronyc', '-c', '-N', 'sources'])).stdout;
    assert.match(sources, /,192\.0\.2\.10,/);
    assert.match(sources, /,192\.0\.2\.11,/);
    const t = await sys.time();
    assert.deepEqual(t.ntp.sources.map((s) => s.name).filter((n) => n.startsWith('192.0.2.')).sort(), ['192.0.2.10', '192.0.2.11']);
    assert.ok(t.ntp.tracking, 'tracking read back');
    await assert.rejects(sys.setNtpServers(['-q']), /servers: -q must be an IP address or a host name/);
    assert.equal(await file('/etc/chrony/chrony.conf'), conf);
    // Only 192.0.2.10 left: the other is deleted from the running chronyd too.
    await sys.setNtpServers(['192.0.2.10']);
    assert.doesNotMatch((await host!.mustRun(['chronyc', '-c', '-N', 'sources'])).stdout, /192\.0\.2\.11/);
    // A configuration chronyd refuses (another file of its confdir it cannot parse): the previous chrony.conf is back.
    const previous = await file('/etc/chrony/chrony.conf');
    await host!.writeFile('/etc/chrony/conf.d/broken.conf', 'no-such-directive 1\n');
    await assert.rejects(sys.setNtpServers(['192.0.2.12']), /chronyd refused the configuration \(the previous \/etc\/chrony\/chrony.conf is back\)/);
    await host!.mustRun(['rm', '/etc/chrony/conf.d/broken.conf']);
    assert.equal(await file('/etc/chrony/chrony.conf'), previous);
    assert.doesNotMatch((await host!.mustRun(['chronyc', '-c', '-N', 'sources'])).stdout, /192\.0\.2\.12/);
    // Its only server unreachable, chronyd is not synchronised: the reading of the clock check and of the
    // time-unsynced alert (src/core/alert-readings.ts) says so from chronyc's own report.
    const tracking = (await host!.mustRun(['chronyc', '-n', 'tracking'])).stdout;
    const check = timeCheck({ source: 'chronyc', text: tracking });
    assert.equal(check.status, 'warning', tracking);
    assert.match(check.detail, /^chrony is not synchronised/);
  }));

  it('SSH: port, password login and root policy in the drop-in, read back by sshd -T; sshd moves to the new port and the added key logs in', guard(async () => {
    const before = await sys.ssh();
    assert.equal(before.running, true);
    assert.deepEqual(before.keys, []);
    const r = await sys.setSsh({ port: '2222', passwordLogin: 'off', rootLogin: 'prohibit-password' });
    assert.equal(r.daemon, 'reloaded');
    const t = (await host!.mustRun(['sshd', '-T'])).stdout;
    assert.match(t, /^port 2222$/m);
    assert.match(t, /^passwordauthentication no$/m);
    assert.match(t, /^permitrootlogin without-password$/m);
    const added = await sys.addSshKey(pub);
    const fp = execFileSync('ssh-keygen', ['-l', '-f', join(keyDir, 'k.pub')], { encoding: 'utf8' }).split(' ')[1];
    assert.equal(added.fingerprint, fp);
    assert.deepEqual((await sys.ssh()).keys.map((k) => [k.fingerprint, k.comment, k.type]), [[fp, 'settings-test', 'ED25519']]);
    const login = await host!.waitUntil([...SSH, '-p', '2222', 'root@127.0.0.1', 'echo', 'logged-in'], (x) => x.code === 0, { timeoutMs: 60_000, what: 'ssh login on port 2222' });
    assert.match(login.stdout, /logged-in/);
    await assert.rejects(sys.addSshKey(pub), /key: SHA256:.* is already authorized for root/);
    await assert.rejects(sys.addSshKey('ssh-rsa AAAA garbage'), /key: .*\(one line: \[options\] TYPE BASE64/);
    assert.ok(messages().some((m) => m.startsWith(`success Authorize SSH key ${fp}`)), messages().join('\n'));
  }));

  it('SSH: a bad port refused by its rule, and a configuration sshd refuses refused: the previous drop-in stays', guard(async () => {
    const previous = await file(DROP_IN);
    await assert.rejects(sys.setSsh({ port: '99999' }), /port: "99999" is not a TCP port from 1 to 65535/);
    assert.equal(await file(DROP_IN), previous);
    // Another drop-in that sshd cannot parse: sshd -t refuses the whole configuration.
    await host!.writeFile('/etc/ssh/sshd_config.d/20-broken.conf', 'NoSuchKeyword yes\n');
    await assert.rejects(sys.setSsh({ port: '2223' }), /SSH settings cannot be changed here: sshd -T: .*20-broken.conf: terminating, 1 bad configuration options/);
    assert.equal(await file(DROP_IN), previous);
    await host!.mustRun(['rm', '/etc/ssh/sshd_config.d/20-broken.conf']);
    assert.match((await host!.mustRun(['sshd', '-T'])).stdout, /^port 2222$/m);
  }));

  it('SSH: a removed key no longer logs in', guard(async () => {
    const [k] = (await sys.ssh()).keys;
    await sys.removeSshKey(k!.fingerprint);
    assert.deepEqual((await sys.ssh()).keys, []);
    const r = await host!.run([...SSH, '-p', '2222', 'root@127.0.0.1', 'true']);
    assert.notEqual(r.code, 0);
    await assert.rejects(sys.removeSshKey(k!.fingerprint), /no key of root has fingerprint/);
  }));

  it('root password: set through chpasswd (crypt(3) of the new one matches /etc/shadow); a weak one refused, shadow unchanged', guard(async () => {
    const hash = async () => (await file('/etc/shadow')).split('\n').find((l) => l.startsWith('root:'))!.split(':')[1]!;
    await sys.setRootPassword('Correct-Horse-9');
    const h = await hash();
    const check = await host!.run(['perl', '-e', 'my $p = <STDIN>; chomp $p; print crypt($p, $ARGV[0]) eq $ARGV[0] ? "match" : "differ"', '--', h], { input: 'Correct-Horse-9\n' });
    assert.equal(check.stdout, 'match');
    await assert.rejects(sys.setRootPassword('rootroot1234'), /password: contains the user name root/);
    assert.equal(await hash(), h);
    assert.ok(messages().includes('success Set the root password'));
    assert.ok(!services!.events.list({}).some((e) => JSON.stringify(e).includes('Correct-Horse-9')), 'the password is in no event');
  }));

  it('keyboard layout and locale written and read back; a bad layout or locale refused with the files unchanged; kdump says why it is not supported', guard(async () => {
    const r = await sys.setKeyboard('de', 'nodeadkeys');
    // No console-setup in the test host: the result says when the console takes it.
    assert.match(r, /^saved; console-setup \(setupcon, loadkeys\) is not installed|^applied to the console$/);
    assert.match(await file('/etc/default/keyboard'), /^XKBLAYOUT="de"\nXKBVARIANT="nodeadkeys"$/m);
    const keyboard = await file('/etc/default/keyboard');
    await assert.rejects(sys.setKeyboard('de', 'dvorak-nope'), /variant: "dvorak-nope" is not a variant of de/);
    assert.equal(await file('/etc/default/keyboard'), keyboard);
    await sys.setLocale('C.UTF-8');
    assert.match(await file('/etc/default/locale'), /^LANG=C\.UTF-8$/m);
    const locale = await file('/etc/default/locale');
    await assert.rejects(sys.setLocale('xx_YY.UTF-8'), /locale: "xx_YY.UTF-8" is not a locale generated on this host/);
    assert.equal(await file('/etc/default/locale'), locale);
    const c = await sys.console();
    assert.deepEqual([c.keyboard.layout, c.keyboard.variant, c.locale.lang], ['de', 'nodeadkeys', 'C.UTF-8']);
    assert.equal(c.kdump.supported, false);
    assert.match(c.kdump.reason ?? '', /kdump-tools is not installed/);
  }));

  it('netconsole: kernel messages reach a UDP listener on the segment peer; a bad target or device refused; off removes the target', guard(async () => {
    const listener = seg!.spawn([process.execPath, '-e', "require('dgram').createSocket('udp4').on('message', (m) => process.stdout.write(m)).bind(6666, '0.0.0.0')"], 'netconsole');
    await assert.rejects(sys.setNetconsole('logs.example:6666', 'eth0'), /target: "logs.example:6666" is not IP:PORT or IP/);
    await assert.rejects(sys.setNetconsole(`${PEER}:6666`, '-eth0'), /device: "-eth0" is not a network interface name/);
    await sys.setNetconsole(`${PEER}:6666`, 'eth0');
    assert.deepEqual((await sys.console()).netconsole, { enabled: true, device: 'eth0', remoteIp: PEER, remotePort: 6666 });
    assert.match(await file('/etc/modprobe.d/hostdeck-netconsole.conf'), new RegExp(`^options netconsole netconsole=@/eth0,6666@${PEER.replaceAll('.', '\\.')}/$`, 'm'));
    const text = await sys.testNetconsole();
    const deadline = Date.now() + 30_000;
    while (!readFileSync(listener.log, 'utf8').includes(text)) {
      assert.ok(Date.now() < deadline, `the peer receives the netconsole line; it got: ${readFileSync(listener.log, 'utf8').slice(-300)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await sys.setNetconsole('off');
    assert.equal((await sys.console()).netconsole, undefined);
    assert.equal((await host!.run(['test', '-e', '/etc/modprobe.d/hostdeck-netconsole.conf'])).code, 1);
  }));

  it('remote logging: rsyslog forwards to a TCP listener in the host and a UDP one on the segment peer, each receiving the test message; a bad target and a configuration rsyslogd refuses leave the previous drop-in', guard(async () => {
    await host!.mustRun(['rsyslogd']);
    await host!.waitUntil(['test', '-S', '/dev/log'], (r) => r.code === 0, { timeoutMs: 30_000, what: 'rsyslogd listens on /dev/log' });
    // Each connection's lines appended to the log (nc -ll keeps listening; tee's echo back is ignored by rsyslog).
    await host!.spawnBackground(['/bin/busybox', 'nc', '-ll', '-p', '10514', '-e', '/usr/bin/tee', '-a', '/run/listener.log'], { log: '/run/listener.out' });
    const r = await sys.setSyslog('tcp://127.0.0.1:10514');
    assert.equal(r.daemon, 'restarted');
    assert.deepEqual((await sys.syslog()).forward, { protocol: 'tcp', host: '127.0.0.1', port: 10514 });
    await host!.waitUntil(['test', '-S', '/dev/log'], (x) => x.code === 0, { timeoutMs: 30_000, what: 'rsyslogd back' });
    const text = await sys.testSyslog();
    await host!.waitUntil(['cat', '/run/listener.log'], (x) => x.stdout.includes(text), { timeoutMs: 60_000, what: 'the listener receives the test message' });
    // Over UDP to the segment peer: rsyslog restarted on the new drop-in, the line arrives as a datagram.
    const udp = seg!.spawn([process.execPath, '-e', "require('dgram').createSocket('udp4').on('message', (m) => process.stdout.write(m + '\\n')).bind(5514, '0.0.0.0')"], 'syslog-udp');
    await sys.setSyslog(`udp://${PEER}:5514`);
    await host!.waitUntil(['test', '-S', '/dev/log'], (x) => x.code === 0, { timeoutMs: 30_000, what: 'rsyslogd back' });
    const udpText = await sys.testSyslog();
    const deadline = Date.now() + 30_000;
    while (!readFileSync(udp.log, 'utf8').includes(udpText)) {
      assert.ok(Date.now() < deadline, `the peer receives the UDP syslog line; it got: ${readFileSync(udp.log, 'utf8').slice(-300)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const previous = await file(RSYSLOG_DROP_IN);
    await assert.rejects(sys.setSyslog('tls://127.0.0.1'), /target: "tls:\/\/127.0.0.1" is not udp:\/\/HOST\[:PORT\] or tcp:\/\/HOST\[:PORT\]/);
    await host!.writeFile('/etc/rsyslog.d/10-broken.conf', 'this is not rsyslog syntax {\n');
    await assert.rejects(sys.setSyslog('udp://127.0.0.1:5514'), /rsyslogd -N1 refused the configuration \(the previous .* is back\)/);
    await host!.mustRun(['rm', '/etc/rsyslog.d/10-broken.conf']);
    assert.equal(await file(RSYSLOG_DROP_IN), previous);
  }));
});
