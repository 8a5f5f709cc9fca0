// `hostdeck vm create`'s device options on libvirt's test driver (network
// default, no domain capabilities): several NICs with models and MACs, and
// every refusal with exit 2 naming the option and the rule; nothing is
// created (--dry-run prints the summary the wizard shows).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.tsx';

let dir = '';
let db = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'hostdeck-vm-devices-')); db = join(dir, 'state.db'); });
after(() => rmSync(dir, { recursive: true, force: true }));

async function hostdeck(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main([...argv, '-c', 'test:///default', '--db', db], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

const create = (...args: string[]) => hostdeck('vm', 'create', 'devvm', '--memory', '64M', '--dry-run', ...args);

describe('vm create devices', () => {
  it('takes several --nic, each with its model and MAC, after the --network one', async () => {
    const r = await create('--boot', 'network', '--network', 'default', '--nic', 'network=default,model=e1000e,mac=52:54:00:00:00:02', '--nic', 'network=default,model=rtl8139');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /NIC 1\s+network default, virtio, MAC assigned by libvirt/);
    assert.match(r.out, /NIC 2\s+network default, e1000e, MAC 52:54:00:00:00:02/);
    assert.match(r.out, /NIC 3\s+network default, rtl8139, MAC assigned by libvirt/);
    assert.match(r.out, /firmware \/ CPU\s+BIOS \/ host-model/);
  });

  it('refuses with exit 2 naming the option and the rule', async () => {
    const cases: [string[], RegExp][] = [
      [['--network', 'default', '--mac', '52:54:00:00:00:05', '--nic', 'network=default,mac=52:54:00:00:00:05'], /^hostdeck: --nic: NIC 2 MAC address: 52:54:00:00:00:05 is NIC 1's too: each NIC needs its own MAC$/m],
      [['--nic', 'network=default,model=ne2k_pci'], /^hostdeck: --nic: model must be virtio, e1000e, rtl8139$/m],
      [['--nic', 'model=e1000e'], /^hostdeck: --nic: give network=NET, bridge=BR or profile=PROFILE \(one of them\)$/m],
      [['--nic', 'network=nosuchnet'], /^hostdeck: --nic: NIC 1 network: no libvirt network named 'nosuchnet'/m],
      [['--network', 'nosuchnet'], /^hostdeck: --network: no libvirt network named 'nosuchnet'/m],
      [['--firmware', 'uefi'], /^hostdeck: --firmware: UEFI is not available: this connection \(the test driver\) reports no domain capabilities$/m],
      [['--cpu', '-cpu'], /^hostdeck: --cpu: must be host-model, host-passthrough or a CPU model name/m],
      [['--disk', 'pool=default-pool,size=8M,bus=usb'], /^hostdeck: --disk: bus must be virtio, sata, scsi, ide$/m],
    ];
    for (const [args, re] of cases) {
      const r = await create(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re, args.join(' '));
    }
  });
});
