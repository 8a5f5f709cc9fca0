// The pure rules of VM pools: which VMs the host service starts, which a
// shrink removes, the names new VMs get, and the domain XML that makes a
// pool VM's disks transient (libvirt takes those only as files).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freeVmNumbers, validatePool, validatePoolChange, vmsToPrestart, vmsToShrink } from '../../src/domain/pools.ts';
import { withTransientDisks } from '../../src/core/pools.ts';

const vm = (name: string, user: string | null, running: boolean) => ({ name, user, running });

describe('VM pool rules', () => {
  it('starts stopped, unassigned VMs until the prestarted count runs with no user; an assigned running VM does not count', () => {
    const vms = [vm('p-1', 'alice', true), vm('p-2', null, false), vm('p-3', null, false), vm('p-4', null, true)];
    assert.deepEqual(vmsToPrestart(vms, 1), []);
    assert.deepEqual(vmsToPrestart(vms, 2), ['p-2']);
    assert.deepEqual(vmsToPrestart(vms, 5), ['p-2', 'p-3']);
    assert.deepEqual(vmsToPrestart(vms, 0), []);
  });

  it('a shrink removes unassigned, stopped VMs, highest numbers first, and says why when there are too few', () => {
    const vms = [vm('p-1', null, false), vm('p-2', 'bob', false), vm('p-10', null, false), vm('p-3', null, true)];
    assert.deepEqual(vmsToShrink(vms, 2), ['p-10', 'p-1']);
    assert.match(vmsToShrink(vms, 3) as string, /only 2 VMs are unassigned and stopped/);
  });

  it('new VMs take the lowest free numbers', () => {
    assert.deepEqual(freeVmNumbers('p', ['p-1', 'p-3'], 3), [2, 4, 5]);
  });

  it('every broken rule of a new pool is named by its field; defaults fill the rest', () => {
    const bad = validatePool({ name: '-x', template: '', size: 1.5, prestarted: -1, maxPerUser: 0, type: 'sometimes' as never, description: 'a\nb' }, []);
    assert.equal(bad.ok, false);
    assert.deepEqual(!bad.ok && bad.errors.map((e) => e.field), ['name', 'template', 'size', 'prestarted', 'max-per-user', 'type', 'description']);
    const ok = validatePool({ name: 'desks', template: 'golden', size: 3 }, ['lab']);
    assert.deepEqual(ok.ok && [ok.value.prestarted, ok.value.maxPerUser, ok.value.type, ok.value.templateVersion], [0, 1, 'automatic', 'latest']);
    assert.deepEqual(validatePoolChange({ prestarted: 4 }, 3).map((e) => e.message), ['prestarted: must be at most the size (3) (got 4)']);
    assert.deepEqual(validatePoolChange({}).map((e) => e.field), ['edit']);
  });

  it("makes every disk transient, a pool volume becoming its file; a CD-ROM stays as it is", () => {
    const xml = `<domain><devices>
    <disk type='volume' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source pool='dom-pool' volume='p-1.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'><source file='/x.iso'/><target dev='sda'/></disk>
    </devices></domain>`;
    const out = withTransientDisks(xml, (pool, volume) => `/data/${pool}/images/${volume}`);
    assert.match(out, /<disk type='file' device='disk'>\s*<driver name='qemu' type='qcow2'\/>\s*<source file='\/data\/dom-pool\/images\/p-1.qcow2'\/>\s*<target dev='vda' bus='virtio'\/>\s*<transient\/>\s*<\/disk>/);
    assert.match(out, /<disk type='file' device='cdrom'><source file='\/x.iso'\/><target dev='sda'\/><\/disk>/);
    assert.equal(withTransientDisks(out, () => 'unused'), out, 'a transient disk stays as it is');
  });
});
