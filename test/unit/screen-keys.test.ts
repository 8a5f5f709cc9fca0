// The console's screens as data: every word the `:` palette answers to and
// every menu key leads to one place only, so Enter opens what was typed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SCREENS, ACTIONS } from '../../screens/index.ts';
import { paletteCollisions, paletteItems, shellActions } from '../../src/app/palette.ts';
import { fuzzyFilter } from '../../src/domain/fuzzy.ts';

const items = paletteItems(SCREENS, [...shellActions({ switchTheme: () => {}, quit: () => {} }), ...ACTIONS], { readOnly: false, whyNot: () => undefined });
const first = (query: string) => fuzzyFilter(query, items)[0]?.id;

describe('screen registry', () => {
  it('screen ids are unique', () => {
    const ids = SCREENS.map((s) => s.id);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
  });

  it('no palette word (title, id or alias) reaches two screens or actions', () => {
    assert.deepEqual(paletteCollisions(items), []);
  });

  it('the collision check names a word two entries share', () => {
    assert.deepEqual(paletteCollisions([{ id: 'a', title: 'A', aliases: ['top'] }, { id: 'b', title: 'B', aliases: ['Top'] }]), [{ word: 'top', ids: ['a', 'b'] }]);
  });

  it('menu keys are unique and leave the menu\'s own keys and the global keys free', () => {
    const keys = SCREENS.flatMap((s) => (s.key ? [s.key] : []));
    assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), []);
    const reserved = ['?', ':', 'q', 'j', 'k', 'r'];
    assert.deepEqual(keys.filter((k) => reserved.includes(k)), []);
  });

  it('screens that need a parameter are not offered by the palette', () => {
    for (const id of ['vm', 'event', 'vm-snapshots', 'vm-edit', 'vm-clone', 'vm-delete', 'net-form']) assert.ok(!items.some((i) => i.id === `screen:${id}`), id);
  });

  it(':wizard opens the network wizard, :top the host monitor, :vm the VM list', () => {
    assert.equal(first('wizard'), 'screen:network-wizard');
    assert.equal(first('top'), 'screen:host-monitor');
    assert.equal(first('vm'), 'screen:vms');
    assert.equal(first('new vm'), 'screen:vm-create');
  });

  it('the snapshots screen is defined by its own folder', async () => {
    const { vmSnapshotsScreen } = await import('../../screens/vm-snapshots/index.ts');
    assert.equal(SCREENS.find((s) => s.id === 'vm-snapshots'), vmSnapshotsScreen);
  });
});
