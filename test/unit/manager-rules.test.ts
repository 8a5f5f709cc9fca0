// The standalone manager's rules: data center and cluster names and fields
// (each error names its field and the rule), a data center's status from its
// storage domains and host as oVirt computes it, and a cluster's memory
// over-commit at a VM start.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  dataCenterStatus, managerNameRule, masterDomain, overcommitProblem, validateCluster, validateDataCenter, type DcDomain,
} from '../../src/domain/manager.ts';

const facts = { cpuProblem: (c: string) => (['host-model', 'Nehalem'].includes(c) ? undefined : `QEMU here has no usable CPU model '${c}'`), dataCenterExists: (k: string) => k === 'Default' };

describe('data center and cluster names', () => {
  it('accepts letters, digits, _ - . up to 40 characters', () => {
    assert.equal(managerNameRule('name', 'dc-1_a.b'), undefined);
    assert.equal(managerNameRule('name', 'x'.repeat(40)), undefined);
  });
  it('refuses empty, 41 characters, spaces and other characters, naming the rule', () => {
    assert.match(managerNameRule('name', '')!, /^name: is required/);
    assert.match(managerNameRule('name', 'x'.repeat(41))!, /^name: must be at most 40 characters \(got 41\)/);
    assert.match(managerNameRule('name', 'my dc')!, /^name: may contain only letters, digits, '_', '-' and '\.'/);
    assert.match(managerNameRule('name', 'dc/1')!, /only letters/);
    assert.match(managerNameRule('name', 'dé')!, /only letters/);
    assert.match(managerNameRule('name', '-dc')!, /must not start with '-'/);
  });
});

describe('validateDataCenter', () => {
  it('fills the defaults: shared storage, compatibility 4.8', () => {
    assert.deepEqual(validateDataCenter({ name: 'dc1' }), { ok: true, value: { name: 'dc1', description: '', storageType: 'shared', compatibilityVersion: '4.8' } });
  });
  it('names every bad field', () => {
    const v = validateDataCenter({ name: 'a b', storageType: 'nfs', compatibilityVersion: '4.6', description: 'x\ny' });
    assert.equal(v.ok, false);
    if (v.ok) return;
    assert.deepEqual(v.errors.map((e) => e.field), ['name', 'description', 'storageType', 'compatibilityVersion']);
    assert.match(v.errors[2]!.message, /^storage type: must be one of shared, local \(got "nfs"\)/);
    assert.match(v.errors[3]!.message, /^compatibility version: must be one of 4\.7, 4\.8/);
  });
  it('an edit keeps the fields not given', () => {
    const base = { name: 'dc1', description: 'd', storageType: 'local' as const, compatibilityVersion: '4.7' as const };
    assert.deepEqual(validateDataCenter({ description: 'new' }, base), { ok: true, value: { ...base, description: 'new' } });
  });
});

describe('validateCluster', () => {
  it('accepts a CPU type libvirt offers, an over-commit 100-400 and threads as cores', () => {
    const v = validateCluster({ name: 'c1', dataCenter: 'Default', cpuType: 'Nehalem', memoryOvercommit: '150', threadsAsCores: 'yes' }, facts);
    assert.deepEqual(v, { ok: true, value: { name: 'c1', description: '', dataCenter: 'Default', cpuType: 'Nehalem', memoryOvercommit: 150, threadsAsCores: true } });
  });
  it('refuses an unknown data center, a CPU type libvirt lacks, over-commit out of range and a non-boolean', () => {
    const v = validateCluster({ name: 'c1', dataCenter: 'Nowhere', cpuType: 'Pentium9', memoryOvercommit: 401, threadsAsCores: 'maybe' }, facts);
    assert.equal(v.ok, false);
    if (v.ok) return;
    assert.deepEqual(v.errors.map((e) => e.field), ['dataCenter', 'cpuType', 'memoryOvercommit', 'threadsAsCores']);
    assert.match(v.errors[0]!.message, /data center: no data center "Nowhere"/);
    assert.match(v.errors[1]!.message, /CPU type: QEMU here has no usable CPU model 'Pentium9'/);
    assert.match(v.errors[2]!.message, /memory over-commit: must be a whole percentage from 100 to 400 \(got "401"\)/);
    assert.match(v.errors[3]!.message, /threads as cores: must be yes or no/);
    const low = validateCluster({ name: 'c1', dataCenter: 'Default', cpuType: 'host-model', memoryOvercommit: '99' }, facts);
    assert.equal(low.ok, false);
  });
});

const dom = (name: string, status: DcDomain['status'], attachedAt: string, type: DcDomain['type'] = 'data'): DcDomain => ({ name, status, attachedAt, type });

describe('data center status', () => {
  const up = { status: 'Up' as const };
  it('Uninitialized without an active data domain (none, or only ISO)', () => {
    assert.equal(dataCenterStatus([], up).status, 'Uninitialized');
    assert.equal(dataCenterStatus([dom('iso', 'active', '1', 'iso')], up).status, 'Uninitialized');
  });
  it('Up with an active master data domain and an Up host; the first attached data domain is master', () => {
    const s = dataCenterStatus([dom('b', 'active', '2'), dom('a', 'active', '1')], up);
    assert.deepEqual([s.status, s.master], ['Up', 'a']);
  });
  it('Problematic when the master is unreachable (not handed on to another domain)', () => {
    const s = dataCenterStatus([dom('a', 'unreachable', '1'), dom('b', 'active', '2')], up);
    assert.deepEqual([s.status, s.master], ['Problematic', 'a']);
    assert.match(s.reason, /master domain a is unreachable/);
  });
  it('a master put into maintenance hands the role on; all in maintenance: Maintenance', () => {
    assert.equal(masterDomain([dom('a', 'maintenance', '1'), dom('b', 'active', '2')])?.name, 'b');
    assert.equal(dataCenterStatus([dom('a', 'maintenance', '1')], up).status, 'Maintenance');
  });
  it('the host decides the rest: in maintenance, NonOperational, or none in the data center', () => {
    const d = [dom('a', 'active', '1')];
    assert.equal(dataCenterStatus(d, { status: 'Maintenance' }).status, 'Maintenance');
    assert.equal(dataCenterStatus(d, { status: 'NonOperational' }).status, 'Problematic');
    assert.equal(dataCenterStatus(d, undefined).status, 'Problematic');
  });
});

describe('memory over-commit', () => {
  const base = { cluster: 'c1', overcommitPct: 100, hostMemoryKiB: 1024 * 1024, runningKiB: 512 * 1024, vm: 'web', vmKiB: 256 * 1024 };
  it('a VM that fits starts', () => assert.equal(overcommitProblem(base), undefined));
  it('a VM past the limit is refused naming the cluster, its over-commit and the figures', () => {
    const p = overcommitProblem({ ...base, vmKiB: 768 * 1024 });
    assert.equal(p, "cluster c1 allows 100% memory over-commit (1.0 GiB of this host's 1.0 GiB): its running VMs use 512 MiB and VM web needs 768 MiB more (1.3 GiB in all)");
  });
  it('150% lets it fit', () => assert.equal(overcommitProblem({ ...base, overcommitPct: 150, vmKiB: 768 * 1024 }), undefined));
});
