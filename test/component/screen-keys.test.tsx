// Every screen of the console, opened from the menu as the operator does: no
// key is bound twice on one screen (the first binding would win and the other
// could never run), and no screen takes the shell's own `?` and `:`.
import { after, before, describe, it } from 'node:test';
import { consoleCore } from '../lib/services.ts';
import assert from 'node:assert/strict';
import { useContext, useMemo } from 'react';
import { App } from '../../src/app/App.tsx';
import { BindingContext, bindingConflicts } from '../../src/app/keys.ts';
import type { Binding, ScreenComponent, ScreenDef } from '../../src/app/types.ts';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { testServices } from '../lib/services.ts';

/** Every set of bindings each screen registered while it showed. */
const registered = new Map<string, Binding[][]>();

/** The screen as defined, with the bindings it registers recorded on their way to the shell. */
function recorded(def: ScreenDef): ScreenDef {
  const wrap = (Screen: ScreenComponent): ScreenComponent => function Recorded(props) {
    const outer = useContext(BindingContext);
    const ctx = useMemo(() => outer && {
      owner: outer.owner,
      registry: { set: (owner: string, b: Binding[]) => { registered.set(def.id, [...(registered.get(def.id) ?? []), b]); outer.registry.set(owner, b); }, clear: outer.registry.clear },
    }, [outer]);
    return <BindingContext.Provider value={ctx}><Screen {...props} /></BindingContext.Provider>;
  };
  return def.load ? { ...def, load: () => def.load!().then(wrap) } : { ...def, component: wrap(def.component!) };
}

describe('keys of every screen opened from the menu or the palette (libvirt test driver)', () => {
  const services = testServices();
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 2000);
  let ui: ReturnType<typeof renderTui>;
  before(async () => {
    ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={SCREENS.map(recorded)} initialTheme="dark" readOnly={false} mode={() => 'unconfigured'} />, { columns: 120, rows: 34 });
    await ui.waitFor(/test:\/\/\/default connected/);
  });
  after(async () => { ui.unmount(); stores.stop(); await services.cleanup(); });

  for (const def of SCREENS.filter((s) => s.key)) {
    it(`${def.title} (${def.key}): each key has one binding`, async () => {
      if (def.id !== 'dashboard') {
        await ui.press(def.key!);
        await ui.waitFor(() => registered.has(def.id));
      }
      const sets = registered.get(def.id) ?? [];
      assert.ok(sets.length > 0, `${def.title} registered no bindings`);
      for (const set of sets) {
        assert.deepEqual(bindingConflicts(set), []);
        assert.deepEqual(set.filter((b) => b.when !== false && b.keys.some((k) => k === '?' || k === ':')).map((b) => b.description), []);
      }
      if (def.id !== 'dashboard') await ui.press(KEYS.escape);
      await ui.waitFor(/test:\/\/\/default connected/);
    });
  }

  for (const [query, id] of [['new vm', 'vm-create'], ['wizard', 'network-wizard'], ['ping', 'net-tools']] as const) {
    it(`:${query} (${id}): each key has one binding`, async () => {
      await ui.press(':');
      await ui.type(query);
      await ui.press(KEYS.enter);
      await ui.waitFor(() => registered.has(id));
      for (const set of registered.get(id)!) assert.deepEqual(bindingConflicts(set), []);
      await ui.press(KEYS.escape);
      await ui.waitFor(/test:\/\/\/default connected/);
    });
  }

  it('the conflict check names a key two bindings share', () => {
    const noop = () => {};
    assert.deepEqual(bindingConflicts([{ keys: ['s'], description: 'Start', action: noop }, { keys: ['s', 'S'], description: 'Sort', action: noop }, { keys: ['s'], description: 'Hidden', action: noop, when: false }]), [{ key: 's', descriptions: ['Start', 'Sort'] }]);
  });
});
