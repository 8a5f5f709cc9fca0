// What `?` says a changing key does, on the screens as the operator opens them
// (libvirt test driver, a temporary state DB): "asks first" only for a key
// that asks, and the network keys say they only stage.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

describe('? says what each changing key does', () => {
  const services = testServices();
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 2000);
  let ui: ReturnType<typeof renderTui>;
  before(async () => {
    ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'unconfigured'} />, { columns: 120, rows: 40 });
    await ui.waitFor(/test:\/\/\/default connected/);
  });
  after(async () => { ui.unmount(); stores.stop(); await services.cleanup(); });

  async function helpOf(screenKey: string, title: string): Promise<string> {
    await ui.press(screenKey);
    await ui.waitFor(`Dashboard › ${title}`);
    await ui.press('?');
    const help = await ui.waitFor(`Help: ${title}`);
    await ui.press(KEYS.escape, KEYS.escape);
    await ui.waitFor((f) => f.split('\n')[1]!.trim() === 'Dashboard');
    return help;
  }

  it('Storage domains: create does not ask, so help does not say it does', async () => {
    const help = await helpOf('s', 'Storage domains');
    assert.match(help, /c\s+Create \(changes the host\)/);
  });

  it('Network: the keys that open a form only stage; A applies', async () => {
    const help = await helpOf('n', 'Network');
    assert.match(help, /b\s+New bond \(only stages; A applies\)/);
    assert.doesNotMatch(help, /New bond \(changes the host/);
  });
});
