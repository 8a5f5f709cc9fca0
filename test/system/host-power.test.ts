// `hostdeck host poweroff` taking a real Linux host down: in a QEMU test host
// (no systemd there, as on this machine) the read-only console refuses, and
// the real command shuts the running VM of libvirt's test driver down, syncs
// and powers the kernel off: QEMU exits on its own. The steps the command
// printed before the host went down are read back from the exchange
// directory the harness writes its output into. The VM part on the real
// libvirtd is test/integration/host-power.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestHost, TestHostError } from '../lib/testhost/index.ts';
import { until } from '../lib/until.ts';

describe('host poweroff in a QEMU test host', { timeout: 600_000 }, () => {
  let host: TestHost | undefined;
  const guard = <A extends unknown[]>(fn: (...a: A) => Promise<void>) => TestHost.keepLogsOnFailure(() => [host], fn);
  const env = { HOSTDECK_DB: '/tmp/power.db', HOSTDECK_LOG: '/tmp/hostdeck.log' };
  const hostdeck = (args: string[]) => host!.node(['src/main.ts', '--connect', 'test:///default', ...args], { env, timeoutMs: 300_000 });

  before(async () => {
    host = new TestHost({ name: 'power', nics: 0 });
    await host.boot();
  });
  after(async () => { await host?.destroy(); });

  it('read-only mode refuses and the host stays up', guard(async () => {
    const r = await hostdeck(['--read-only', 'host', 'poweroff', '--yes']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /read-only mode/);
    assert.equal((await host!.mustRun(['true'])).code, 0);
  }));

  it('poweroff --yes: the running VM is shut down, then the host powers off and QEMU exits', guard(async () => {
    const pid = host!.qemuPid!;
    const r = await hostdeck(['host', 'poweroff', '--yes', '--timeout', '5']).then(() => undefined, (e: unknown) => e);
    assert.ok(r instanceof TestHostError, `the command's host went away: ${String(r)}`);
    assert.match(r.message, /reboot: Power down|QEMU of power exited \(0\)/);
    // The kernel powered the machine off: QEMU exits on its own (not killed by the harness).
    await until('QEMU to exit', () => { try { process.kill(pid, 0); return false; } catch { return true; } }, (gone) => gone, 60_000);
    const reqs = join(host!.xferDir, 'req');
    const last = readdirSync(reqs).map(Number).sort((x, y) => x - y).pop()!;
    const err = readFileSync(join(reqs, String(last), 'stderr'), 'utf8');
    assert.match(err, /Running VMs \(1\): test\.\n1\. test: shut down \(ACPI\), forced off after 5 s\n2\. no systemd here/);
    assert.match(err, /\ntest: shut down\nrunning sync\nrunning poweroff -f\n$/);  }));
});
