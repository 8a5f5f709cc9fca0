// The Pools screen inside the real shell over the real pool use cases and
// state DB (libvirt's test driver): the list with its filter and sort, a
// pool's VMs, taking a VM for a user (the test driver's running domain as
// the pool's VM) and returning it after confirmation. Creating a pool goes
// through a stand-in for the VM creation (the test driver has no template
// images to make thin VMs of; the integration tier makes real ones): the
// form is driven by keys, bad input is marked on its field with nothing
// made. Read-only mode offers no change at all.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { InvalidInputError } from '../../src/domain/errors.ts';
import { validatePool } from '../../src/domain/pools.ts';
import { poolRepo } from '../../src/manager/repos/pools.ts';
import { createPoolsScreen } from '../../screens/pools/index.ts';
import { defaultApi } from '../../screens/pools/Pools.tsx';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

async function mount(opts: { readOnly?: boolean } = {}) {
  const services = testServices({ readOnly: opts.readOnly });
  const core = consoleCore(services);
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const calls: string[] = [];
  const repo = poolRepo(services.db);
  const blank = services.db.prepare("SELECT id FROM templates WHERE name = 'Blank'").pluck().get() as string;
  const row = (id: string, name: string, size: number, prestarted = 0) => repo.insert({
    id, name, description: '', templateId: blank, templateVersion: 'latest', clusterId: null, size, prestarted, maxPerUser: 1, type: 'automatic', status: 'ready', creatorPid: null, createdAt: '2026-01-01T00:00:00Z',
  });
  // Two pools as rows; desks' VM is the test driver's running domain.
  row('p-desks', 'desks', 1);
  row('p-lab', 'lab', 3);
  const test = (await core.vms.list()).find((d) => d.name === 'test')!;
  repo.addVm({ vmUuid: test.uuid, vmName: 'test', poolId: 'p-desks' });
  const screen = createPoolsScreen({
    api: async (c) => ({
      ...(await defaultApi(c)),
      templates: async () => ['tiny'],
      // The stand-in VM creation: the rules are the real ones; the row is written as a made pool is.
      async create(input) {
        const v = validatePool(input, repo.names());
        if (!v.ok) throw new InvalidInputError(v.errors);
        calls.push(`create ${input.name} of ${input.template} size ${input.size} prestarted ${input.prestarted} ${input.type}`);
        row(`p-${input.name}`, input.name, input.size, input.prestarted);
        return c.pools.show(input.name);
      },
    }),
  });
  const ui = renderTui(<App core={core} stores={stores} screens={[screen]} initialTheme="dark" readOnly={Boolean(opts.readOnly)} mode={() => 'standalone'} />, { columns: 110, rows: 32 });
  return { ui, calls, repo, services, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

describe('Pools screen (real use cases and state DB on the test driver; VM creation is a stand-in)', () => {
  let env: Awaited<ReturnType<typeof mount>> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it('lists, filters and sorts the pools; takes a VM for a user and returns it after confirmation', async () => {
    env = await mount();
    await env.ui.waitFor(/desks\s+Blank \(latest\)\s+-\s+automatic\s+1\s+0\s+1\s+0/, 15_000);
    assert.match(env.ui.frame(), /2 pools · sort name/);
    await env.ui.press('2');
    await env.ui.waitFor((s) => /sort size/.test(s) && s.indexOf('lab ') < s.indexOf('desks '));
    await env.ui.press('/');
    await env.ui.type('desk');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor((s) => /1 of 2 pools/.test(s) && !/lab\s+Blank/.test(s));
    // Take: a form with the user; bad input marked on its field, nothing changed.
    await env.ui.press('t');
    await env.ui.waitFor('Take a VM of pool desks for a user');
    await env.ui.press(KEYS.enter);
    await env.ui.type('-rf');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/User\s+-rf\s+user: must be 1 to 64 letters/);
    assert.equal(env.repo.vmByName('test')?.user, null);
    await env.ui.press(KEYS.enter);
    for (let i = 0; i < '-rf'.length; i++) await env.ui.press(KEYS.backspace);
    await env.ui.type('alice');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/desks\s+Blank \(latest\)\s+-\s+automatic\s+1\s+0\s+1\s+1/);
    assert.equal(env.repo.vmByName('test')?.user, 'alice');
    // Its VMs; b returns the selected one after confirmation.
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/test\s+running\s+alice/);
    await env.ui.press('b');
    await env.ui.waitFor('Return test to pool desks (from alice)?');
    await env.ui.press('y');
    await env.ui.waitFor(/test\s+shutoff\s+free/);
    assert.equal(env.repo.vmByName('test')?.user, null);
    assert.equal(env.services.events.list({ text: 'Return VM test to pool desks (from user alice)' })[0]?.result, 'success');
  });

  it('creates a pool through keys: bad input is marked on its field and makes nothing; good input makes it', async () => {
    env = await mount();
    await env.ui.waitFor('desks', 15_000);
    await env.ui.press('c');
    await env.ui.waitFor('Create a VM pool');
    await env.ui.press(KEYS.enter);
    await env.ui.type('bad name');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/Name\s+bad name\s+name: may contain only letters/);
    await env.ui.waitFor(/Size\s+VMs, at least 1\s+size: must be a whole number from 1 to 200/);
    assert.deepEqual(env.calls, []);
    await env.ui.press(KEYS.enter);
    for (let i = 0; i < 'bad name'.length; i++) await env.ui.press(KEYS.backspace);
    await env.ui.type('class');
    await env.ui.press(KEYS.enter);
    for (let i = 0; i < 4; i++) await env.ui.press(KEYS.down);
    await env.ui.waitFor(/› Size/);
    await env.ui.press(KEYS.enter);
    await env.ui.type('4');
    await env.ui.press(KEYS.enter);
    await env.ui.press(KEYS.down);
    await env.ui.press(KEYS.enter);
    await env.ui.press(KEYS.backspace);
    await env.ui.type('5');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/Prestarted\s+5\s+prestarted: must be at most the size \(4\)/);
    assert.deepEqual(env.calls, []);
    await env.ui.press(KEYS.enter);
    await env.ui.press(KEYS.backspace);
    await env.ui.type('1');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/class\s+Blank \(latest\)\s+-\s+automatic\s+4\s+1/);
    assert.deepEqual(env.calls, ['create class of tiny size 4 prestarted 1 automatic']);
  });

  it('read-only mode offers no change', async () => {
    env = await mount({ readOnly: true });
    await env.ui.waitFor('desks', 15_000);
    for (const k of ['c', 't', '+', '-', 'x']) await env.ui.press(k);
    const f = await env.ui.waitFor('desks');
    assert.doesNotMatch(f, /Create a VM pool|Take a VM|Remove pool/);
    assert.deepEqual(env.calls, []);
    assert.deepEqual(env.repo.all().map((p) => [p.name, p.size]), [['desks', 1], ['lab', 3]]);
    assert.equal(env.repo.vmByName('test')?.user, null);
  });
});
