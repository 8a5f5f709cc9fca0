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
});
