// The Notifications screen in the shell over a real state DB: `:notify`
// opens it; n adds a subscription through the form (a non-http URL is marked
// on its field and nothing is written); the list shows the counts; t sends a
// test message to a loopback HTTP receiver; x removes after confirmation.
// Read-only mode offers no change.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';
import { startReceiver, type Receiver } from '../lib/http-receiver.ts';

function mount(opts: { readOnly?: boolean } = {}) {
  const services = testServices({ readOnly: opts.readOnly });
  const core = consoleCore(services);
  const stores = createStores(core, 60_000);
  const ui = renderTui(<App core={core} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={opts.readOnly ?? false} mode={() => 'standalone'} />, { columns: 140, rows: 34 });
  const subs = () => services.db.prepare('SELECT channel, target FROM notification_subscriptions ORDER BY id').all() as { channel: string; target: string }[];
  return { ui, subs, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

async function open(env: ReturnType<typeof mount>) {
  await env.ui.press(':');
  await env.ui.type('notify');
  await env.ui.press(KEYS.enter);
  await env.ui.waitFor('No subscriptions yet');
}

describe('Notifications screen', () => {
  let receiver: Receiver;
  before(async () => { receiver = await startReceiver(); });
  after(() => receiver.close());
  let env: ReturnType<typeof mount> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it('adds a webhook through the form (a non-http URL refused on its field), tests it, removes it when confirmed', async () => {
    env = mount();
    await open(env);
    await env.ui.press('n');
    await env.ui.waitFor('Add a subscription');
    // Channel: syslog → mail → webhook.
    await env.ui.press(' ');
    await env.ui.press(' ');
    await env.ui.waitFor(/Channel\s+webhook/);
    await env.ui.press(KEYS.tab);
    await env.ui.press(KEYS.enter);
    await env.ui.type('ftp://127.0.0.1/x');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/a webhook URL must be http or https, got ftp/);
    assert.deepEqual(env.subs(), [], 'nothing written');

    const url = receiver.url();
    await env.ui.press(KEYS.enter);
    for (let i = 0; i < 'ftp://127.0.0.1/x'.length; i++) await env.ui.press(KEYS.backspace);
    await env.ui.type(url);
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/Subscription 1: all events of warning or worse go to webhook/);
    await env.ui.waitFor(/1 +webhook +http:\/\/127\.0\.0\.1:\d+\/hook +\* +warning +0 +0 +0 +0 +ok/);
    assert.deepEqual(env.subs(), [{ channel: 'webhook', target: url }]);

    await env.ui.press('t');
    await env.ui.waitFor(/Test notification through webhook .*accepted by the endpoint/);
    assert.match(receiver.bodies.at(-1)!, /Test notification from hostdeck \(subscription 1\)/);

    await env.ui.press('x');
    await env.ui.waitFor(/Remove subscription 1 \(webhook/);
    await env.ui.press('y');
    await env.ui.waitFor('No subscriptions yet');
    assert.deepEqual(env.subs(), []);
  });

  it('read-only mode offers no change', async () => {
    env = mount({ readOnly: true });
    await open(env);
    await env.ui.press('n');
    const f = await env.ui.waitFor(/Add a subscription: not available in read-only mode/);
    assert.doesNotMatch(f, /Least severity/, 'no form opens');
    assert.deepEqual(env.subs(), []);
  });
});
