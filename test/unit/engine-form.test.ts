import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EMPTY_FORM, formReducer, toInput, type FormState } from '../../screens/engine/use-engine-form.ts';

const start: FormState = { values: EMPTY_FORM, focus: 0, editing: false, draft: '', errors: {}, touched: {} };
const defaults = { name: 'node1', address: '192.0.2.21' };

function enter(s: FormState, focus: number, text: string): FormState {
  s = { ...s, focus };
  s = formReducer(s, { type: 'edit' });
  s = formReducer(s, { type: 'draft', value: text });
  return formReducer(s, { type: 'commit', defaults });
}

describe('Engine screen form', () => {
  test('a committed field is checked at once; fields not entered yet show no error', () => {
    const s = enter(start, 4, '0');
    assert.deepEqual(s.errors, { sshPort: 'ssh port: must be from 1 to 65535 (got 0)' });
    assert.equal(s.values.sshPort, '0');
    assert.equal(s.editing, false);
  });
  test('an empty engine address is not an error until registering', () => {
    assert.deepEqual(enter(start, 0, '   ').errors, {});
  });
  test('a port that contradicts the engine address is marked once both are entered', () => {
    let s = enter(start, 1, '8443');
    assert.equal(s.errors.port, undefined);
    s = enter(s, 0, 'engine.example.com:443');
    assert.match(s.errors.port ?? '', /contradicts the port 443/);
  });
  test('Esc leaves the value as it was', () => {
    let s = enter(start, 3, 'alice');
    s = formReducer(formReducer(formReducer({ ...s, focus: 3 }, { type: 'edit' }), { type: 'draft', value: 'bob' }), { type: 'cancel' });
    assert.equal(s.values.sshUser, 'alice');
  });
  test('kernel-argument values fill only empty fields; up and down wrap', () => {
    let s = enter(start, 5, 'mynode');
    s = formReducer(s, { type: 'prefill', values: { engine: 'engine.example.com', name: 'from-cmdline' } });
    assert.equal(s.values.engine, 'engine.example.com');
    assert.equal(s.values.name, 'mynode');
    assert.equal(formReducer({ ...s, focus: 0 }, { type: 'move', delta: -1 }).focus, 6);
    assert.deepEqual(toInput(s.values), { engine: 'engine.example.com', port: undefined, fingerprint: undefined, sshUser: undefined, sshPort: undefined, name: 'mynode', address: undefined });
  });
});
