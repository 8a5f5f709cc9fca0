// The outside review's case on the real libvirtd: two VMs, PROD and one named
// `--domain=PROD`. Marking the second autostarted must not touch PROD (virsh
// given the name as a positional read it as the option naming PROD), and
// the CLI refuses the option-like name outright.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtConnection } from '../../src/virt/connection.ts';
import { main } from '../../src/cli.tsx';
import { guestName, SYSTEM_URI } from '../lib/guest.ts';

const PROD = guestName('oi');
const HOSTILE = `--domain=${PROD}`;

/** A diskless definition that is never started (hand-written: hostdeck's own XML writer refuses the hostile name). */
const xml = (name: string) => `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>`;

describe('an option-like VM name next to the VM it names (qemu:///system)', () => {
  const virt = new VirtConnection(SYSTEM_URI);
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-oi-'));

  before(async () => {
    await virt.domainDefine(xml(PROD));
    await virt.domainDefine(xml(HOSTILE));
  });

  after(async () => {
    for (const n of [HOSTILE, PROD]) await virt.call(async (hv) => hv.domainUndefine(await hv.domainLookupByName(n))).catch(() => undefined);
    await virt.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const autostart = async (n: string) => (await virt.domainGet(n)).autostart;

  it('autostart of the option-like one marks that one, and PROD stays as it was', async () => {
    await virt.domainSetAutostart(HOSTILE, true);
    assert.deepEqual([await autostart(PROD), await autostart(HOSTILE)], [false, true]);
    await virt.domainSetAutostart(HOSTILE, false);
    assert.deepEqual([await autostart(PROD), await autostart(HOSTILE)], [false, false]);
  });

  it('`hostdeck vm edit --autostart on -- --domain=PROD` exits 2 naming NAME, and neither VM changes', async () => {
    const write = process.stderr.write.bind(process.stderr);
    let stderr = '';
    process.stderr.write = ((t: string) => { stderr += String(t); return true; }) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(['vm', 'edit', '--autostart', 'on', '-c', SYSTEM_URI, '--db', join(dir, 'state.db'), '--', HOSTILE]);
    } finally {
      process.stderr.write = write;
    }
    assert.equal(code, 2, stderr);
    assert.match(stderr, /NAME: must not start with '-'/);
    assert.deepEqual([await autostart(PROD), await autostart(HOSTILE)], [false, false]);
  });
});
