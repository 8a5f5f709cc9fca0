// `hostdeck notify ...` on a state DB of the test's own: bad input exits 2
// naming the option and its rule with nothing written; a subscription is
// added, listed with its counts (--json too), tested against a loopback HTTP
// receiver and removed, each change with its event; read-only mode refuses.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { scratchCli, type CliRun } from '../lib/cli-main.ts';
import { openDatabase } from '../../src/manager/db.ts';
import { startReceiver, type Receiver } from '../lib/http-receiver.ts';

const cli = scratchCli('hostdeck-notify-cli-');
const { hostdeck, dbPath } = cli;
const ROOT = new URL('../..', import.meta.url).pathname;

/** hostdeck as a program in a mount namespace of its own where the MTA's sendmail is not executable (/dev/null bound over it): a host without an MTA. */
function hostdeckWithoutMta(...argv: string[]): Promise<CliRun> {
  const script = 'mount --bind /dev/null "$1" && shift && exec "$@"';
  const args = ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', realpathSync('/usr/sbin/sendmail'), process.execPath, '--import', 'tsx', 'src/cli.tsx', ...argv, '--db', dbPath(), '-c', 'test:///default'];
  return new Promise((resolve) => execFile('unshare', args, { cwd: ROOT, env: { ...process.env, HOSTDECK_LOG: join(cli.dir, 'hostdeck.log') } }, (err, out, errOut) => resolve({ code: err ? Number(err.code ?? 1) : 0, out, err: errOut })));
}
const query = <T>(sql: string): T[] => {
  const db = openDatabase(dbPath());
  try { return db.prepare(sql).all() as T[]; } finally { db.close(); }
};
const subscriptions = () => query<{ id: number }>('SELECT id FROM notification_subscriptions');
const json = <T>(r: CliRun): T => { assert.equal(r.code, 0, r.err); return JSON.parse(r.out) as T; };

describe('hostdeck notify', () => {
  let receiver: Receiver;
  before(async () => { receiver = await startReceiver(); });
  after(() => receiver.close());

  it('refuses bad input naming the option and the rule, writing nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['--channel', 'pager', '--target', 'x'], /--channel: must be one of syslog, mail, webhook/],
      [['--channel', 'mail', '--target', 'root@@host'], /--target: "root@@host" is not a mail address/],
      [['--channel', 'webhook', '--target', 'file:///etc/passwd'], /--target: a webhook URL must be http or https, got file/],
      [['--channel', 'syslog', '--target', 'tcp://127.0.0.1:70000'], /--target port: must be from 1 to 65535/],
      [['--channel', 'syslog', '--target', 'local', '--min-severity', 'panic'], /--min-severity: must be one of info, warning, error, alert/],
      [['--channel', 'syslog', '--target', 'local', '--source', 'VM!'], /--source: must be \* or an event source/],
    ];
    for (const [args, re] of cases) {
      const r = await hostdeck('notify', 'add', ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
    }
    assert.equal(subscriptions().length, 0);
    const bad = await hostdeck('notify', 'remove', 'abc');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /ID: must be a subscription number/);
    const missing = await hostdeck('notify', 'test', '42');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no notification subscription 42/);
  });

  it('read-only mode refuses adding, with its event, writing nothing', async () => {
    const r = await hostdeck('--read-only', 'notify', 'add', '--channel', 'syslog', '--target', 'local');
    assert.equal(r.code, 1);
    assert.match(r.err, /read-only mode/);
    assert.equal(subscriptions().length, 0);
    assert.equal(query<{ message: string }>("SELECT message FROM events WHERE message LIKE 'Add notification subscription%refused: read-only mode%'").length, 1);
  });

  it('adds, lists with counts, tests now and removes, each change evented', async () => {
    const url = receiver.url();
    const added = await hostdeck('notify', 'add', '--channel', 'webhook', '--target', url, '--source', 'vm', '--min-severity', 'error');
    assert.equal(added.code, 0, added.err);
    assert.match(added.out, new RegExp(`Subscription 1: vm events of error or worse go to webhook ${url}`));
    const list = json<{ id: number; channel: string; target: string; delivered: number; failed: number; deadLetter: number }[]>(await hostdeck('notify', 'list', '--json'));
    assert.deepEqual(list.map((s) => [s.id, s.channel, s.target, s.delivered, s.failed, s.deadLetter]), [[1, 'webhook', url, 0, 0, 0]]);
    const table = await hostdeck('notify', 'list');
    assert.match(table.out, /DELIVERED\s+FAILED\s+DEAD-LETTER/);

    const t = await hostdeck('notify', 'test', '1');
    assert.equal(t.code, 0, t.err);
    assert.match(t.out, new RegExp(`Test notification through webhook ${url}: accepted by the endpoint in \\d+ ms`));
    assert.match(receiver.bodies.at(-1)!, /Test notification from hostdeck \(subscription 1\)/);

    assert.equal((await hostdeck('notify', 'remove', '1')).code, 0);
    assert.equal(subscriptions().length, 0);
    const events = query<{ message: string; result: string; channel: string }>("SELECT message, result, channel FROM events WHERE object_type = 'notification' ORDER BY id");
    for (const re of [/^Add notification subscription: vm events of error or worse to webhook/, /^Send a test notification through webhook/, /^Remove notification subscription 1/]) {
      assert.ok(events.some((e) => re.test(e.message) && e.result === 'success' && e.channel === 'cli'), `${re}: ${JSON.stringify(events)}`);
    }
  });

  it('a mail subscription on a host without an MTA: the listing and a test say so', async () => {
    const added = await hostdeck('notify', 'add', '--channel', 'mail', '--target', 'root@localhost', '--min-severity', 'error');
    assert.equal(added.code, 0, added.err);
    const list = await hostdeckWithoutMta('notify', 'list', '--json');
    assert.equal(list.code, 0, list.err);
    const [sub] = JSON.parse(list.out) as { id: number; unavailable?: string }[];
    assert.match(sub!.unavailable ?? '', /no \/usr\/sbin\/sendmail on this host: install a mail transfer agent/);
    const t = await hostdeckWithoutMta('notify', 'test', String(sub!.id));
    assert.equal(t.code, 1);
    assert.match(t.err, /no \/usr\/sbin\/sendmail on this host/);
    const withMta = JSON.parse((await hostdeck('notify', 'list', '--json')).out) as { unavailable?: string }[];
    assert.equal(withMta[0]!.unavailable, undefined, 'dma is installed here: available');
  });
});
