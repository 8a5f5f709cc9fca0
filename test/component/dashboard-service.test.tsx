// The dashboard's host service line, read from the service's lock in the
// real state DB: "not running: start with hostdeck serve" without one,
// "running (pid N, since HH:MM)" while a process holds it, and a failing
// duty named with its error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { SCREENS } from '../../screens/index.ts';
import { processIdentity } from '../../src/host/process-identity.ts';
import { hostServiceRepo } from '../../src/manager/repos/host-service.ts';
import { renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

async function dashboardWith(prepare: (s: ReturnType<typeof testServices>) => void): Promise<string> {
  const services = testServices();
  prepare(services);
  const core = consoleCore(services);
  const stores = createStores(core, 2000);
  const ui = renderTui(<App core={core} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'unconfigured'} />, { columns: 120, rows: 40 });
  try {
    const f = await ui.waitFor(/service\s+\S/);
    return f.split('\n').find((l) => /│\s*service\s/.test(l)) ?? f;
  } finally {
    ui.unmount();
    stores.stop();
    await services.cleanup();
  }
}

const hhmm = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

describe('the dashboard shows whether the host service runs', () => {
  it('no service: not running, with how to start it', async () => {
    const line = await dashboardWith(() => undefined);
    assert.match(line, /service\s+not running: start with hostdeck serve/);
  });

  it('a process holding the lock: running with its PID and since when', async () => {
    const since = new Date();
    const line = await dashboardWith((s) => {
      hostServiceRepo(s.db).claim({ pid: process.pid, identity: processIdentity(process.pid), since: since.toISOString(), duties: [{ id: 'storage-health', everyMs: 10_000 }] }, () => true);
    });
    assert.match(line, new RegExp(`service\\s+running \\(pid ${process.pid}, since ${hhmm(since)}\\)`));
  });

  it('a lock whose process is gone: not running, naming the PID that ended without stopping', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(gone.stdout);
    const line = await dashboardWith((s) => {
      hostServiceRepo(s.db).claim({ pid, identity: `${processIdentity(process.pid)!.split(':')[0]}:1`, since: new Date().toISOString(), duties: [] }, () => true);
    });
    assert.match(line, new RegExp(`service\\s+not running \\(pid ${pid} ended without stopping\\): start with hostdeck serve`));
  });

  it('a duty whose last run failed is named with its error', async () => {
    const line = await dashboardWith((s) => {
      const repo = hostServiceRepo(s.db);
      repo.claim({ pid: process.pid, identity: processIdentity(process.pid), since: new Date().toISOString(), duties: [{ id: 'storage-health', everyMs: 10_000 }] }, () => true);
      repo.recordDuty('storage-health', { at: new Date().toISOString(), ok: false, message: 'disk gone', durationMs: 3 });
    });
    assert.match(line, /service\s+running \(pid \d+, since \d\d:\d\d\), failing: storage-health: disk gone/);
  });
});
