// `hostdeck serve` sends notifications: a subscription added by one CLI
// process, an event written by another process (this test's), the service
// process — the shipped bundle, dist/hostdeck.mjs, as the package and the
// systemd unit run it — posts it to a loopback webhook receiver; notify list
// then shows it delivered.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { testServices } from '../lib/services.ts';
import { runCli } from '../lib/cli-process.ts';
import { until } from '../lib/until.ts';
import { startReceiver } from '../lib/http-receiver.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'dist/hostdeck.mjs');

before(() => {
  if (!existsSync(BIN)) assert.equal(spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' }).status, 0, 'build failed');
});

describe('hostdeck serve delivers notifications', { timeout: 120_000 }, () => {
  const s = testServices({ channel: 'cli' });
  const env = { HOSTDECK_DB: s.config.dbPath, HOSTDECK_LOG: s.config.logFile, LIBVIRT_DEFAULT_URI: 'test:///default' };
  const receiving = startReceiver();
  const received = () => receiving.then((r) => r.bodies.map((b) => JSON.parse(b) as { event: { id: number; message: string } }));
  after(async () => { await (await receiving).close(); await s.cleanup(); });

  it('an event another process wrote reaches the webhook through the service', async () => {
    const url = (await receiving).url();
    const added = await runCli(['notify', 'add', '--channel', 'webhook', '--target', url, '--source', 'storage', '--min-severity', 'warning'], env);
    assert.equal(added.code, 0, added.err);

    const serve = spawn(process.execPath, [BIN, 'serve', '--interval', '1'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((r) => serve.on('close', r));
    try {
      const marker = randomUUID();
      const e = s.events.record({ source: 'storage', severity: 'error', objectType: 'storage-domain', objectId: 'data1', message: `Storage domain data1 unreachable ${marker}` });
      const calls = await until('the webhook call', received, (r) => r.some((x) => x.event.id === e.id));
      assert.equal(calls.find((x) => x.event.id === e.id)!.event.message, `Storage domain data1 unreachable ${marker}`);
      const list = await until('the delivered count', async () => JSON.parse((await runCli(['notify', 'list', '--json'], env)).out) as { delivered: number }[], (l) => l[0]!.delivered >= 1);
      assert.equal(list[0]!.delivered, 1);
    } finally {
      serve.kill('SIGTERM');
      await exited;
    }
  });
});
