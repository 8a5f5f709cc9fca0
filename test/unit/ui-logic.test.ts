import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzyFilter } from '../../src/domain/fuzzy.ts';
import { makeFilter } from '../../src/domain/filter.ts';
import { effectiveBindings, findBinding } from '../../src/app/keys.ts';
import { moveSelection } from '../../src/app/list.ts';
import { makeTheme } from '../../src/ui/theme.ts';
import { windowStart } from '../../src/ui/Table.tsx';
import { editText } from '../../src/ui/TextLine.tsx';
import type { Binding } from '../../src/app/types.ts';

describe('palette fuzzy matching', () => {
  const items = [
    { id: 'dashboard', title: 'Dashboard', aliases: ['home'] },
    { id: 'events', title: 'Events', aliases: ['ev', 'log'] },
    { id: 'vms', title: 'Virtual machines', aliases: ['vm'] },
  ];
  it('matches letters in order, best first', () => {
    assert.equal(fuzzyFilter('evnts', items)[0]!.id, 'events');
    assert.equal(fuzzyFilter('vm', items)[0]!.id, 'vms');
    assert.equal(fuzzyFilter('home', items)[0]!.id, 'dashboard');
    assert.deepEqual(fuzzyFilter('zzz', items), []);
    assert.equal(fuzzyFilter('', items).length, 3);
  });
});

describe('row filter', () => {
  it('substring, regex and ! inversion', () => {
    assert.equal(makeFilter('web').test('WEB-01'), true);
    assert.equal(makeFilter('^db\\d+$').test('db12'), true);
    assert.equal(makeFilter('^db\\d+$').test('xdb12'), false);
    assert.equal(makeFilter('!web').test('db1'), true);
    assert.equal(makeFilter('!web').test('web1'), false);
    assert.equal(makeFilter('^db.*2$').test(['db12', 'running', 'x-12']), true);
    assert.equal(makeFilter('^db.*2$').test(['web12', 'running', 'db-1']), false);
    assert.equal(makeFilter('!run').test(['db1', 'running']), false);
    assert.equal(makeFilter('a(b').error, 'not a valid regular expression (unterminated group)');
  });
});

describe('bindings as data', () => {
  const bs: Binding[] = [
    { keys: ['s'], description: 'Start', action: () => undefined, dangerous: true },
    { keys: ['r'], description: 'Refresh', action: () => undefined },
    { keys: ['x'], description: 'Hidden', action: () => undefined, when: false },
  ];
  it('read-only drops dangerous bindings; when:false hides one', () => {
    assert.deepEqual(effectiveBindings(bs, false).map((b) => b.description), ['Start', 'Refresh']);
    assert.deepEqual(effectiveBindings(bs, true).map((b) => b.description), ['Refresh']);
    assert.equal(findBinding(effectiveBindings(bs, true), 's'), undefined);
  });
});

describe('list selection and windowing', () => {
  it('moves by identity and clamps at the ends', () => {
    const keys = ['a', 'b', 'c', 'd'];
    assert.equal(moveSelection(keys, 'b', 1), 'c');
    assert.equal(moveSelection(keys, 'd', 1), 'd');
    assert.equal(moveSelection(keys, 'a', -5), 'a');
    assert.equal(moveSelection(keys, 'zz', 1), 'b');
    assert.equal(moveSelection(keys, 'b', 'end'), 'd');
    assert.equal(moveSelection([], 'b', 1), undefined);
  });
  it('renders only a window around the selection', () => {
    assert.equal(windowStart(0, 1000, 20), 0);
    assert.equal(windowStart(500, 1000, 20), 490);
    assert.equal(windowStart(999, 1000, 20), 980);
    assert.equal(windowStart(3, 5, 20), 0);
  });
});

describe('text editing', () => {
  it('appends, deletes, clears, and drops control characters', () => {
    assert.equal(editText('ab', 'c', {}), 'abc');
    assert.equal(editText('abc', '', { backspace: true }), 'ab');
    assert.equal(editText('abc def', 'w', { ctrl: true }), 'abc ');
    assert.equal(editText('abc', 'u', { ctrl: true }), '');
    assert.equal(editText('a', 'b\u0007c', {}), 'abc');
    assert.equal(editText('a', '', { return: true }), undefined);
    // Keys that arrive in one read (typed fast over SSH): Ctrl-U then a value replaces the old one.
    assert.equal(editText('1G', '\u0015128M', {}), '128M');
    assert.equal(editText('abc def', '\u0017x', {}), 'abc x');
    assert.equal(editText('abc', '\u007f\u007fz', {}), 'az');
    assert.equal(editText('a', '\n', {}), undefined);
  });
});

describe('themes', () => {
  it('NO_COLOR removes every colour', () => {
    const t = makeTheme('dark', { NO_COLOR: '1' });
    assert.equal(t.color, false);
    assert.equal(t.accent, undefined);
    assert.equal(makeTheme('high-contrast', {}).color, true);
  });
});
