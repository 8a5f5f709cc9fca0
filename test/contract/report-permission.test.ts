// Reports read the whole state database, so they take the reports' roles:
// ReadOnlyAdmin, AuditLogManager or SuperUser on the system (issue #18's
// reports permit). An identity with another role, even an administrator's on
// a cluster, is refused naming them; the SQL itself never runs for it; its
// refusal is an event.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCore } from '../../src/core/index.ts';
import { testServices } from '../lib/services.ts';

describe('who may run reports', () => {
  const s = testServices({ channel: 'cli' });
  const root = createCore(s, { user: 'root', channel: 'cli' });
  const as = (identity: string) => createCore(s, { user: identity, channel: 'cli', identity });
  after(() => s.cleanup());

  it('ReadOnlyAdmin and AuditLogManager on the system run SQL and built-in reports; UserRole there and ClusterAdmin on a cluster do not', async () => {
    await root.permissions.add({ user: 'reader@internal', role: 'ReadOnlyAdmin', object: 'system' });
    await root.permissions.add({ user: 'auditor@internal', role: 'AuditLogManager', object: 'system' });
    await root.permissions.add({ user: 'enduser@internal', role: 'UserRole', object: 'system' });
    await root.permissions.add({ user: 'clusteradmin@internal', role: 'ClusterAdmin', object: 'cluster:Default' });
    for (const who of ['reader@internal', 'auditor@internal']) {
      assert.deepEqual((await as(who).reports.sql({ sql: 'SELECT count(*) FROM v1_clusters' })).rows, [[1]], who);
      assert.ok((await as(who).reports.list()).length > 0, who);
    }
    for (const who of ['enduser@internal', 'clusteradmin@internal']) {
      await assert.rejects(as(who).reports.sql({ sql: 'SELECT name FROM users' }),
        new RegExp(`reports need SuperUser, ReadOnlyAdmin, AuditLogManager on the system \\(${who} has none of them there\\)`));
      await assert.rejects(as(who).reports.views(), /reports need/);
    }
    const refusals = s.events.list({}).filter((e) => e.result === 'failure' && /reports need/.test(e.message));
    assert.equal(refusals.length, 4, 'each refusal is an event');
  });

  it('ReadOnlyAdmin reads the history views and changes nothing (issue #20\'s read-only history interface)', async () => {
    const reader = as('reader@internal');
    const views = (await reader.reports.views()).map((v) => v.name);
    for (const v of ['v1_host_samples_minute', 'v1_vm_samples_hourly', 'v1_storage_domain_samples_daily', 'v1_nic_samples_minute', 'v1_vm_configuration']) {
      assert.ok(views.includes(v), v);
      assert.deepEqual((await reader.reports.sql({ sql: `SELECT count(*) FROM ${v}` })).rows, [[0]], v);
    }
    await assert.rejects(reader.manager.dataCenters.create({ name: 'not-by-reader' }), /needs permit CREATE_STORAGE_POOL .* \(reader@internal has no role granting it there\)/);
    await assert.rejects(reader.users.add('someone', 'Plenty-of-words-9'), /needs permit/);
  });
});
