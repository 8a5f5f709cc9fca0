// Storage connections through the core: read-only mode refuses their changes
// in the core itself (one refusal event, nothing stored) while listing still
// works, and the boot-time reconnect is recorded as the system's work.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { createCore } from '../../src/core/index.ts';
import { ForbiddenError } from '../../src/domain/errors.ts';
import { testServices } from '../lib/services.ts';

describe('storage connections through the core', () => {
  let services: ReturnType<typeof testServices> | undefined;
  afterEach(async () => { await services?.cleanup(); services = undefined; });

  test('read-only mode: add is refused with one event and nothing stored; the list still answers', async () => {
    services = testServices({ readOnly: true, channel: 'cli' });
    const core = createCore(services, { user: 'tester', channel: 'cli' });
    await assert.rejects(
      core.storageConnections.add({ type: 'localfs', name: 'local1', path: services.dir }),
      (e: unknown) => e instanceof ForbiddenError && /read-only mode/.test(e.message),
    );
    const events = services.events.list();
    assert.deepEqual(events.map((e) => [e.source, e.objectType, e.result, e.channel]), [['storage', 'storage-connection', 'failure', 'cli']]);
    assert.match(events[0]!.message, /^Add storage connection local .* refused: read-only mode/);
    assert.deepEqual(await core.storageConnections.list(), []);
    assert.equal(services.db.prepare('SELECT count(*) FROM storage_connections').pluck().get(), 0);
  });

  test('the boot-time reconnect connects every persistent connection as the system principal', async () => {
    services = testServices({ channel: 'cli' });
    const dir = join(services.dir, 'images');
    mkdirSync(dir);
    const core = createCore(services, { user: 'tester', channel: 'cli' });
    const added = await core.storageConnections.add({ type: 'localfs', name: 'local1', path: dir, persistent: true });
    const report = await core.storageConnections.reconnectPersistent();
    assert.deepEqual(report.map((r) => [r.id, r.ok]), [[added.id, true]]);
    const connect = services.events.list().filter((e) => e.message.startsWith('Connect storage'));
    assert.deepEqual(connect.map((e) => [e.result, e.user, e.channel]), [['success', 'tester', 'system'], ['started', 'tester', 'system']]);
    assert.equal((await core.storageConnections.list())[0]!.state, 'connected');
  });
});
