// The one form state every console form is built on: what the operator sees
// happen to a field when moving, editing, committing, cancelling and cycling.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formStateReducer, initialFormState, type FormAction, type FormState } from '../../src/ui/form/form-state.ts';

const run = (s: FormState, ...actions: FormAction[]) => actions.reduce((x, a) => formStateReducer(x, a), s);
const start = () => initialFormState<string>({ name: 'web1', size: '', kind: '' });

describe('form state', () => {
  it('Enter edits from the value; Enter commits the draft, marks the field entered and drops its error', () => {
    const s = run({ ...start(), errors: { name: 'name: is taken' } }, { type: 'edit', id: 'name' }, { type: 'draft', value: ' web2 ' }, { type: 'commit', id: 'name', trim: true });
    assert.equal(s.values.name, 'web2');
    assert.equal(s.editing, false);
    assert.deepEqual(s.touched, { name: true });
    assert.deepEqual(s.errors, {});
  });

  it('a form that edits from nothing starts with an empty draft', () => {
    assert.equal(run(start(), { type: 'edit', id: 'name', blank: true }).draft, '');
  });

  it('Esc leaves the value as it was', () => {
    const s = run(start(), { type: 'edit', id: 'name' }, { type: 'draft', value: 'other' }, { type: 'cancel' });
    assert.equal(s.values.name, 'web1');
    assert.equal(s.editing, false);
  });

  it('moving wraps past either end, or stops there; not while a field is edited', () => {
    assert.equal(run(start(), { type: 'move', delta: -1, count: 3 }).focus, 2);
    assert.equal(run(start(), { type: 'move', delta: -1, count: 3, wrap: false }).focus, 0);
    assert.equal(run(start(), { type: 'move', delta: 5, count: 3, wrap: false }).focus, 2);
    assert.equal(run(start(), { type: 'edit', id: 'name' }, { type: 'move', delta: 1, count: 3 }).focus, 0);
  });

  it('cycling an unset choice starts at the first option, then wraps both ways', () => {
    const options = ['a', 'b', 'c'];
    assert.equal(run(start(), { type: 'cycle', id: 'kind', options, delta: 1 }).values.kind, 'a');
    assert.equal(run(start(), { type: 'cycle', id: 'kind', options, delta: 0 }).values.kind, 'a');
    assert.equal(run(start(), { type: 'cycle', id: 'kind', options, delta: 1 }, { type: 'cycle', id: 'kind', options, delta: -1 }).values.kind, 'c');
  });

  it('values set from elsewhere drop their errors only; reset starts over', () => {
    const s = run({ ...start(), errors: { size: 'size: too big', name: 'name: is taken' } }, { type: 'set', values: { size: '10G' } });
    assert.deepEqual(s.errors, { name: 'name: is taken' });
    assert.deepEqual(run(s, { type: 'reset', values: { name: '' } }), initialFormState({ name: '' }));
  });

  it('a pick list: the cursor steps through its rows before the next or previous field takes it; Space ticks and clears in the options\' order', () => {
    const rows = [0, 3, 0];
    const down = { type: 'move', delta: 1, count: 3, rows } as const;
    const up = { type: 'move', delta: -1, count: 3, rows } as const;
    const onList = run(start(), down);
    assert.deepEqual([onList.focus, onList.row], [1, 0]);
    assert.deepEqual([run(onList, down, down).focus, run(onList, down, down).row], [1, 2]);
    assert.equal(run(onList, down, down, down).focus, 2);
    // Coming back up enters the list at its last row.
    const back = run(onList, down, down, down, up);
    assert.deepEqual([back.focus, back.row], [1, 2]);
    assert.equal(run(onList, up).focus, 0);
    const options = ['eth0', 'eth3', 'eth4'];
    const ticked = run(start(), { type: 'toggle', id: 'kind', option: 'eth4', options }, { type: 'toggle', id: 'kind', option: 'eth0', options });
    assert.equal(ticked.values.kind, 'eth0 eth4');
    assert.deepEqual(ticked.touched, { kind: true });
    assert.equal(run(ticked, { type: 'toggle', id: 'kind', option: 'eth0', options }).values.kind, 'eth4');
  });
});
