// `hostdeck cluster property ...` and `hostdeck vm property ...` on a state DB
// of the test's own and libvirt's test driver (its VM "test", in Default as a
// VM defined outside hostdeck): a cluster allows names with a value rule; a
// VM's values are checked against its cluster's rules, all or none set; bad
// input exits 2 naming the property and the rule with nothing written and a
// failure event; a rule VMs use is not removed nor narrowed past their values.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scratchCli, type CliRun } from '../lib/cli-main.ts';
import { openDatabase } from '../../src/manager/db.ts';

const { hostdeck, dbPath } = scratchCli('hostdeck-property-cli-');
const query = <T>(sql: string): T[] => {
  const db = openDatabase(dbPath());
  try { return db.prepare(sql).all() as T[]; } finally { db.close(); }
};
const values = () => query<{ name: string; value: string }>('SELECT name, value FROM vm_custom_properties ORDER BY name').map((r) => `${r.name}=${r.value}`);
const events = (re: RegExp) => query<{ message: string; result: string }>('SELECT message, result FROM events ORDER BY id').filter((e) => re.test(e.message));
const json = <T>(r: CliRun): T => { assert.equal(r.code, 0, r.err); return JSON.parse(r.out) as T; };

describe('hostdeck cluster property / vm property', () => {
  it('a cluster allows names with a rule; bad names and regular expressions exit 2 naming them, allowing nothing', async () => {
    const none = await hostdeck('cluster', 'property', 'list', 'Default');
    assert.equal(none.code, 0, none.err);
    assert.match(none.out, /Cluster Default allows no custom VM property/);
    const badName = await hostdeck('cluster', 'property', 'set', 'Default', 'Sap-Agent', '--regex', '.*');
    assert.equal(badName.code, 2);
    assert.match(badName.err, /NAME: must start with a lower-case letter and have only lower-case letters, digits and "_"/);
    const badRe = await hostdeck('cluster', 'property', 'set', 'Default', 'sap_agent', '--regex', '(true|false');
    assert.equal(badRe.code, 2);
    assert.match(badRe.err, /--regex: is not a valid regular expression/);
    const noRe = await hostdeck('cluster', 'property', 'set', 'Default', 'sap_agent');
    assert.equal(noRe.code, 2);
    assert.match(noRe.err, /--regex: is required/);
    assert.equal(query('SELECT * FROM cluster_vm_properties').length, 0);
    assert.equal((await hostdeck('cluster', 'property', 'set', 'Default', 'sap_agent', '--regex', '(true|false)')).code, 0);
    assert.equal((await hostdeck('cluster', 'property', 'set', 'Default', 'vhost', '--regex', '[a-z0-9]+:[a-z]+')).code, 0);
    const rules = json<{ name: string; regex: string }[]>(await hostdeck('cluster', 'property', 'list', 'Default', '--json'));
    assert.deepEqual(rules, [{ name: 'sap_agent', regex: '(true|false)' }, { name: 'vhost', regex: '[a-z0-9]+:[a-z]+' }]);
    assert.equal(events(/^Allow custom property sap_agent in cluster Default/).filter((e) => e.result === 'success').length, 1);
    const missing = await hostdeck('cluster', 'property', 'list', 'nope');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cluster: no cluster "nope"/);
  });

  it('a VM\'s values must match its cluster\'s rules whole; one bad value sets none, exit 2 naming the property and the rule', async () => {
    const bad = await hostdeck('vm', 'property', 'set', 'test', 'sap_agent=true', 'vhost=NET1', 'numa=2');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /property vhost: "NET1" does not match \[a-z0-9\]\+:\[a-z\]\+ \(cluster Default's rule\)/);
    assert.match(bad.err, /property numa: cluster Default allows only sap_agent, vhost/);
    assert.deepEqual(values(), [], 'nothing is set when one value is refused');
    assert.equal(events(/^Set custom properties of VM test/).at(-1)?.result, 'failure');
    const partial = await hostdeck('vm', 'property', 'set', 'test', 'sap_agent=truex');
    assert.equal(partial.code, 2, 'the rule matches the whole value');
    const noEq = await hostdeck('vm', 'property', 'set', 'test', 'sap_agent');
    assert.equal(noEq.code, 2);
    assert.match(noEq.err, /NAME=VALUE: "sap_agent" has no "=" after a name/);
    assert.equal((await hostdeck('vm', 'property', 'set', 'test', 'sap_agent=true', 'vhost=net1:on')).code, 0);
    assert.deepEqual(values(), ['sap_agent=true', 'vhost=net1:on']);
    const p = json<{ cluster: string; values: Record<string, string> }>(await hostdeck('vm', 'property', 'list', 'test', '--json'));
    assert.deepEqual([p.cluster, p.values], ['Default', { sap_agent: 'true', vhost: 'net1:on' }]);
    const table = await hostdeck('vm', 'property', 'list', 'test');
    assert.match(table.out, /sap_agent +true +\(true\|false\)/);
    const ghost = await hostdeck('vm', 'property', 'set', 'no-such-vm', 'sap_agent=true');
    assert.equal(ghost.code, 2);
    assert.match(ghost.err, /vm: no VM "no-such-vm"/);
  });

  it('a rule a VM uses is not removed, nor changed so the VM\'s value no longer matches (the VM named); unset, then remove', async () => {
    const held = await hostdeck('cluster', 'property', 'remove', 'Default', 'vhost');
    assert.equal(held.code, 1);
    assert.match(held.err, /VMs of cluster Default still have vhost: test; unset it first/);
    const narrowed = await hostdeck('cluster', 'property', 'set', 'Default', 'vhost', '--regex', '[a-z]+');
    assert.equal(narrowed.code, 1);
    assert.match(narrowed.err, /VM test's vhost "net1:on" would not match \[a-z\]\+/);
    assert.equal(query<{ regex: string }>("SELECT regex FROM cluster_vm_properties WHERE name = 'vhost'")[0]?.regex, '[a-z0-9]+:[a-z]+');
    const notSet = await hostdeck('vm', 'property', 'unset', 'test', 'numa');
    assert.equal(notSet.code, 2);
    assert.match(notSet.err, /property numa: VM test has no value for it/);
    assert.equal((await hostdeck('vm', 'property', 'unset', 'test', 'vhost')).code, 0);
    assert.deepEqual(values(), ['sap_agent=true']);
    assert.equal((await hostdeck('cluster', 'property', 'remove', 'Default', 'vhost')).code, 0);
    assert.deepEqual(json<{ name: string }[]>(await hostdeck('cluster', 'property', 'list', 'Default', '--json')).map((r) => r.name), ['sap_agent']);
  });

  it('read-only mode refuses every change and writes nothing', async () => {
    const before = values();
    const r = await hostdeck('vm', 'property', 'set', 'test', 'sap_agent=false', '--read-only');
    assert.equal(r.code, 1);
    assert.match(r.err, /read-only/);
    assert.equal((await hostdeck('cluster', 'property', 'set', 'Default', 'numa', '--regex', '\\d+', '--read-only')).code, 1);
    assert.equal((await hostdeck('cluster', 'property', 'remove', 'Default', 'sap_agent', '--read-only')).code, 1);
    assert.deepEqual(values(), before);
    assert.equal(query('SELECT * FROM cluster_vm_properties').length, 1);
  });
});
