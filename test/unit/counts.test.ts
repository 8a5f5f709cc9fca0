// The counts an operator reads in a sentence: the noun and verb agree with
// the number, and a form's refusal counts the fields it marks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldsNeedAttention, formRefusal, labelled, stagedChanges } from '../../src/domain/counts.ts';

describe('counts in sentences', () => {
  it('one field needs attention, two fields need attention; one staged change, no staged changes', () => {
    assert.equal(fieldsNeedAttention(1), '1 field needs attention');
    assert.equal(fieldsNeedAttention(2), '2 fields need attention');
    assert.equal(stagedChanges(1), '1 staged change');
    assert.equal(stagedChanges(0), '0 staged changes');
  });

  it('a refusal counts the fields marked, not the rules broken; one marked field gives its message', () => {
    const ports = [{ field: 'ports', message: 'ports: eth1 is taken' }, { field: 'ports', message: 'ports: eth9 does not exist' }];
    assert.equal(formRefusal([...ports, { field: 'name', message: 'name: is required' }]), '2 fields need attention');
    assert.equal(formRefusal(ports), 'ports: eth1 is taken; ports: eth9 does not exist');
    assert.equal(formRefusal({ portal: 'Portal: is required', target: undefined as unknown as string, chapSecret: 'CHAP secret: at least 12 characters' }), '2 fields need attention');
  });

  it('a message naming a field by its id names it by its label instead; other messages are left as they are', () => {
    assert.equal(labelled('chapSecret: at least 12 characters', 'chapSecret', 'CHAP secret'), 'CHAP secret: at least 12 characters');
    assert.equal(labelled('must differ', 'chapSecret', 'CHAP secret'), 'must differ');
  });
});
