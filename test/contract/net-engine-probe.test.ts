// The network apply's engine probe (issue #6: the probes chosen before a
// change include "the engine if registered"): unregistered, no engine probe;
// registered, `net test` (and so the apply's list) checks that the engine
// accepts connections on its address, with the real nc; an engine that is
// down fails the probe with nc's reason. The engine is the stand-in built
// from the host-register v1 protocol (no oVirt engine runs here).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { writeRegistration, type StoredRegistration } from '../../src/host/engine/state.ts';
import * as runner from '../../src/exec/runner.ts';
import { netUseCases } from '../lib/net-core.ts';
import { startEngineStandin } from '../lib/engine-standin.ts';

describe('network probes: the engine when registered (engine stand-in)', () => {
  it('no engine probe unregistered; registered, the probe reaches the engine; engine down, the probe fails with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-netprobe-'));
    const db = openDatabase(':memory:');
    const svc = netUseCases({ runner, db, events: new EventLog(db, { user: 'tester', channel: 'cli' }), watchdogCommand: null, stateDir: dir });
    const standin = await startEngineStandin();
    try {
      assert.deepEqual((await svc.test()).filter((p) => p.kind === 'engine'), []);
      writeRegistration(db, {
        engineHost: standin.host, enginePort: standin.port, caFingerprint: 'AA:BB', caSubject: 'CN=stand-in', name: 'node1', address: '127.0.0.1',
        sshUser: 'root', sshPort: 22, vdsPort: 54321, uniqueId: '00000000-0000-0000-0000-000000000001', engineSshKey: standin.sshPublicKey,
        authorizedKeysFile: join(dir, 'authorized_keys'), registeredAt: new Date().toISOString(),
      } satisfies StoredRegistration);
      const up = (await svc.test()).find((p) => p.kind === 'engine');
      assert.deepEqual(up && [up.target, up.ok, up.detail], [`${standin.host}:${standin.port}`, true, 'accepts connections']);
      await standin.close();
      const down = (await svc.test()).find((p) => p.kind === 'engine');
      assert.equal(down?.ok, false);
      assert.match(down!.detail, /refused|no connection/i);
    } finally {
      await standin.close().catch(() => undefined);
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
