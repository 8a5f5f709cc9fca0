// The devices a new VM gets on the real libvirtd (TCG): several NICs with
// their models and MACs, the disk bus (SCSI with its virtio-scsi controller),
// the CPU model, the OS variant from osinfo and UEFI firmware from OVMF; each
// checked in the definition libvirt keeps, and the UEFI guest booted. The CLI
// refuses what the host does not offer with exit 2 naming the option.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { testServices } from '../lib/services.ts';
import { guestImage, waitForSerial } from '../lib/guest.ts';
import { allDomains, domstate, makePool, removeDomains, removePool, tinyInput, virsh, SYSTEM_URI, LC_PREFIX, libvirtReady } from '../lib/lifecycle.ts';
import { createCore } from '../../src/core/index.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = `${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const prefix = `${LC_PREFIX}dev${run}-`;
const POOL = `${LC_PREFIX}devpool-${run}`;

function cli(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.tsx'), ...args, '-c', SYSTEM_URI, '--db', join('/tmp', `${prefix}state.db`)], { encoding: 'utf8', cwd: ROOT, timeout: 240_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('VM devices on the real libvirtd', () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'the integration tier runs as root');
    await libvirtReady(ROOT);
    await removeDomains(prefix);
    await makePool(POOL);
  });
  after(async () => {
    await libvirtReady(ROOT);
    await removeDomains(prefix);
    await removePool(POOL);
    await s.cleanup();
  });

  it('defines two NICs with their models and MACs, a SCSI disk with a virtio-scsi controller, a named CPU model and the osinfo variant', async () => {
    const name = `${prefix}nics`;
    await core.vms.create(await tinyInput(name, POOL, {
      nics: [{ kind: 'network', source: 'default', model: 'e1000e', mac: '52:54:00:d0:00:01' }, { kind: 'network', source: 'default', model: 'rtl8139', mac: '52:54:00:D0:00:02' }],
      disks: [{ kind: 'new', pool: POOL, sizeMiB: 16, format: 'qcow2', bus: 'scsi' }],
      cpu: 'Nehalem', osVariant: 'debian11',
    }));
    const xml = await virsh('dumpxml', '--inactive', name);
    assert.match(xml, /<mac address='52:54:00:d0:00:01'\/>\s*<source network='default'\/>\s*<model type='e1000e'\/>/);
    assert.match(xml, /<mac address='52:54:00:d0:00:02'\/>\s*<source network='default'\/>\s*<model type='rtl8139'\/>/);
    assert.match(xml, /<target dev='sda' bus='scsi'\/>/);
    assert.match(xml, /<controller type='scsi' index='0' model='virtio-scsi'>/);
    assert.match(xml, /<cpu mode='custom' match='exact'[^>]*>\s*<model fallback='forbid'>Nehalem<\/model>/);
    assert.match(xml, /<libosinfo:os id=['"]http:\/\/debian.org\/debian\/11['"]\/>/);
    // vm show says what was defined.
    const shown = cli(['vm', 'show', name]);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /nic\s+network default e1000e 52:54:00:d0:00:01/);
    assert.match(shown.out, /CPU\s+Nehalem/);
    assert.match(shown.out, /firmware\s+BIOS/);
  });

  it('a VM with UEFI firmware gets OVMF and its own NVRAM, and the guest boots through it', async () => {
    const name = `${prefix}uefi`;
    const { marker } = await guestImage();
    // OVMF needs more than the tiny guest's 128 MiB.
    await core.vms.create(await tinyInput(name, POOL, { firmware: 'uefi', memoryMiB: 512 }), { start: true });
    assert.equal(await domstate(name), 'running');
    assert.match(await virsh('dumpxml', '--inactive', name), /<os firmware='efi'>/);
    const live = await virsh('dumpxml', name);
    assert.match(live, /<loader readonly='yes' type='pflash'>\/usr\/share\/OVMF\/OVMF_CODE[^<]*\.fd<\/loader>/);
    assert.match(live, new RegExp(`<nvram[^>]*>/var/lib/libvirt/qemu/nvram/${name}_VARS.fd</nvram>`));
    await waitForSerial(name, marker, 120_000);
    assert.match(cli(['vm', 'show', name]).out, /firmware\s+UEFI/);
  });

  it('the CLI refuses a repeated MAC, a CPU mode the host lacks, IDE on q35 and an unknown OS variant with exit 2 naming the option; nothing is defined', async () => {
    const before = await allDomains();
    const img = await guestImage();
    const base = ['vm', 'create', `${prefix}bad`, '--memory', '128M', '--kernel', img.kernel, '--graphics', 'none'];
    const cases: [string[], RegExp][] = [
      [['--nic', 'network=default,mac=52:54:00:d0:00:09', '--nic', 'network=default,model=e1000e,mac=52:54:00:D0:00:09'], /--nic: NIC 2 MAC address: 52:54:00:D0:00:09 is NIC 1's too/],
      [['--nic', 'network=default,model=ne2k'], /--nic: model must be virtio, e1000e, rtl8139/],
      [['--cpu', 'host-passthrough'], /--cpu: host-passthrough needs KVM/],
      [['--cpu', 'NoSuchCPU'], /--cpu: QEMU here has no usable CPU model 'NoSuchCPU'/],
      [['--machine', 'q35', '--disk', `pool=${POOL},size=16M,bus=ide`], /--disk: disk 1 bus: machine type q35 has no ide bus/],
      [['--os-variant', 'nosuchos1'], /--os-variant: osinfo knows no OS 'nosuchos1'/],
      [['--firmware', 'coreboot'], /--firmware/],
    ];
    for (const [args, re] of cases) {
      const r = cli([...base, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
    }
    assert.deepEqual(await allDomains(), before);
  });
});
