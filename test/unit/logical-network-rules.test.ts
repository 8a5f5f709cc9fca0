// The rules of logical networks, vNIC profiles and cluster attachments
// (src/domain/logical-networks.ts) and the --nic profile= syntax.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { networkNameRule, validateAttachment, validateLogicalNetwork, validateVnicProfile } from '../../src/domain/logical-networks.ts';
import { parseNicSpec } from '../../src/domain/vm-devices.ts';

const dcs = { dataCenterExists: (k: string) => k === 'Default' };
const fieldsOf = (v: { ok: boolean; errors?: { field: string }[] }) => (v.ok ? [] : v.errors!.map((e) => e.field));

describe('logical network rules', () => {
  it('a name is a Linux bridge name: at most 15 characters, no ":" "." "/" or space, not lo', () => {
    assert.equal(networkNameRule('name', 'ovirtmgmt'), undefined);
    assert.equal(networkNameRule('name', 'a_b-c123456789x'), undefined);
    assert.match(networkNameRule('name', 'a234567890123456')!, /at most 15 characters/);
    for (const bad of ['br:0', 'br.10', 'a/b', 'a b']) assert.match(networkNameRule('name', bad)!, /no ':', '\.', '\/' or space/);
    assert.match(networkNameRule('name', 'lo')!, /loopback/);
    assert.match(networkNameRule('name', '-x')!, /must not start with '-'/);
    assert.match(networkNameRule('name', '')!, /is required/);
  });

  it('VLAN 0–4094 and MTU 68–65535, each optional; every broken rule is named', () => {
    const ok = validateLogicalNetwork({ name: 'n1', vlan: '0', mtu: '9000', vmNetwork: 'no' }, dcs);
    assert.deepEqual(ok.ok && [ok.value.vlan, ok.value.mtu, ok.value.vmNetwork, ok.value.dataCenter], [0, 9000, false, 'Default']);
    const none = validateLogicalNetwork({ name: 'n1', vlan: 'none', mtu: 'default' }, dcs);
    assert.deepEqual(none.ok && [none.value.vlan, none.value.mtu], [null, null]);
    const bad = validateLogicalNetwork({ name: 'n1', vlan: 4095, mtu: 67, vmNetwork: 'maybe', dataCenter: 'Nope' }, dcs);
    assert.deepEqual(fieldsOf(bad), ['dataCenter', 'vlan', 'mtu', 'vmNetwork']);
    assert.match(JSON.stringify(bad), /VLAN tag: must be a whole number from 0 to 4094/);
    assert.match(JSON.stringify(bad), /MTU: must be a whole number from 68 to 65535, or default/);
    assert.deepEqual(fieldsOf(validateLogicalNetwork({ name: 'n1', vlan: '1.5' }, dcs)), ['vlan']);
  });

  it('an edit keeps the fields not given', () => {
    const base = { name: 'n1', description: 'd', dataCenter: 'Default', vlan: 7, mtu: null, vmNetwork: true };
    const v = validateLogicalNetwork({ mtu: 1400 }, dcs, base);
    assert.deepEqual(v.ok && v.value, { ...base, mtu: 1400 });
  });

  it('a profile filter is one of libvirt\'s or none', () => {
    const f = ['clean-traffic', 'no-mac-spoofing'];
    const v = validateVnicProfile({ name: 'p', filter: 'clean-traffic' }, f);
    assert.equal(v.ok && v.value.filter, 'clean-traffic');
    const n = validateVnicProfile({ name: 'p', filter: 'none' }, f);
    assert.equal(n.ok && n.value.filter, null);
    const bad = validateVnicProfile({ name: 'p/q', filter: 'dirty' }, f);
    assert.deepEqual(fieldsOf(bad), ['name', 'filter']);
  });

  it('at most one management (display, migration) network per cluster; vm role only on a VM network; same data center', () => {
    const facts = { network: { name: 'n1', vmNetwork: false, dataCenterId: 'd1' }, cluster: { name: 'C', dataCenterId: 'd1' }, others: [{ network: 'ovirtmgmt', roles: ['management' as const] }] };
    assert.deepEqual(fieldsOf(validateAttachment({ roles: 'management' }, facts)), ['roles']);
    assert.match(JSON.stringify(validateAttachment({ roles: 'vm' }, facts)), /not a VM network/);
    assert.match(JSON.stringify(validateAttachment({ roles: 'storage' }, facts)), /roles: must be among management, vm, display, migration/);
    assert.deepEqual(fieldsOf(validateAttachment({ roles: 'migration' }, { ...facts, cluster: { name: 'C', dataCenterId: 'd2' } })), ['cluster']);
    const ok = validateAttachment({ roles: 'display,migration', required: 'no' }, facts);
    assert.deepEqual(ok.ok && ok.value, { roles: ['display', 'migration'], required: false });
    assert.deepEqual(fieldsOf(validateAttachment({ required: 'perhaps' }, facts)), ['required']);
  });

  it('--nic profile=NAME[,model=...] picks a vNIC profile; one source only', () => {
    assert.deepEqual(parseNicSpec('profile=web,model=e1000e'), { kind: 'profile', source: 'web', model: 'e1000e' });
    assert.deepEqual(parseNicSpec('profile=lnweb/filtered'), { kind: 'profile', source: 'lnweb/filtered' });
    assert.match(parseNicSpec('profile=a,bridge=b') as string, /one of them/);
  });
});
