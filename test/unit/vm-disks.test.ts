// The pure rules for removing and copying a VM's disks: which URIs name this
// machine's files, where hostdeck may remove a file itself, who else uses a
// disk, and what a delete with its disks removes, keeps or refuses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cloneVolumeName, connectionNote, diskRemovalPlan, diskUsers, localFileProblem, uriIsLocal, type DiskStorage } from '../../src/domain/vm-disks.ts';

describe('uriIsLocal: a path in a domain names a file on this machine', () => {
  it('this machine\'s own QEMU daemon, also over the local socket transport', () => {
    for (const uri of ['qemu:///system', 'qemu:///session', 'qemu+unix:///system', 'qemu+unix:///session']) assert.equal(uriIsLocal(uri), true, uri);
  });
  it('not a host part, a network transport, the test driver, other drivers or a socket of its own', () => {
    for (const uri of [
      'qemu+ssh://other/system', 'qemu+ssh://root@other:2222/system', 'qemu+tls://other/system', 'qemu+tcp://localhost/system', 'qemu://other/system',
      'qemu+unix://localhost/system', 'qemu+ext:///system', 'qemu+libssh2://h/system', 'test:///default', 'test:///tmp/victim.xml', 'lxc:///system',
      'qemu:///embed?root=/tmp/x', 'qemu+unix:///system?socket=/tmp/tunnel.sock', 'qemu:///system/', '', 'qemu', 'QEMU:///system',
    ]) assert.equal(uriIsLocal(uri), false, uri);
  });
});

describe('connectionNote: the test driver keeps no change from one connection to the next', () => {
  it('says so for test:/// URIs only', () => {
    for (const uri of ['test:///default', 'test:///tmp/hosts/fixture.xml', 'test+unix:///default']) assert.equal(connectionNote(uri), 'test driver: changes are not kept', uri);
    for (const uri of ['qemu:///system', 'qemu+ssh://root@h/system', 'lxc:///']) assert.equal(connectionNote(uri), undefined, uri);
  });
});

describe('localFileProblem: hostdeck removes a file itself only on a local URI, inside a pool it manages', () => {
  const dirs = ['/srv/hd/dom1/images', '/var/lib/hd-pool/'];
  it('allowed for a file directly in a managed pool directory', () => {
    assert.equal(localFileProblem('qemu:///system', '/srv/hd/dom1/images/a.qcow2', dirs), undefined);
    assert.equal(localFileProblem('qemu+unix:///system', '/var/lib/hd-pool/b.raw', dirs), undefined);
  });
  it('refused on a remote or test URI whatever the path', () => {
    assert.match(localFileProblem('qemu+ssh://other/system', '/srv/hd/dom1/images/a.qcow2', dirs)!, /qemu\+ssh:\/\/other\/system is not this machine's own libvirt/);
    assert.match(localFileProblem('test:///tmp/host.xml', '/srv/hd/dom1/images/a.qcow2', dirs)!, /not this machine's own libvirt/);
  });
  it('refused outside the managed pools, in their subdirectories, and where .. leads out', () => {
    for (const p of ['/tmp/victim.qcow2', '/srv/hd/dom1/images/sub/a.qcow2', '/srv/hd/dom1/images/../../etc/passwd', '/srv/hd/dom1/a.qcow2']) {
      assert.match(localFileProblem('qemu:///system', p, dirs)!, /no storage pool hostdeck manages/, p);
    }
    assert.match(localFileProblem('qemu:///system', 'images/a.qcow2', dirs)!, /not absolute/);
  });
});

const vol = (pool: string, name: string, path = `/pools/${pool}/${name}`): DiskStorage => ({ target: 'vda', source: `${pool}/${name}`, volume: { pool, name, key: path, path } });

describe('diskUsers: another domain uses the same volume, by pool/name, key or path', () => {
  it('finds a domain naming the volume by pool and name, or its file by path (also spelled differently)', () => {
    const d = vol('p', 'a.qcow2');
    assert.deepEqual(diskUsers(d, [
      { domain: 'by-volume', disks: [{ pool: 'p', volume: 'a.qcow2' }] },
      { domain: 'by-path', disks: [{ path: '/pools/p//a.qcow2' }] },
      { domain: 'other', disks: [{ pool: 'p', volume: 'b.qcow2' }, { path: '/pools/q/a.qcow2' }] },
    ]), ['by-volume', 'by-path']);
  });
  it('a disk given by path matches the other domain\'s pool/volume of that file', () => {
    const d: DiskStorage = { target: 'vdb', source: '/pools/p/a.qcow2', volume: { pool: 'p', name: 'a.qcow2', key: '/pools/p/a.qcow2', path: '/pools/p/a.qcow2' } };
    assert.deepEqual(diskUsers(d, [{ domain: 'x', disks: [{ pool: 'p', volume: 'a.qcow2' }] }]), ['x']);
  });
  it('a file that is no volume is compared by its path', () => {
    const d: DiskStorage = { target: 'vda', source: '/tmp/v.img', problem: 'not a volume' };
    assert.deepEqual(diskUsers(d, [{ domain: 'x', disks: [{ path: '/tmp/v.img' }] }, { domain: 'y', disks: [{ path: '/tmp/w.img' }] }]), ['x']);
  });
});

describe('diskRemovalPlan', () => {
  it('removes volumes and allowed local files, keeps shared disks, and refuses the rest', () => {
    const a = vol('p', 'a.qcow2');
    const shared = vol('p', 'shared.qcow2');
    const local: DiskStorage = { target: 'vdc', source: '/srv/hd/img/c.qcow2', localFile: '/srv/hd/img/c.qcow2' };
    const outside: DiskStorage = { target: 'vdd', source: '/tmp/d.qcow2', problem: 'disk vdd (/tmp/d.qcow2) is not a storage volume of any pool on qemu:///system' };
    const plan = diskRemovalPlan([a, shared, local, outside], [{ domain: 'other', disks: [{ pool: 'p', volume: 'shared.qcow2' }] }]);
    assert.deepEqual(plan.remove, [a, local]);
    assert.deepEqual(plan.shared, [{ disk: shared, usedBy: ['other'] }]);
    assert.deepEqual(plan.refusals, [outside.problem]);
  });
});

describe('cloneVolumeName', () => {
  it('NEW.ext for the first disk, NEW-TARGET.ext for the others; the extension from the source volume, else the format', () => {
    assert.equal(cloneVolumeName('b', 0, 'vda', 'a.qcow2'), 'b.qcow2');
    assert.equal(cloneVolumeName('b', 0, 'vda', 'a.d1.qcow2'), 'b.qcow2');
    assert.equal(cloneVolumeName('b', 1, 'vdb', 'data', 'raw'), 'b-vdb.raw');
    assert.equal(cloneVolumeName('b', 1, 'vdb', 'lv0'), 'b-vdb');
  });
});
