// The Templates screen inside the real shell over the real template use
// cases and state DB (libvirt's test driver): the list, the filter, the
// details, removal refused for Blank. Making a template goes through a
// stand-in copy (the test driver's VMs have no disk images for qemu-img;
// the integration tier copies real ones): the form is driven by keys, bad
// input is marked on its field with nothing made, and read-only mode
// offers no change at all.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { InvalidInputError } from '../../src/domain/errors.ts';
import { templateInputProblems, type Template } from '../../src/domain/templates.ts';
import { templateRepo } from '../../src/manager/repos/templates.ts';
import { createTemplatesScreen } from '../../screens/templates/index.ts';
import { defaultApi } from '../../screens/templates/Templates.tsx';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

function mount(opts: { readOnly?: boolean } = {}) {
  const services = testServices({ readOnly: opts.readOnly });
  const core = consoleCore(services);
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const calls: string[] = [];
  const repo = templateRepo(services.db);
  const screen = createTemplatesScreen({
    api: async (c) => ({
      ...(await defaultApi(c)),
      sourceVms: async () => ['web1', 'db1'],
      domains: async () => ['local-data'],
      // The stand-in copy: the rules are the real ones; the row is written as the real copy leaves it.
      async create(input) {
        const problems = templateInputProblems(input, repo.names());
        if (problems.length) throw new InvalidInputError(problems);
        calls.push(`create ${input.name} from ${input.vm} on ${input.storageDomain} seal=${input.seal}`);
        const id = '22222222-0000-4000-8000-000000000001';
        const t: Template = {
          id, baseId: id, name: input.name!, version: 1, versionName: '', description: input.description ?? '', storageDomainId: null, sourceVm: input.vm,
          hardware: { vcpus: 2, memoryMiB: 512, machine: 'pc', osType: 'linux', boot: 'disk', graphics: 'none', nics: [] }, sealed: false, status: 'ready', creatorPid: null, createdAt: new Date().toISOString(), disks: [],
        };
        repo.insert(t);
        return t;
      },
    }),
  });
  const ui = renderTui(<App core={core} stores={stores} screens={[screen]} initialTheme="dark" readOnly={Boolean(opts.readOnly)} mode={() => 'standalone'} />, { columns: 110, rows: 32 });
  return { ui, calls, repo, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

describe('Templates screen (real use cases and state DB on the test driver; the disk copy is a stand-in)', () => {
  let env: ReturnType<typeof mount> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it('lists the Blank template; Blank cannot be removed; Enter shows its hardware', async () => {
    env = mount();
    const f = await env.ui.waitFor(/Blank\s+1\s+-\s+ready\s+1 vCPU 1024 MiB\s+none/, 15_000);
    assert.match(f, /1 template versions/);
    await env.ui.press('x');
    await env.ui.waitFor('the Blank template cannot be removed');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/hardware\s+1 vCPU, 1024 MiB, CPU host-model, BIOS, pc, linux/);
  });

  it('makes a template through keys: bad input is marked on its field and makes nothing; good input makes it', async () => {
    env = mount();
    await env.ui.waitFor('Blank', 15_000);
    await env.ui.press('c');
    await env.ui.waitFor('Make a template from a shut-off VM');
    await env.ui.waitFor(/From VM\s+web1/);
    await env.ui.press(KEYS.enter);
    await env.ui.type('bad name');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/Name\s+bad name\s+name: must contain only letters, digits/);
    assert.deepEqual(env.calls, []);
    assert.deepEqual(env.repo.names(), ['Blank']);
    // A fixed name, the second VM (space cycles), sealed.
    await env.ui.press(KEYS.enter);
    await env.ui.type('golden');
    await env.ui.press(KEYS.enter);
    await env.ui.press(KEYS.down);
    await env.ui.press(' ');
    await env.ui.waitFor(/From VM\s+db1/);
    await env.ui.press('s');
    await env.ui.waitFor(/golden\s+1\s+-\s+ready\s+2 vCPU 512 MiB/);
    assert.deepEqual(env.calls, ['create golden from db1 on local-data seal=false']);
    // The filter keeps only what matches.
    await env.ui.press('/');
    await env.ui.type('gold');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor((s) => /1 of 2 template versions/.test(s) && !/Blank\s+1/.test(s));
  });

  it('read-only mode offers no change', async () => {
    env = mount({ readOnly: true });
    await env.ui.waitFor('Blank', 15_000);
    await env.ui.press('c');
    await env.ui.press('x');
    const f = await env.ui.waitFor('Blank');
    assert.doesNotMatch(f, /Make a template from a shut-off VM/);
    assert.deepEqual(env.calls, []);
    assert.deepEqual(env.repo.names(), ['Blank']);
  });
});
