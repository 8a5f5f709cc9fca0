// The rules of custom VM properties a user meets: names that become a hook's
// variable, regular expressions that match whole values, values that fit in
// a hook's environment, and NAME=VALUE as the CLI reads it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileRule, parseAssignment, propertyNameProblem, ruleProblems, valueProblems } from '../../src/domain/custom-properties.ts';

describe('custom VM property rules', () => {
  it('a name is a lower-case variable name that hides neither HOSTDECK_* nor PATH', () => {
    for (const ok of ['sap_agent', 'vhost', 'a1', 'x'.repeat(40)]) assert.equal(propertyNameProblem(ok), undefined, ok);
    for (const bad of ['', 'PATH', 'HOSTDECK_VM_NAME', '1abc', 'sap-agent', 'a b', '_x', 'x'.repeat(41)]) assert.ok(propertyNameProblem(bad), bad);
  });

  it('a rule matches the whole value; an invalid or overlong expression is named', () => {
    const re = compileRule('(true|false)') as RegExp;
    assert.equal(re.test('true'), true);
    assert.equal(re.test('truex'), false);
    assert.equal(re.test('xfalse'), false);
    assert.match(compileRule('(a') as string, /is not a valid regular expression/);
    assert.match(compileRule('') as string, /is required/);
    assert.match(compileRule('a'.repeat(501)) as string, /at most 500/);
    assert.match(compileRule('a\nb') as string, /one line of visible characters/);
    assert.match(compileRule('ab\u202e') as string, /one line of visible characters/);
    assert.deepEqual(ruleProblems({ name: 'Bad', regex: '[' }).map((e) => e.field), ['name', 'regex']);
  });

  it('values: only allowed names, matching whole, one line without NUL, at most 1024 characters; an empty value where the rule allows it', () => {
    const rules = [{ name: 'note', regex: '.*' }, { name: 'n', regex: '\\d+' }];
    assert.deepEqual(valueProblems({ note: '', n: '42' }, rules, 'Default'), []);
    const errs = valueProblems({ note: 'a\nb', n: '4x', x: '1' }, rules, 'Default');
    assert.deepEqual(errs.map((e) => e.field), ['property note', 'property n', 'property x']);
    assert.match(errs[0]!.message, /one line with no NUL/);
    assert.match(errs[2]!.message, /cluster Default allows only note, n/);
    assert.match(valueProblems({ note: 'x'.repeat(1025) }, rules, 'C')[0]!.message, /at most 1024/);
    assert.match(valueProblems({ note: 'a\0b' }, rules, 'C')[0]!.message, /no NUL/);
    assert.match(valueProblems({ a: '1' }, [], 'C')[0]!.message, /cluster C allows no custom property/);
  });

  it('NAME=VALUE splits at the first "="; the value may hold "=" or be empty', () => {
    assert.deepEqual(parseAssignment('opts=a=b'), { name: 'opts', value: 'a=b' });
    assert.deepEqual(parseAssignment('note='), { name: 'note', value: '' });
    assert.equal(parseAssignment('=x'), undefined);
    assert.equal(parseAssignment('novalue'), undefined);
  });
});
