// The support bundle's redaction proof on the real host and libvirtd: known
// secrets are planted in every source the bundle reads that a test can reach
// (a state DB setting, an event and an iSCSI connection's CHAP secret, the
// hostdeck log, a defined domain's VNC password, a per-VM libvirt log with a
// PEM private key and a QEMU secret object, the journal through logger(1)
// where journald runs); none of them is anywhere in the archive (its bytes
// un-gzipped, paths and index included), while the text beside each is.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { main } from '../../src/cli.tsx';
import { run, runOk } from '../../src/exec/runner.ts';
import type { SupportBundle } from '../../src/core/support.ts';
import { consoleCore, testServices } from '../lib/services.ts';
import { guestName, removeStaleGuests, SYSTEM_URI } from '../lib/guest.ts';

const name = guestName('support');
const qemuLog = `/var/log/libvirt/qemu/${name}.log`;
const s = testServices({ uri: SYSTEM_URI });
const SECRET = {
  setting: 'PLANTED-setting-7f3a',
  event: 'PLANTED-event-91cc',
  chap: 'PLANTED-chap-5e02aa',
  log: 'PLANTED-log-token-44d1',
  ldap: 'PLANTED-ldap-bind-0b7e',
  vnc: 'Qz7vNc9w',
  pem: 'PLANTEDpemBODYb3BlbnNzaC1rZXktdjE',
  qemu: 'UExBTlRFRHFlbXVzZWNyZXQ=',
  journal: 'PLANTED-journal-c8f0',
};
const env = { log: process.env.HOSTDECK_LOG };
const journald = existsSync('/run/systemd/journal/socket');

before(async () => {
  await removeStaleGuests();
  process.env.HOSTDECK_LOG = s.config.logFile;
  const core = consoleCore(s);
  s.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?), (?, ?)').run('ldap.bind_dn', 'cn=hostdeck,dc=example,dc=test', 'ldap.bind_password', SECRET.setting);
  s.events.record({ source: 'host', severity: 'info', message: `Bind to ldap.example.test with password=${SECRET.event}` });
  await core.storageConnections.add({ type: 'iscsi', portal: '192.0.2.10:3260', target: 'iqn.2026-12.test.support:lun0', chapUser: 'supportuser', chapSecret: SECRET.chap });
  writeFileSync(s.config.logFile, [
    'hostdeck log before the secrets',
    `engine call Authorization: Bearer ${SECRET.log}`,
    `ldap config: bindpw ${SECRET.ldap}`,
    'hostdeck log after the secrets',
  ].join('\n') + '\n', { flag: 'a' });
  const xml = `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><os><type arch='x86_64' machine='pc'>hvm</type></os>`
    + `<devices><graphics type='vnc' port='-1' autoport='yes' passwd='${SECRET.vnc}'/></devices></domain>`;
  const file = join(s.dir, 'dom.xml');
  writeFileSync(file, xml);
  await runOk('virsh', ['-c', SYSTEM_URI, 'define', file]);
  writeFileSync(qemuLog, [
    `2026-12-07 10:00:00.000+0000: starting up libvirt version: 9.0.0, qemu version: 7.2.0, hostname: host`,
    `/usr/bin/qemu-system-x86_64 -name guest=${name} -object {"qom-type":"secret","id":"vnc0-secret0","data":"${SECRET.qemu}","keyid":"masterKey0","iv":"AAAA","format":"base64"} -machine pc`,
    'a key someone pasted:',
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    SECRET.pem,
    '-----END OPENSSH PRIVATE KEY-----',
    'qemu log after the key',
  ].join('\n') + '\n');
  if (journald) await runOk('logger', ['-t', 'hostdeck-support-test', `HOSTDECK_API_TOKEN=${SECRET.journal} journal neighbour`]);
});

after(async () => {
  if (env.log === undefined) delete process.env.HOSTDECK_LOG; else process.env.HOSTDECK_LOG = env.log;
  await run('virsh', ['-c', SYSTEM_URI, 'undefine', name]);
  rmSync(qemuLog, { force: true });
  await s.cleanup();
});

describe('support bundle redaction (real libvirtd, real host programs)', () => {
  it('no planted secret is anywhere in the archive; the text beside each one is', async () => {
    const file = join(s.dir, 'bundle.tar.gz');
    let out = '';
    let err = '';
    const code = await main(['support', 'bundle', '--output', file, '--json', '-c', SYSTEM_URI, '--db', s.config.dbPath], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
    assert.equal(code, 0, err);
    const bundle = JSON.parse(out) as SupportBundle;

    const raw = gunzipSync(readFileSync(file)).toString('latin1');
    for (const [where, secret] of Object.entries(SECRET)) assert.equal(raw.includes(secret), false, `the ${where} secret is in the bundle`);

    const x = join(s.dir, 'x');
    mkdirSync(x);
    await runOk('tar', ['-xzf', file, '-C', x]);
    const part = (p: string) => readFileSync(join(x, 'bundle', p), 'utf8');
    assert.match(part('hostdeck/db/settings.jsonl'), /"key":"ldap\.bind_dn","value":"cn=hostdeck,dc=example,dc=test"/);
    assert.match(part('hostdeck/db/settings.jsonl'), /"key":"ldap\.bind_password","value":"\[REDACTED\]"/);
    assert.match(part('hostdeck/db/events.jsonl'), /Bind to ldap\.example\.test with password=\[REDACTED\]/);
    const conn = part('hostdeck/db/storage_connections.jsonl');
    assert.match(conn, /iqn\.2026-12\.test\.support:lun0/);
    assert.match(conn, /supportuser/);
    assert.equal(conn.includes('sealed'), false);
    const log = part('hostdeck/hostdeck.log');
    for (const line of ['hostdeck log before the secrets', 'engine call Authorization: Bearer [REDACTED]', 'ldap config: bindpw [REDACTED]', 'hostdeck log after the secrets']) assert.ok(log.includes(line), `${line} in ${log}`);
    assert.match(part(`libvirt/domains/${name}.xml`), /<graphics type='vnc'/);
    const qemu = part(`libvirt/qemu-logs/${name}.log`);
    assert.match(qemu, new RegExp(`-name guest=${name} -object \\{"qom-type":"secret","id":"vnc0-secret0","data":"\\[REDACTED\\]"`));
    assert.match(qemu, /-----BEGIN OPENSSH PRIVATE KEY-----\n\[REDACTED\]\n-----END OPENSSH PRIVATE KEY-----\nqemu log after the key/);
    const journal = bundle.parts.find((p) => p.path === 'journal/journal-since-boot.txt');
    assert.ok(journal, 'the journal has its index entry');
    if (journald) assert.match(part('journal/journal-since-boot.txt'), /HOSTDECK_API_TOKEN=\[REDACTED\] journal neighbour/);
    else assert.match(journal.note ?? '', /No journal files|journal/i, 'without journald the index says why the journal is empty');
    // The index counts what each part lost.
    const redactions = (p: string) => bundle.parts.find((e) => e.path === p)?.redactions;
    assert.deepEqual([redactions('hostdeck/hostdeck.log'), redactions(`libvirt/qemu-logs/${name}.log`), redactions('hostdeck/db/events.jsonl')], [2, 2, 1]);
  });
});
