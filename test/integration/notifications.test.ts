// Notifications over a real state DB file and real receivers: a unix datagram
// socket as the local syslog daemon's (python3 listening), UDP and TCP syslog
// listeners, the host's MTA (dma, delivering to root's local mailbox), a
// loopback HTTP receiver and an endpoint that never answers. The dispatcher
// duty runs directly, with a clock the test steps to reach the end of a
// backoff.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer as createTcpServer } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { testServices } from '../lib/services.ts';
import { until } from '../lib/until.ts';
import { startReceiver, type Receiver } from '../lib/http-receiver.ts';
import { createCore, type Core } from '../../src/core/index.ts';

const MAILBOX = '/var/mail/root';
/** A unix datagram socket at `path` as a syslog daemon's (python3 listening): each datagram one line in `into`. */
function listenOn(path: string, into: string[]): ChildProcess {
  const p = spawn('python3', ['-c', `import socket,sys
s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM); s.bind(sys.argv[1]); print("ready",flush=True)
while True: print(s.recv(65536).decode().replace("\\n"," "),flush=True)`, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  p.stdout!.on('data', (d: Buffer) => into.push(...d.toString().split('\n').filter((l) => l && l !== 'ready')));
  return p;
}
const mailbox = () => (existsSync(MAILBOX) ? readFileSync(MAILBOX, 'utf8') : '');

describe('notifications reach syslog, mail and webhooks; a hanging webhook is retried, then dead-lettered, without holding the others up', () => {
  const s = testServices({ channel: 'cli' });
  const core: Core = createCore(s, { user: 'tester', channel: 'cli' });
  const lines = { local: [] as string[], udp: [] as string[], tcp: [] as string[] };
  let listener: ChildProcess;
  let late: ChildProcess | undefined;
  const udp = createSocket('udp4');
  const tcp = createTcpServer((c) => { let b = ''; c.on('data', (d) => { b += d.toString(); const parts = b.split('\n'); b = parts.pop()!; lines.tcp.push(...parts.filter(Boolean)); }); });
  let receiver: Receiver;
  // Accepts the request and never answers.
  let hanging: Receiver;
  const hooks = () => receiver.bodies.map((b) => JSON.parse(b) as { event: { id: number; message: string } });
  const socket = join(s.dir, 'log.sock');
  const marker = randomUUID();
  let clock = Date.now();
  const ids: Record<string, number> = {};

  before(async () => {
    listener = listenOn(socket, lines.local);
    udp.on('message', (m) => lines.udp.push(m.toString()));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
    [receiver, hanging] = await Promise.all([startReceiver(), startReceiver({ hang: true })]);
    await until('the local syslog socket', () => existsSync(socket), Boolean);
    const add = async (name: string, channel: string, target: string, source: string, minSeverity: string) => { ids[name] = (await core.notifications.add({ channel, target, source, minSeverity })).id; };
    await add('local', 'syslog', socket, '*', 'info');
    await add('udp', 'syslog', `udp://127.0.0.1:${udp.address().port}`, 'vm', 'warning');
    await add('tcp', 'syslog', `tcp://127.0.0.1:${(tcp.address() as { port: number }).port}`, 'vm', 'warning');
    await add('mail', 'mail', `root@${hostname()}`, 'vm', 'error');
    await add('hook', 'webhook', receiver.url(), 'vm', 'info');
    await add('hang', 'webhook', hanging.url('/slow'), 'vm', 'info');
  });
  after(async () => {
    listener.kill();
    late?.kill();
    udp.close();
    await Promise.all([new Promise((r) => tcp.close(r)), receiver.close(), hanging.close()]);
    await s.cleanup();
  });

  const dispatcher = () => core.notifications.newDispatcher({ timeoutMs: 500, maxAttempts: 3, backoffBaseMs: 60_000, now: () => clock });

  it('delivers each event to the subscriptions whose source and least severity it matches', async () => {
    const d = await dispatcher();
    const vmError = s.events.record({ source: 'vm', severity: 'error', objectType: 'vm', objectId: 'web "1"]', message: `VM web1 crashed ${marker}`, user: 'tester', channel: 'cli' });
    const storageInfo = s.events.record({ source: 'storage', severity: 'info', objectType: 'storage-domain', objectId: 'data1', message: `Domain data1 checked ${marker}` });
    await d.run();

    await until('three syslog lines', () => lines.local.length + lines.udp.length + lines.tcp.length, (n) => n >= 4);
    // RFC 5424: <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG; daemon.err is 3*8+3.
    const rfc = new RegExp(`^<27>1 \\S+ ${hostname()} hostdeck - vm \\[hostdeck@32473 eventId="${vmError.id}" objectType="vm" objectId="web \\\\"1\\\\"\\\\]"\\] \\[error\\] vm vm web "1"\\]: VM web1 crashed ${marker}`);
    for (const where of ['local', 'udp', 'tcp'] as const) assert.ok(lines[where].some((l) => rfc.test(l)), `${where}: ${JSON.stringify(lines[where])}`);
    assert.ok(lines.local.some((l) => l.includes(`eventId="${storageInfo.id}"`) && / hostdeck - storage /.test(l)), 'the * subscription gets the storage event');
    assert.ok(!lines.udp.some((l) => l.includes(`eventId="${storageInfo.id}"`)), 'a vm subscription does not get a storage event');

    const mail = await until('the mail in root\'s mailbox', mailbox, (m) => m.includes(`VM web1 crashed ${marker}`));
    assert.match(mail, new RegExp(`Subject: hostdeck error: VM web1 crashed ${marker}`));
    assert.match(mail, new RegExp(`X-Hostdeck-Event: ${vmError.id}`));
    assert.ok(!mail.includes(`Domain data1 checked ${marker}`), 'an info event is below the mail subscription\'s error');

    assert.deepEqual(hooks().map((h) => [h.event.id, h.event.message]), [[vmError.id, `VM web1 crashed ${marker}`]]);
  });

  it('a hanging webhook times out, is retried after its backoff and dead-lettered, with one failure event, while the others keep delivering', async () => {
    const d = await dispatcher();
    const list = async () => Object.fromEntries((await core.notifications.list()).map((x) => [x.id, x]));
    let subs = await list();
    assert.equal(subs[ids.hang!]!.failed, 1);
    assert.equal(subs[ids.hang!]!.queued, 1, 'waits for its retry');
    assert.match(subs[ids.hang!]!.lastError ?? '', /no answer within 500 ms/);
    assert.equal(subs[ids.hook!]!.delivered, 1);

    // Before the backoff ends: not tried again; a new event still reaches the working webhook.
    const second = s.events.record({ source: 'vm', severity: 'warning', objectType: 'vm', objectId: 'web2', message: `VM web2 paused ${marker}` });
    await d.run();
    subs = await list();
    assert.equal(subs[ids.hang!]!.failed, 1, 'no attempt before the backoff ends');
    assert.ok(hooks().some((h) => h.event.id === second.id));

    // Attempts 2 and 3, each after its (doubling) backoff: then the first delivery is a dead letter.
    clock += 60_000;
    await d.run();
    clock += 120_000;
    await d.run();
    subs = await list();
    assert.equal(subs[ids.hang!]!.deadLetter, 1);
    assert.equal(subs[ids.hook!]!.deadLetter, 0);
    assert.equal(subs[ids.hook!]!.failed, 0);

    const failures = s.events.list({ text: `fail: webhook ${hanging.url('/slow')}` });
    assert.equal(failures.length, 1, 'one event per failure streak');
    assert.deepEqual([failures[0]!.severity, failures[0]!.objectType, failures[0]!.objectId, failures[0]!.channel], ['error', 'notification', String(ids.hang), 'system']);
    // Not queued for the channel it is about (that would notify about itself for ever); the * syslog got it.
    const own = s.db.prepare('SELECT count(*) FROM notification_queue WHERE subscription_id = ? AND event_id = ?').pluck().get(ids.hang, failures[0]!.id);
    assert.equal(own, 0);
    await until('the failure on the local syslog', () => lines.local, (l) => l.some((x) => x.includes(`eventId="${failures[0]!.id}"`)));
  });

  it('notify test sends now and says what happened; a hanging endpoint fails saying so, both evented', async () => {
    const ok = await core.notifications.test(ids.hook!);
    assert.match(ok.message, /accepted by the endpoint/);
    assert.ok(hooks().some((h) => h.event.id === 0 && /Test notification/.test(h.event.message)));
    await assert.rejects(core.notifications.test(ids.hang!), /no answer within 5000 ms/);
    const evs = s.events.list({ text: `Send a test notification through webhook ${hanging.url('/slow')}` });
    assert.ok(evs.some((e) => e.result === 'failure' && e.user === 'tester'));
  });

  it('a channel that fails raises one event, and one when it works again (a syslog socket that appears later)', async () => {
    const d = await dispatcher();
    const path = join(s.dir, 'later.sock');
    const id = (await core.notifications.add({ channel: 'syslog', target: path, source: 'storage', minSeverity: 'info' })).id;
    const first = s.events.record({ source: 'storage', severity: 'info', message: `first ${marker}` });
    s.events.record({ source: 'storage', severity: 'info', message: `second ${marker}` });
    await d.run();
    const failing = s.events.list({ text: `Notifications through syslog ${path} fail` });
    assert.equal(failing.length, 1);
    assert.match(failing[0]!.message, /No such file or directory/);
    const got: string[] = [];
    late = listenOn(path, got);
    await until('the late socket', () => existsSync(path), Boolean);
    clock += 60_000;
    await d.run();
    assert.equal(s.events.list({ text: `Notifications through syslog ${path} work again` }).length, 1);
    await until('both events, in order', () => got, (g) => g.length >= 2);
    assert.ok(got[0]!.includes(`eventId="${first.id}"`) && got[1]!.includes(`second ${marker}`), JSON.stringify(got));
    const sub = (await core.notifications.list()).find((x) => x.id === id)!;
    assert.deepEqual([sub.delivered, sub.failed, sub.deadLetter, sub.failing], [2, 1, 0, false]);
  });

  it('remove takes a subscription away with its queue; nothing is sent to it after', async () => {
    await core.notifications.remove(ids.hang!);
    assert.ok(!(await core.notifications.list()).some((x) => x.id === ids.hang));
    assert.equal(s.db.prepare('SELECT count(*) FROM notification_queue WHERE subscription_id = ?').pluck().get(ids.hang), 0);
    await assert.rejects(core.notifications.remove(ids.hang!), /no notification subscription/);
  });
});
