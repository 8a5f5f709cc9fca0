// `hostdeck diagnose --json` and `hostdeck net test --mtu` on this machine's
// real programs and libvirtd: the checks that must hold here (libvirtd
// connected, / and /var with figures, memory read, each non-ok check with
// why), the exit status following failed checks; the MTU path test against
// 127.0.0.1 at lo's MTU, and in a network namespace whose lo has a smaller
// MTU than asked, where it finds the largest size that passes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain, type CliRun } from '../lib/cli-main.ts';
import { run } from '../../src/exec/runner.ts';
import { createDiagnosticsUseCases } from '../../src/core/diagnostics.ts';
import type { CheckResult } from '../../src/domain/diagnostics.ts';
import type { MtuPathResult } from '../../src/domain/net/test-targets.ts';
import { testDoor } from '../lib/door.ts';
import { testServices } from '../lib/services.ts';
import { openDatabase } from '../../src/manager/db.ts';

let dir = '';
const savedLog = process.env.HOSTDECK_LOG;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hostdeck-diagnose-'));
  process.env.HOSTDECK_LOG = join(dir, 'hostdeck.log');
});
after(() => {
  if (savedLog === undefined) delete process.env.HOSTDECK_LOG; else process.env.HOSTDECK_LOG = savedLog;
  rmSync(dir, { recursive: true, force: true });
});

const hostdeck = (...argv: string[]): Promise<CliRun> => runMain(join(dir, 'state.db'), 'qemu:///system', argv);

describe('hostdeck diagnose', () => {
  it('--json: every check with a status, why where it is not ok, a fix where it warns or fails; libvirtd and / hold here', async () => {
    const r = await hostdeck('diagnose', '--json');
    const { summary, checks } = JSON.parse(r.out) as { summary: { failed: number }; checks: CheckResult[] };
    const ids = checks.map((c) => c.id);
    for (const id of ['virtualization', 'cpu-flags', 'memory', 'disk:/', 'disk:/var', 'time', 'dns', 'cert', 'libvirt', 'service', 'storage-domains']) assert.ok(ids.includes(id), `${id} in ${ids.join(' ')}`);
    assert.ok(ids.some((i) => i.startsWith('nic')));
    for (const c of checks) {
      assert.ok(['ok', 'warning', 'failed', 'not-applicable', 'unknown'].includes(c.status), c.id);
      assert.ok(c.detail.length > 0, c.id);
      if (c.status === 'warning' || c.status === 'failed') assert.ok(c.fix, `${c.id} has a fix`);
    }
    const by = new Map(checks.map((c) => [c.id, c]));
    assert.equal(by.get('libvirt')!.status, 'ok');
    assert.match(by.get('libvirt')!.detail, /connected to qemu:\/\/\/system/);
    assert.match(by.get('disk:/')!.detail, /free of .* % used/);
    assert.match(by.get('memory')!.detail, /available/);
    // A fresh state DB: not registered, no storage domain.
    assert.equal(by.get('cert')!.status, 'not-applicable');
    assert.equal(by.get('storage-domains')!.status, 'not-applicable');
    assert.equal(by.get('cpu-flags')!.status, 'ok');
    assert.match(by.get('cpu-flags')!.detail, /this host runs cluster Default's CPU type \S+, the CPU model its VMs get/);
    assert.equal(summary.failed, checks.filter((c) => c.status === 'failed').length);
    assert.equal(r.code, summary.failed ? 1 : 0);
  });

  it("a cluster CPU type QEMU here cannot run fails the CPU flags check, naming the type, with the fix", async () => {
    // The core refuses such a type, so it is put in the state DB as an older host's cluster could carry it.
    const db = openDatabase(join(dir, 'state.db'));
    try { db.prepare("UPDATE clusters SET cpu_type = 'NoSuchCpu9' WHERE name = 'Default'").run(); } finally { db.close(); }
    try {
      const { code, out } = await hostdeck('diagnose', '--json');
      const c = (JSON.parse(out) as { checks: CheckResult[] }).checks.find((x) => x.id === 'cpu-flags')!;
      assert.equal(c.status, 'failed');
      assert.match(c.detail, /cluster Default's CPU type NoSuchCpu9: QEMU here has no usable CPU model 'NoSuchCpu9'/);
      assert.match(c.fix!, /hostdeck cluster edit Default --cpu-type TYPE/);
      assert.equal(code, 1);
    } finally {
      const back = openDatabase(join(dir, 'state.db'));
      try { back.prepare("UPDATE clusters SET cpu_type = 'host-model' WHERE name = 'Default'").run(); } finally { back.close(); }
    }
  });

  it('a failed check (libvirtd not reachable at the URI given) makes the exit status 1, with the fix', async () => {
    const { code, out } = await runMain(join(dir, 'state.db'), `qemu+unix:///system?socket=${join(dir, 'no-such.sock')}`, ['diagnose', '--json']);
    const lv = (JSON.parse(out) as { checks: CheckResult[] }).checks.find((c) => c.id === 'libvirt')!;
    assert.equal(lv.status, 'failed');
    assert.match(lv.fix!, /systemctl start libvirtd/);
    assert.equal(code, 1);
  });

  it('a check that does not answer within its time limit says "cannot tell" and the others still report', async () => {
    const services = testServices({ uri: 'qemu:///system' });
    try {
      // A limit no program can answer within: the checks that start one (the clock, the name) are cut off.
      const checks = await createDiagnosticsUseCases({ infra: services, door: testDoor(services.events) }, 1).run();
      const by = new Map(checks.map((c) => [c.id, c]));
      for (const id of ['time', 'dns']) {
        assert.equal(by.get(id)!.status, 'unknown', id);
        assert.match(by.get(id)!.detail, /no answer within 0\.001 s/);
        assert.ok(by.get(id)!.fix);
      }
      assert.ok(checks.length >= 11);
    } finally {
      await services.cleanup();
    }
  });

  it('prints one line per check with its fix and the summary', async () => {
    const r = await hostdeck('diagnose');
    assert.match(r.out, /^ok {13}libvirtd running: connected to qemu:\/\/\/system$/m);
    assert.match(r.out, /^(all \d+ checks ok|\d+ warning\(s\), \d+ ok|\d+ failed, \d+ warning\(s\), \d+ ok)$/m);
    if (/^warning /m.test(r.out)) assert.match(r.out, /^ {15}fix: /m);
  });
});

describe('hostdeck net test --mtu', () => {
  it('127.0.0.1 at lo\'s MTU: the packet that fills it passes unfragmented', async () => {
    const loMtu = Number(readFileSync('/sys/class/net/lo/mtu', 'utf8'));
    const r = await hostdeck('net', 'test', '--mtu', '--target', '127.0.0.1', '--json');
    const [m] = JSON.parse(r.out) as MtuPathResult[];
    assert.equal(r.code, 0);
    assert.equal(m!.mtu, loMtu);
    assert.equal(m!.ok, true);
    assert.equal(m!.largest, Math.min(loMtu, 65535) - 28);
  });

  it('a path narrower than the MTU asked: exit 1 and the largest size that passes (lo at 1300 in its own network namespace)', async () => {
    // The namespace's lo is this test's own: the host's interfaces are not touched.
    const r = await run('unshare', ['-n', '--', 'sh', '-c', 'ip link set lo up mtu 1300 && exec "$@"', 'sh', process.execPath, '--import', 'tsx', 'src/main.ts', 'net', 'test', '--mtu', '--target', '127.0.0.1', '--mtu-size', '1500', '--json', '-c', 'test:///default', '--db', join(dir, 'ns.db')], { timeoutMs: 120_000, cwd: join(import.meta.dirname, '../..') });
    assert.equal(r.exitCode, 1, r.stderr);
    const [m] = JSON.parse(r.stdout) as MtuPathResult[];
    assert.equal(m!.size, 1472);
    assert.equal(m!.largest, 1300 - 28);
    assert.match(m!.detail, /largest that passes is 1272 bytes \(path MTU 1300\)/);
  });

  it('bad input is refused with exit 2 naming the option, nothing pinged', async () => {
    const noTarget = await hostdeck('net', 'test', '--mtu');
    assert.equal(noTarget.code, 2);
    assert.match(noTarget.err, /--target: --mtu needs the host/);
    const dash = await hostdeck('net', 'test', '--mtu', '--target', '-s1');
    assert.equal(dash.code, 2);
    assert.match(dash.err, /--target: must be a host name or IP address/);
    const size = await hostdeck('net', 'test', '--mtu', '--target', '127.0.0.1', '--mtu-size', '40');
    assert.equal(size.code, 2);
    assert.match(size.err, /--mtu-size/);
    const alone = await hostdeck('net', 'test', '--mtu-size', '1500');
    assert.equal(alone.code, 2);
    assert.match(alone.err, /--mtu-size: only with --mtu/);
  });
});
