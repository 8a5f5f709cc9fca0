// The new VM wizard's cluster and vNIC profile choices, in the shell over the
// real core (state DB in SQLite, libvirt's test driver): a cluster and a
// profile of a network attached to it are picked with keys; the summary shows
// both, the core gets the VM input with that cluster, the profile NIC and the
// CPU left to the cluster (the test driver keeps no <cpu>: the integration
// tier checks the model), and the VM is defined on the network's bridge. A
// profile whose network is not in the cluster picked is refused with the
// NIC's rule and nothing reaches the core.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import type { VmCreateInput } from '../../src/domain/vm-create.ts';
import { vmLifecycleScreens } from '../../screens/vm-create/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { setTextIn } from '../lib/ink-form.ts';
import { consoleCore, testServices } from '../lib/services.ts';

type Ui = ReturnType<typeof renderTui>;

/** The label of the focused field (› marks it). */
const focusedLabel = (f: string) => /^\s*›\s+(\S.*?)\s{2,}/m.exec(f)?.[1];

/** Move down, one key at a time, until `label` has the focus. */
async function focus(ui: Ui, label: string) {
  for (let i = 0; i < 20 && focusedLabel(ui.frame()) !== label; i++) {
    const was = focusedLabel(ui.frame());
    await ui.press(KEYS.down);
    await ui.waitFor((f) => focusedLabel(f) !== was);
  }
  await ui.waitFor((f) => focusedLabel(f) === label);
}

/** Focus `label`, then Right until it shows `value`. */
async function choose(ui: Ui, label: string, value: string) {
  await focus(ui, label);
  const shown = (f: string) => /‹ (.*?) ›/.exec(f.split('\n').find((l) => new RegExp(`›\\s+${label}`).test(l)) ?? '')?.[1];
  for (let i = 0; i < 20 && shown(ui.frame()) !== value; i++) {
    const was = shown(ui.frame());
    await ui.press(KEYS.right);
    await ui.waitFor((f) => shown(f) !== was);
  }
  await ui.waitFor((f) => shown(f) === value);
}

async function setName(ui: Ui, name: string) {
  await ui.waitFor((f) => f.includes('New virtual machine') && !f.includes('Reading pools'), 15_000);
  await setTextIn(ui, name);
}

describe('new VM wizard: cluster and vNIC profile (real core, libvirt test driver)', () => {
  const services = testServices();
  const core = consoleCore(services);
  const reached: VmCreateInput[] = [];
  const create = core.vms.create;
  core.vms.create = (input, opts) => { reached.push(input); return create(input, opts); };
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const wizard = vmLifecycleScreens.find((s) => s.id === 'vm-create')!;
  let ui: Ui;
  before(async () => {
    await core.manager.clusters.create({ name: 'lab', dataCenter: 'Default', cpuType: 'host-passthrough' });
    await core.logicalNetworks.create({ name: 'labnet', dataCenter: 'Default', vmNetwork: true });
    await core.logicalNetworks.attach('labnet', 'lab', { roles: 'vm' });
  });
  after(async () => { ui?.unmount(); stores.stop(); await services.cleanup(); });

  const mount = () => {
    ui?.unmount();
    ui = renderTui(<App core={core} stores={stores} screens={[wizard]} initialTheme="dark" readOnly={false} mode={() => 'standalone'} />, { columns: 110, rows: 34 });
  };

  /** Name, the cluster, no disk, a NIC on `profile`, network boot: up to the summary. */
  async function fillIn(name: string, cluster: string, profile: string) {
    await setName(ui, name);
    await ui.waitFor(/CPU type host-model/); // Default's, under the field
    await choose(ui, 'Cluster', cluster);
    let f = await ui.waitFor(`CPU type ${cluster === 'lab' ? 'host-passthrough' : 'host-model'}`);
    assert.match(f, new RegExp(`› Cluster\\s+‹ ${cluster} ›`));
    await ui.press(']');
    await choose(ui, 'Disk', 'none');
    await ui.press(']');
    await ui.waitFor('No NIC: a adds one');
    await ui.press('a');
    await choose(ui, 'NIC 1', 'vNIC profile');
    await choose(ui, 'attach to', profile);
    await ui.press(']');
    await choose(ui, 'Boot from', 'network');
    f = await focus(ui, 'CPU').then(() => ui.frame());
    assert.match(f, /CPU\s+‹ cluster's ›/);
    assert.match(f, new RegExp(`cluster ${cluster}'s CPU type: ${cluster === 'lab' ? 'host-passthrough' : 'host-model'}`));
  }

  it('picks a cluster and a profile of its network with keys; the core gets both and the VM is on its bridge, in the cluster', async () => {
    mount();
    await fillIn('web-lab', 'lab', 'labnet/labnet');
    await ui.press(']', ']');
    const f = await ui.waitFor('Ready: Enter (or c) creates it.');
    assert.match(f, /cluster\s+lab/);
    assert.match(f, /NIC 1\s+vNIC profile labnet\/labnet, virtio/);
    assert.match(f, /firmware \/ CPU\s+BIOS \/ host-passthrough/);
    await ui.press('s');
    await ui.waitFor('Start after create: no');
    await ui.press('c');
    for (let i = 0; i < 100 && !(await services.virt.domainList()).some((d) => d.name === 'web-lab'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(reached.length, 1, ui.frame());
    const input = reached[0]!;
    assert.equal(input.cluster, 'lab');
    assert.equal(input.cpu, undefined, 'the CPU is left to the cluster');
    assert.deepEqual(input.nics, [{ kind: 'profile', source: 'labnet/labnet', model: 'virtio', mac: undefined }]);
    const xml = await services.virt.domainGetXml('web-lab', { inactive: true });
    assert.match(xml, /<source bridge=['"]labnet['"]/);
    assert.deepEqual((await core.manager.clusters.get('lab')).vms, ['web-lab']);
  });

  it('a profile whose network is not in the cluster is refused with the NIC\'s rule and nothing is created', async () => {
    mount();
    await fillIn('web-moved', 'lab', 'labnet/labnet');
    // Back to Basics: the VM into Default, where labnet is not attached; the profile stays picked.
    await ui.press('[', '[', '[');
    await choose(ui, 'Cluster', 'Default');
    await ui.press(']', ']', ']', ']', ']');
    const f = await ui.waitFor(/✗ NIC 1 vNIC profile: network labnet is not attached to cluster Default/);
    assert.match(f, /cluster\s+Default/);
    await ui.press('c');
    await ui.waitFor(/Create and start: NIC 1 vNIC profile: network labnet is not attached to cluster Default/);
    assert.equal(reached.length, 1, 'nothing more reached the core');
    assert.ok(!(await services.virt.domainList()).some((d) => d.name === 'web-moved'));
  });
});
