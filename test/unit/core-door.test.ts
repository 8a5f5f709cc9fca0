// The door decides for every front end: read-only mode and the engine lock
// refuse each mutating action of the catalog inside the core (not only on the
// console's keys), with one failure event naming the action, and the action
// itself never runs; reads pass whatever the mode.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { createDoor } from '../../src/core/door.ts';
import { ACTION_CATALOG, mutatingActions, type ActionDef, type ActionId } from '../../src/core/catalog.ts';
import { ForbiddenError } from '../../src/domain/errors.ts';
import type { PolicyState } from '../../src/core/policy.ts';

const LOCK = 'VM actions belong to the oVirt engine engine.example.test';

function setup(state: PolicyState) {
  const events = new EventLog(openDatabase(':memory:'), { user: 'alice', channel: 'cli' });
  const door = createDoor({ user: 'alice', channel: 'cli' }, events, state);
  return { events, door };
}

/** Takes `a` on object obj1 through the door; resolves what happened: the error, whether fn ran, the events written. */
async function take(door: ReturnType<typeof setup>['door'], events: EventLog, a: ActionDef) {
  const last = events.list({ limit: 1 })[0]?.id ?? 0;
  let ran = false;
  let error: unknown;
  await door.act(a.id as ActionId, { id: 'obj1' }, { message: `${a.id} obj1` }, () => { ran = true; }).catch((e: unknown) => { error = e; });
  return { error, ran, events: events.list({ afterId: last }) };
}

describe('the door refuses every mutating action of the catalog in read-only mode', () => {
  const { events, door } = setup({ readOnly: true, engineLock: () => undefined });
  for (const a of mutatingActions()) {
    it(`${a.id}: ForbiddenError with the reason, one failure event naming it, the action never runs`, async () => {
      const r = await take(door, events, a);
      assert.ok(r.error instanceof ForbiddenError, `${a.id}: ${String(r.error)}`);
      assert.match((r.error as Error).message, /read-only mode/);
      assert.equal(r.ran, false);
      assert.equal(r.events.length, 1);
      const [e] = r.events;
      assert.equal(e!.result, 'failure');
      assert.match(e!.message, new RegExp(`^${a.id.replace('.', '\\.')} obj1 refused: read-only mode`));
      assert.deepEqual([e!.source, e!.objectType, e!.objectId, e!.user, e!.channel], [a.source, a.object, 'obj1', 'alice', 'cli']);
      assert.equal(door.whyNot(a.id as ActionId), (r.error as Error).message.replace(`${a.id} obj1: `, ''));
    });
  }
});

describe('the door refuses every engine-owned action while an engine owns the VMs', () => {
  const { events, door } = setup({ readOnly: false, engineLock: () => LOCK });
  const owned = ACTION_CATALOG.filter((a) => 'engineOwned' in a && a.engineOwned);
  it('the catalog marks the VM and snapshot actions engine-owned', () => {
    assert.ok(owned.some((a) => a.id === 'vm.start') && owned.some((a) => a.id === 'snapshot.create'));
  });
  for (const a of owned) {
    it(`${a.id}: ForbiddenError with the engine's reason, one failure event, the action never runs`, async () => {
      const r = await take(door, events, a);
      assert.ok(r.error instanceof ForbiddenError, `${a.id}: ${String(r.error)}`);
      assert.match((r.error as Error).message, new RegExp(LOCK));
      assert.equal(r.ran, false);
      assert.equal(r.events.length, 1);
      assert.equal(r.events[0]!.result, 'failure');
      assert.match(r.events[0]!.message, new RegExp(`^${a.id.replace('.', '\\.')} obj1 refused: ${LOCK}`));
    });
  }
  it('lets the mutating actions the engine does not own run, with their success event', async () => {
    const free = mutatingActions().filter((a) => !a.engineOwned);
    assert.ok(free.length > 0);
    for (const a of free) {
      const r = await take(door, events, a);
      assert.equal(r.error, undefined, a.id);
      assert.equal(r.ran, true, a.id);
      assert.equal(r.events.filter((e) => e.result === 'success').length, 1, a.id);
    }
  });
});

describe('the door lets every read run in read-only mode and under the engine lock, writing no event', () => {
  const { events, door } = setup({ readOnly: true, engineLock: () => LOCK });
  for (const a of ACTION_CATALOG.filter((x) => !x.mutates)) {
    it(a.id, async () => {
      const r = await take(door, events, a);
      assert.equal(r.error, undefined);
      assert.equal(r.ran, true);
      assert.equal(r.events.length, 0);
      assert.equal(door.whyNot(a.id), undefined);
    });
  }
});
