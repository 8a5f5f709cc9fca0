// The network use cases go through the door: in read-only mode staging and
// discarding (even with nothing staged) are refused with one refusal event
// and the staged set is left as it was; a list staged in one call is one
// transaction with one event; an apply's progress arrives as typed steps in
// order.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ForbiddenError } from '../../src/domain/errors.ts';
import { APPLY_STEPS, progressOf, stepList } from '../../src/domain/net/apply-steps.ts';
import { newIface, type NetChange, type NetConfig } from '../../src/domain/net/model.ts';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { netUseCases } from '../lib/net-core.ts';

function config(): NetConfig {
  return { hostname: 'node1', dns: { servers: [], search: [] }, interfaces: [newIface('eth0', 'ethernet'), newIface('eth1', 'ethernet'), newIface('eth2', 'ethernet')] };
}

function setup(readOnly: boolean) {
  const db = openDatabase(':memory:');
  const events = new EventLog(db, { user: 'alice', channel: 'tui' });
  const runner = { run: async () => { throw new Error('staging runs no program'); } };
  return { db, events, net: netUseCases({ db, events, readOnly, runner, watchdogCommand: null, stateDir: '/nonexistent' }) };
}

const changes: NetChange[] = [
  { op: 'bond.create', name: 'bond0', ports: ['eth1', 'eth2'], options: { mode: 'active-backup' } },
  { op: 'vlan.create', parent: 'bond0', id: 10 },
  { op: 'hostname.set', hostname: 'node2' },
];

describe('network use cases through the door', () => {
  it('read-only mode: stage and discard are refused with one refusal event each; nothing staged or dropped', async () => {
    const w = setup(false);
    await w.net.stageAll(changes, { current: config() });
    const ro = netUseCases({ db: w.db, events: w.events, readOnly: true, runner: { run: async () => { throw new Error('no program'); } }, watchdogCommand: null, stateDir: '/nonexistent' });
    const before = w.events.list().length;
    await assert.rejects(ro.stage({ op: 'hostname.set', hostname: 'node3' }, { current: config() }), (e: unknown) => e instanceof ForbiddenError && /read-only mode/.test(e.message));
    await assert.rejects(ro.discard(), ForbiddenError);
    const added = w.events.list().slice(0, w.events.list().length - before).map((e) => `${e.result}: ${e.message}`);
    assert.equal(added.length, 2);
    for (const m of added) assert.match(m, /^failure: .* refused: read-only mode/);
    assert.deepEqual(ro.staged(), changes);
  });

  it('discard with nothing staged goes through the door: refused in read-only mode with one refusal event, else one event saying nothing was staged', async () => {
    const ro = setup(true);
    await assert.rejects(ro.net.discard(), (e: unknown) => e instanceof ForbiddenError && /read-only mode/.test(e.message));
    assert.deepEqual(ro.events.list().map((e) => `${e.result}: ${e.message}`), ['failure: Discarded no staged changes: nothing was staged refused: read-only mode: hostdeck was started with --read-only (or HOSTDECK_READ_ONLY=1)']);
    const rw = setup(false);
    assert.equal(await rw.net.discard(), 0);
    assert.deepEqual(rw.events.list().map((e) => `${e.result} ${e.user}/${e.channel}: ${e.message}`), ['success alice/tui: Discarded no staged changes: nothing was staged']);
  });

  it('a list staged in one call (the wizard) is one event, and a refused change in it stages none', async () => {
    const t = setup(false);
    await assert.rejects(t.net.stageAll([...changes, { op: 'vlan.create', parent: 'eth9', id: 5 }], { current: config() }), /change 4/);
    assert.deepEqual(t.net.staged(), []);
    assert.equal(await t.net.stageAll(changes, { current: config(), event: { message: 'Network setup wizard staged 3 changes' } }), 3);
    assert.deepEqual(t.net.staged(), changes);
    assert.deepEqual(t.events.list().map((e) => e.message), ['Network setup wizard staged 3 changes']);
  });

  it('apply progress is typed: each report names its step and place; the list marks the steps before it done', () => {
    const p = progressOf('apply', 'bond0');
    assert.deepEqual(p, { step: 'apply', index: 3, total: APPLY_STEPS.length, state: 'running', detail: 'bond0' });
    const list = stepList();
    list.report(progressOf('validate'));
    const steps = list.report(p);
    assert.deepEqual(steps.map((s) => s.status), ['done', 'done', 'done', 'running', 'pending', 'pending', 'pending']);
    assert.equal(steps[3]!.detail, 'bond0');
    assert.deepEqual(list.failed('ip failed').map((s) => s.status).slice(3, 4), ['failed']);
  });
});
