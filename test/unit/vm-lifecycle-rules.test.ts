// Pure rules of the VM lifecycle: create/edit validation tables (each rule
// named in its message), sizes and --disk specs as typed, the snapshot tree
// drawn as virsh draws it, display access, the wizard's reducer, and the
// action bindings' availability (state predicates and the engine lock).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createSummary, parseDiskSpec, parseMiB, pendingChanges, snapshotCreateProblem, snapshotNameProblem, snapshotRevertProblem, validateVmCreate, validateVmEdit,
  type HostFacts, type VmCreateInput,
} from '../../src/domain/vm-create.ts';
import { displayAccess, snapshotTreeText } from '../../src/domain/vm-display.ts';
import { cliFieldMessage } from '../../src/cli/vm.ts';
import { formReducer, initialState, toCreateInput, visibleFields, SUMMARY_STEP } from '../../screens/vm-create/use-create-form.ts';
import { vmActionBindings } from '../../screens/vms/actions.ts';
import { writeRegistration } from '../../src/host/engine/state.ts';
import { testServices } from '../lib/services.ts';
import { createCore } from '../../src/core/index.ts';
import type { Shell } from '../../src/app/types.ts';

const facts: HostFacts = {
  domains: ['web1'], memoryKiB: 4 * 1024 * 1024, cpus: 4,
  pools: [{ name: 'default', state: 'running', availableBytes: 10 * 1024 ** 3 }, { name: 'cold', state: 'inactive' }],
  volumes: { default: ['base.qcow2', 'os.iso'] }, networks: ['default'], bridges: ['br0'], machines: ['pc', 'q35', 'pc-i440fx-7.2'],
  // What domcapabilities says on a host without KVM and without OVMF, q35 without IDE.
  machineFacts: (m) => ({ caps: { machine: m, uefiLoaders: [], efi: false, hostModel: true, hostPassthrough: false, cpuModels: ['Nehalem', 'qemu64'], diskBuses: m === 'q35' ? ['scsi', 'virtio', 'sata'] : ['ide', 'scsi', 'virtio', 'sata'] } }),
  osVariants: { list: [{ shortId: 'debian12', name: 'Debian 12', id: 'http://debian.org/debian/12' }] },
  fileExists: (p) => p === '/boot/vmlinuz' || p === '/isos/debian.iso',
  fileHead: (p, bytes) => {
    const b = new Uint8Array(bytes);
    if (p === '/boot/vmlinuz') b.set([...'HdrS'].map((c) => c.charCodeAt(0)), 0x202);
    if (p === '/isos/debian.iso') b.set([...'CD001'].map((c) => c.charCodeAt(0)), 32769);
    return b;
  },
};
const good: VmCreateInput = {
  name: 'db1', vcpus: 2, memoryMiB: 2048, disks: [{ kind: 'new', pool: 'default', sizeMiB: 8192, format: 'qcow2' }],
  nics: [{ kind: 'network', source: 'default' }], boot: 'disk', osType: 'linux', machine: 'pc', graphics: 'vnc',
};

describe('create validation', () => {
  it('accepts a good input', () => assert.deepEqual(validateVmCreate(good, facts), []));

  const table: [string, Partial<VmCreateInput>, string, RegExp][] = [
    ['duplicate name', { name: 'web1' }, 'name', /name: a VM named 'web1' already exists/],
    ['slash', { name: 'a/b' }, 'name', /name: must not contain '\/'/],
    ['newline', { name: 'a\nb' }, 'name', /name: must not contain a newline/],
    ['256 characters', { name: 'x'.repeat(256) }, 'name', /name: must be at most 255 characters \(got 256\)/],
    ['memory 0', { memoryMiB: 0 }, 'memory', /memory: must be more than 0 MiB/],
    ['memory above host', { memoryMiB: 4097 }, 'memory', /memory: must be at most 4096 MiB \(this host's memory\)/],
    ['vcpus above host', { vcpus: 5 }, 'vcpus', /vCPUs: must be at most 4 \(this host's logical CPUs\)/],
    ['missing pool', { disks: [{ kind: 'new', pool: 'nope', sizeMiB: 1, format: 'raw' }] }, 'disks[0].pool', /no storage pool named 'nope' \(pools: default, cold\)/],
    ['inactive pool', { disks: [{ kind: 'new', pool: 'cold', sizeMiB: 1, format: 'raw' }] }, 'disks[0].pool', /storage pool 'cold' is inactive: start it first/],
    ['pool without room', { disks: [{ kind: 'new', pool: 'default', sizeMiB: 6000, format: 'raw' }, { kind: 'new', pool: 'default', sizeMiB: 6000, format: 'raw' }] }, 'disks[0].size', /storage pool 'default' has 10 GiB free, 11.7 GiB asked for/],
    ['a MAC repeated', { nics: [{ kind: 'network', source: 'default', mac: '52:54:00:00:00:01' }, { kind: 'bridge', source: 'br0', mac: '52:54:00:00:00:01' }] }, 'nics[1].mac', /NIC 2 MAC address: 52:54:00:00:00:01 is NIC 1's too/],
    ['a MAC repeated in another case', { nics: [{ kind: 'network', source: 'default', mac: '52:54:00:aa:00:01' }, { kind: 'network', source: 'default', mac: '52:54:00:AA:00:01' }] }, 'nics[1].mac', /is NIC 1's too/],
    ['UEFI without OVMF', { firmware: 'uefi' }, 'firmware', /firmware: UEFI is not available: no UEFI firmware \(OVMF\) is installed on this host: install the Debian package ovmf/],
    ['host-passthrough without KVM', { cpu: 'host-passthrough' }, 'cpu', /CPU: host-passthrough needs KVM/],
    ['a CPU model QEMU does not list', { cpu: 'Skylake-Server' }, 'cpu', /CPU: QEMU here has no usable CPU model 'Skylake-Server' \(host-model, host-passthrough or one of: Nehalem, qemu64\)/],
    ['an IDE disk on q35', { machine: 'q35', disks: [{ kind: 'new', pool: 'default', sizeMiB: 8, format: 'qcow2', bus: 'ide' }] }, 'disks[0].bus', /disk 1 bus: machine type q35 has no ide bus \(virtio, sata, scsi\)/],
    ['an OS variant osinfo does not know', { osVariant: 'debian99' }, 'osVariant', /OS variant: osinfo knows no OS 'debian99' \(e.g. debian12\)/],
    ['bridge missing', { nics: [{ kind: 'bridge', source: 'br9' }] }, 'nics[0].source', /no bridge named 'br9' on this host \(bridges: br0\)/],
    ['cdrom ISO volume missing', { boot: 'cdrom', iso: 'default/none.iso' }, 'iso', /no volume named 'none.iso' in pool 'default'/],
    ['kernel relative', { boot: 'kernel', kernel: 'vmlinuz' }, 'kernel', /kernel: must be an absolute path/],
    ['initrd without kernel boot', { initrd: '/boot/initrd' }, 'initrd', /needs boot from kernel/],
    ['command line without kernel boot', { cmdline: 'console=ttyS0' }, 'cmdline', /needs boot from kernel/],
    ['escape in the kernel command line', { boot: 'kernel', kernel: '/bin/sh', cmdline: 'a\x1b[2J' }, 'cmdline', /must not contain control characters/],
  ];
  for (const [label, over, field, re] of table) {
    it(`refuses ${label}`, () => {
      const errs = validateVmCreate({ ...good, ...over }, facts);
      const e = errs.find((x) => x.field === field);
      assert.ok(e, JSON.stringify(errs));
      assert.match(e.message, re);
    });
  }

  it('names the CLI option in CLI messages', () => {
    assert.equal(cliFieldMessage({ field: 'memory', message: 'memory: must be more than 0 MiB' }), '--memory: must be more than 0 MiB');
    assert.equal(cliFieldMessage({ field: 'disks[1].pool', message: "disk 2 pool: no storage pool named 'x'" }), "--disk: disk 2 pool: no storage pool named 'x'");
  });

  it('shows a summary of what will be created', () => {
    const rows = Object.fromEntries(createSummary(good));
    assert.equal(rows['disk 1'], 'new 8 GiB qcow2 volume db1.qcow2 on pool default, virtio bus');
    assert.equal(rows.console, 'serial (always)');
    assert.match(rows['NIC 1']!, /network default, virtio, MAC assigned by libvirt/);
    assert.equal(rows['firmware / CPU'], 'BIOS / host-model');
  });
});

describe('sizes, disk specs, edit and pending changes', () => {
  it('reads sizes', () => {
    assert.equal(parseMiB('512'), 512);
    assert.equal(parseMiB('2G'), 2048);
    assert.equal(parseMiB('1.5GiB'), 1536);
    assert.equal(parseMiB('lots'), undefined);
  });
  it('reads --disk specs or says the rule', () => {
    assert.deepEqual(parseDiskSpec('pool=default,size=10G,format=raw'), { kind: 'new', pool: 'default', sizeMiB: 10240, format: 'raw' });
    assert.deepEqual(parseDiskSpec('pool=default,volume=base.qcow2'), { kind: 'existing', pool: 'default', volume: 'base.qcow2' });
    assert.match(String(parseDiskSpec('size=1G')), /pool= is required/);
    assert.match(String(parseDiskSpec('pool=a,size=1G,volume=b')), /not both/);
  });
  it('validates edits and says what waits for the next boot', () => {
    assert.match(validateVmEdit({ memoryMiB: 0 }, facts)[0]!.message, /memory: must be more than 0/);
    assert.match(validateVmEdit({}, facts)[0]!.message, /nothing to change/);
    assert.deepEqual(pendingChanges({ vcpus: 1, memoryKiB: 131072 }, { vcpus: 2, memoryKiB: 262144 }), ['vCPUs 1 → 2', 'memory 128 MiB → 256 MiB']);
  });
});

describe('snapshots', () => {
  it('refuses what libvirt cannot do, with the reason', () => {
    assert.match(snapshotCreateProblem('full', [{ target: 'vda', device: 'disk', format: 'raw', readonly: false }])!, /vda is raw: .* need qcow2 disks; take a disk-only/);
    assert.equal(snapshotCreateProblem('disk-only', [{ target: 'vda', device: 'disk', format: 'raw', readonly: false }]), undefined);
    assert.match(snapshotRevertProblem({ state: 'disk-snapshot' }, '9.0.0')!, /cannot revert external snapshots \(9.9 or newer can\)/);
    assert.equal(snapshotRevertProblem({ state: 'disk-snapshot' }, '9.9.0'), undefined);
    assert.match(snapshotNameProblem('s1', ['s1'])!, /already exists/);
  });
  it('draws the tree exactly as virsh snapshot-list --tree (recorded from libvirt 9.0)', () => {
    const recorded = 's1\n  |\n  +- s2\n      |\n      +- d1\n        \n\n';
    assert.equal(snapshotTreeText([{ name: 'd1', parent: 's2' }, { name: 's1' }, { name: 's2', parent: 's1' }]), recorded);
    // Siblings (recorded from virsh -c test:///default: snapshots a, b; revert a; c).
    assert.equal(snapshotTreeText([{ name: 'a' }, { name: 'b', parent: 'a' }, { name: 'c', parent: 'a' }]), 'a\n  |\n  +- b\n  +- c\n    \n\n');
  });
});

describe('display access', () => {
  it('gives a remote-viewer command and an SSH tunnel for loopback', () => {
    const [a] = displayAccess([{ type: 'vnc', port: 5901, listen: '127.0.0.1' }], { hostname: 'node1' });
    assert.equal(a!.command, 'remote-viewer vnc://127.0.0.1:5901');
    assert.match(a!.tunnel!, /ssh -L 5901:127.0.0.1:5901 root@node1/);
    const [b] = displayAccess([{ type: 'spice', port: -1, listen: '0.0.0.0' }], { hostname: 'node1' });
    assert.equal(b!.command, undefined);
    assert.match(b!.note!, /assigned when the VM starts/);
  });
});

describe('wizard reducer', () => {
  it('moves through the steps, edits text, cycles choices, and builds the input', () => {
    let s = initialState();
    s = formReducer(s, { type: 'edit' });
    s = formReducer(s, { type: 'draft', value: 'web2' });
    s = formReducer(s, { type: 'commit' });
    assert.equal(s.values.name, 'web2');
    // Basics: name, vCPUs, memory, description, from template, cluster.
    for (let i = 0; i < 6; i++) s = formReducer(s, { type: 'move', delta: 1 });
    assert.equal(s.step, 1, 'down past the last field goes to the next step');
    s = formReducer(s, { type: 'cycle', delta: 1, options: { pools: ['default'], volumes: { default: ['a.qcow2'] }, networks: [], bridges: [], machines: [], machineFacts: () => ({ missing: 'none here' }), osVariants: { missing: 'none here' }, isos: [] } });
    assert.equal(s.values.disk, 'existing volume');
    assert.equal(s.values.volume, 'a.qcow2');
    assert.deepEqual(visibleFields(1, s.values).map((f) => f.id), ['disk', 'pool', 'volume', 'bus']);
    s = formReducer(s, { type: 'step', delta: 10 });
    assert.equal(s.step, SUMMARY_STEP);
    const { input, errors } = toCreateInput({ ...s.values, memory: 'lots' });
    assert.match(errors[0]!.message, /memory: is not a size/);
    assert.deepEqual(input.disks, [{ kind: 'existing', pool: 'default', volume: 'a.qcow2', bus: 'virtio' }]);
    assert.equal(input.cluster, 'Default');
    assert.equal(input.cpu, undefined, "the CPU left at the cluster's: the core gives the cluster's CPU type");
  });
});

describe('action bindings', () => {
  const shellFor = (services: ReturnType<typeof testServices>): Shell => ({ services, core: createCore(services, { user: 'tester', channel: 'tui' }) } as unknown as Shell);
  it('lists every action with the reason when it is not valid in the state', async () => {
    const s = testServices();
    try {
      const b = vmActionBindings({ name: 'web1', state: 'running' }, shellFor(s));
      const by = (d: string) => b.find((x) => x.description === d)!;
      assert.equal(by('Start').disabledReason, 'it is already running');
      assert.equal(by('Shut down').disabledReason, undefined);
      assert.match(by('Delete').disabledReason!, /power it off first/);
      assert.ok(by('Force off').confirm, 'dangerous actions ask first');
      const off = vmActionBindings({ name: 'web1', state: 'shutoff', managedSave: true }, shellFor(s));
      assert.ok(off.some((x) => x.description === 'Restore' && !x.disabledReason));
      assert.match(off.find((x) => x.description === 'Console')!.disabledReason!, /start it first/);
    } finally {
      await s.cleanup();
    }
  });
  it('disables every mutating action while an oVirt engine manages the host', async () => {
    const s = testServices();
    try {
      writeRegistration(s.db, { engineHost: 'engine.example.com', enginePort: 443 } as Parameters<typeof writeRegistration>[1]);
      const b = vmActionBindings({ name: 'web1', state: 'shutoff' }, shellFor(s));
      for (const x of b.filter((y) => y.dangerous)) assert.match(x.disabledReason ?? '', /managed by the oVirt engine engine.example.com/, x.description);
      assert.equal(b.find((x) => x.description === 'Snapshots')!.disabledReason, undefined, 'looking stays possible');
    } finally {
      await s.cleanup();
    }
  });
});
