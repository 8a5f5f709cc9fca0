// Read-only mode refuses registering with an engine and forgetting it through
// the core itself (not through the console's keys): one refusal event each,
// and nothing written on the host or in the state DB.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createCore } from '../../src/core/index.ts';
import { ForbiddenError } from '../../src/domain/errors.ts';
import { enginePaths } from '../../src/host/engine/index.ts';
import { readRegistration, writeRegistration, type StoredRegistration } from '../../src/host/engine/state.ts';
import { makeHostRoot, makeSshPublicKey, type HostRoot } from '../lib/engine-standin.ts';
import { testServices } from '../lib/services.ts';

const FP = 'AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD';

describe('engine registration in read-only mode, through the core', () => {
  let host: HostRoot;
  let services: ReturnType<typeof testServices>;
  beforeEach(() => {
    host = makeHostRoot();
    services = testServices({ readOnly: true, channel: 'cli' });
  });
  afterEach(async () => {
    await services.cleanup();
    host.cleanup();
  });

  test('engine.register is refused with one event; no request, no file, no registration', async () => {
    const core = createCore(services, { user: 'tester', channel: 'cli' });
    const before = host.snapshot();
    // Port 9 on loopback: a request would fail as refused, not as read-only.
    await assert.rejects(
      core.engine.register({ engine: '127.0.0.1:9', fingerprint: FP, name: 'node1', address: '192.0.2.21' }, { paths: enginePaths(host.root) }),
      (e: unknown) => e instanceof ForbiddenError && /read-only mode/.test(e.message),
    );
    const events = services.events.list();
    assert.equal(events.length, 1);
    assert.equal(events[0]!.result, 'failure');
    assert.equal(events[0]!.source, 'engine');
    assert.equal(events[0]!.channel, 'cli');
    assert.match(events[0]!.message, /^Register as node1 \(192\.0\.2\.21\) with oVirt engine 127\.0\.0\.1:9 refused: read-only mode/);
    assert.deepEqual(host.snapshot(), before);
    assert.equal(readRegistration(services.db), undefined);
  });

  test('engine.unregister is refused with one event; the registration and the stored CA stay', async () => {
    const paths = enginePaths(host.root);
    const key = makeSshPublicKey('ovirt-engine');
    const reg: StoredRegistration = {
      engineHost: 'engine.example', enginePort: 443, caFingerprint: FP, caSubject: 'CN=engine CA', name: 'node1', address: '192.0.2.21',
      sshUser: 'root', sshPort: 22, vdsPort: 54321, uniqueId: 'u-1', engineSshKey: key, authorizedKeysFile: `${host.root}/root/.ssh/authorized_keys`, registeredAt: '2026-01-01T00:00:00.000Z',
    };
    writeRegistration(services.db, reg);
    mkdirSync(dirname(paths.caFile), { recursive: true });
    writeFileSync(paths.caFile, 'ca stand-in\n');
    const before = host.snapshot();
    const core = createCore(services, { user: 'tester', channel: 'tui' });
    await assert.rejects(core.engine.unregister({ paths }), (e: unknown) => e instanceof ForbiddenError && /read-only mode/.test(e.message));
    const events = services.events.list();
    assert.equal(events.length, 1);
    assert.equal(events[0]!.channel, 'tui');
    assert.match(events[0]!.message, /^Unregister from oVirt engine engine\.example refused: read-only mode/);
    assert.deepEqual(host.snapshot(), before);
    assert.deepEqual(readRegistration(services.db), reg);
  });

  test('unattended registration at start is refused as the system principal, and tried again at the next start', async () => {
    const core = createCore(services, { user: 'tester', channel: 'tui' });
    const before = host.snapshot();
    const cmdline = `management_server=127.0.0.1:9 management_server_fingerprint=${FP}`;
    const paths = enginePaths(host.root);
    const first = await core.engine.unattended(cmdline, { paths, defaults: async () => ({ name: 'node1', address: '192.0.2.21' }) });
    assert.equal(first.status, 'refused');
    assert.equal(services.events.list().length, 1);
    assert.equal(services.events.list()[0]!.channel, 'system');
    // Nothing recorded as attempted: the refusal is not "already attempted" next time.
    assert.equal((await core.engine.unattended(cmdline, { paths, defaults: async () => ({ name: 'node1', address: '192.0.2.21' }) })).status, 'refused');
    assert.deepEqual(host.snapshot(), before);
  });
});
