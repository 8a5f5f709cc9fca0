// The Network screen, its forms, the apply/confirm/rollback flow, the tools
// and the first-run wizard inside the real shell. The host is the test host
// recorded in test/fixtures/net (README there): the inventory comes from
// those real outputs through a replaying runner. Applying to a host cannot
// happen in a component test, so net-core's service is a stand-in built on
// net-core's real validation, model and diff (src/domain/net), named as
// such in each test that applies.
import assert from 'node:assert/strict';
import { consoleCore } from '../lib/services.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { App } from '../../src/app/App.tsx';
import { applyChanges, type NetChange, type NetConfig } from '../../src/domain/net/model.ts';
import { diffConfig } from '../../src/domain/net/diff.ts';
import { NetValidationError, validateChange } from '../../src/domain/net/validate.ts';
import { parseKernelState } from '../../src/host/net/read.ts';
import type { ApplyStepId, DiffLine, PendingApply, ProbeResult, StagingEvent } from '../../src/core/network.ts';
import { stageEmergencyReset } from '../../src/core/network-reset.ts';
import { progressOf } from '../../src/domain/net/apply-steps.ts';
import type { RunOptions, RunResult } from '../../src/exec/runner.ts';
import { createStores } from '../../src/store/host.ts';
import { EventLog } from '../../src/manager/events.ts';
import { createCore } from '../../src/core/index.ts';
import type { NetService } from '../../src/store/net.ts';
import { createNetworkScreens } from '../../screens/network/index.ts';
import { netUseCases } from '../lib/net-core.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { testServices } from '../lib/services.ts';

const FIX = join(import.meta.dirname, '../fixtures/net');
const fx = (n: string) => readFileSync(join(FIX, n), 'utf8');

/** Replays the recorded outputs of the test host for the commands the inventory runs; records every call. */
function recordedRunner() {
  const calls: string[] = [];
  let linkJson = fx('ip-j-link.json');
  let addrJson = fx('ip-d-addr.json');
  let route6Json = fx('ip6-route-default.json');
  /** What the kernel reports once a NIC's cable is pulled (carrier lost), in both listings. */
  const pulled = (json: string, name: string) => {
    const links = JSON.parse(json) as { ifname: string; flags: string[]; operstate: string }[];
    const l = links.find((x) => x.ifname === name)!;
    l.flags = ['NO-CARRIER', ...l.flags.filter((x) => x !== 'LOWER_UP')];
    l.operstate = 'DOWN';
    return JSON.stringify(links);
  };
  const res = (command: string, args: readonly string[], stdout: string, exitCode = 0, stderr = ''): RunResult => ({ command, args: [...args], exitCode, stdout, stderr, timedOut: false, durationMs: 1 });
  const runner = {
    calls,
    pullCable(name: string) { linkJson = pulled(linkJson, name); addrJson = pulled(addrJson, name); },
    /** An IPv6 default route through a link-local router, as router advertisements set it. */
    addGateway6(gateway: string, dev: string) { route6Json = JSON.stringify([{ dst: 'default', gateway, dev, protocol: 'ra', flags: [] }]); },
    async run(command: string, args: readonly string[] = [], _opts?: RunOptions): Promise<RunResult> {
      const line = [command, ...args].join(' ');
      calls.push(line);
      if (line === 'ip -j -d addr show') return res(command, args, addrJson);
      if (line === 'ip -j route show default') return res(command, args, fx('ip-route-default.json'));
      if (line === 'ip -j -6 route show default') return res(command, args, route6Json);
      if (line === 'lldpcli -f json show neighbors') return res(command, args, fx('lldpcli-neighbors.json'));
      if (command === 'grep') return res(command, args, fx('grep-sysfs.txt'), 2);
      if (line === 'ip -j link show') return res(command, args, linkJson);
      if (command === 'ethtool') return res(command, args, '', 255, fx('ethtool-identify-eth0.stderr.txt').split('\n')[0]!);
      if (command === 'ping') return res(command, args, `PING ${args.at(-1)}\n2 packets transmitted, 2 received, 0% packet loss, time 301ms\nrtt min/avg/max/mdev = 0.210/0.250/0.290/0.040 ms\n`);
      if (command === 'getent') return res(command, args, '', 2);
      if (command === 'busybox' && args[0] === 'nslookup') return res(command, args, `Server:\t\t${args[2]}\nAddress:\t${args[2]}:53\n\nName:\t${args[1]}\nAddress: 127.0.0.1\n`);
      return res(command, args, '', 127, `${command}: not recorded`);
    },
  };
  return runner;
}

/** The core's network use cases with a stand-in for what touches the host: real validation, model and diff; applying only records what would be applied. */
function serviceStandin(host: NetService, opts: { pendingFor?: number; failApply?: string } = {}) {
  const current: NetConfig = parseKernelState(fx('ip-d-addr.json'), fx('ip-route-default.json'), fx('ip6-route-default.json'), 'node1', fx('grep-sysfs.txt').split('\n').filter((l) => l.startsWith('/etc/resolv.conf:')).map((l) => l.slice(17)).join('\n'));
  let staged: NetChange[] = [];
  const log: string[] = [];
  // As the core does: what a rollback undid is staged again for another try.
  let applied: NetChange[] = [];
  const pendingOf = (deadline: number, who: string, diff: DiffLine[], probes: ProbeResult[]) =>
    ({ id: `apply-${deadline}`, status: 'waiting', deadline: new Date(deadline).toISOString(), who, diff, probes }) as unknown as PendingApply;
  // An apply another session started and left waiting (hostdeck net apply in an SSH session).
  let pending: PendingApply | undefined = opts.pendingFor ? pendingOf(Date.now() + opts.pendingFor * 1000, 'root@ssh', [{ kind: '~', object: 'hostname', text: 'host name node1 -> node9' }], []) : undefined;
  let settle: ((status: 'confirmed' | 'rolled-back') => void) | undefined;
  const notes: StagingEvent[] = [];
  const diff = () => diffConfig(current, applyChanges(current, staged));
  const svc: NetService & { log: string[]; notes: StagingEvent[]; stagedNow: () => NetChange[] } = {
    ...host,
    log,
    notes,
    stagedNow: () => staged,
    backend: async () => 'networkmanager',
    current: async () => current,
    staged: () => staged,
    async stage(c) {
      const errs = validateChange(c, applyChanges(current, staged));
      if (errs.length) throw new NetValidationError(errs);
      staged = [...staged, c];
      log.push(`stage ${c.op}`);
      return staged;
    },
    async stageAll(changes, o = {}) {
      let cfg = applyChanges(current, o.replace ? [] : staged);
      for (const c of changes) {
        const errs = validateChange(c, cfg);
        if (errs.length) throw new NetValidationError(errs);
        cfg = applyChanges(cfg, [c]);
      }
      staged = [...(o.replace ? [] : staged), ...changes];
      if (o.event) notes.push(o.event);
      log.push(`stageAll${o.replace ? ' replace' : ''} ${changes.map((c) => c.op).join(' ')}`);
      return changes.length;
    },
    emergencyReset: (input) => stageEmergencyReset(svc, input),
    // As the core does: the count is the diff's lines.
    discard: async () => { const n = diff().length; staged = []; log.push('discard'); return n; },
    diff: async () => diff(),
    async apply({ confirmTimeoutS = 60, onProgress } = {}) {
      if (pending) throw new Error('another apply is pending');
      for (const [step, detail] of [['validate'], ['probes-before'], ['checkpoint'], ['apply'], ['apply', 'bond0.10'], ['verify'], ['probes-after']] as [ApplyStepId, string?][]) {
        onProgress?.(progressOf(step, detail));
        if (detail && opts.failApply) {
          log.push('apply failed, rolled back');
          throw new Error(opts.failApply);
        }
      }
      pending = pendingOf(Date.now() + confirmTimeoutS * 1000, 'tester', diff(), [{ name: 'gateway', target: '192.168.81.1', ok: true, detail: 'reply' }]);
      applied = staged;
      staged = [];
      log.push(`apply ${confirmTimeoutS}`);
      return { id: pending.id, backend: 'networkmanager', diff: pending.diff, probes: pending.probes, verifyTries: 1, deadline: pending.deadline, status: 'waiting' };
    },
    waitForOutcome(id) {
      const p = pending!;
      return new Promise((resolve) => {
        const done = (status: 'confirmed' | 'rolled-back') => { clearTimeout(timer); settle = undefined; resolve({ id, backend: 'networkmanager', diff: p.diff, probes: p.probes, verifyTries: 1, deadline: p.deadline, status }); };
        // As the core does: this session rolls back at the deadline unless confirmed.
        const timer = setTimeout(() => { pending = undefined; done('rolled-back'); }, Date.parse(p.deadline) - Date.now());
        timer.unref();
        settle = done;
      });
    },
    async confirm() { const p = pending!; pending = undefined; log.push('confirm'); settle?.('confirmed'); return p; },
    async rollback(reason) { const p = pending!; pending = undefined; staged = applied; log.push(`rollback ${reason}`); settle?.('rolled-back'); return p; },
    pending: async () => (pending && Date.parse(pending.deadline) > Date.now() ? pending : (pending = undefined)),
  };
  return svc;
}

function mount(opts: { readOnly?: boolean; confirmTimeoutS?: number; columns?: number; rows?: number; pollMs?: number; pendingFor?: number; failApply?: string } = {}) {
  const services = testServices({ readOnly: opts.readOnly });
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const runner = recordedRunner();
  const service = serviceStandin(netUseCases({ db: services.db, events: services.events, runner, watchdogCommand: null, stateDir: '/nonexistent' }), { pendingFor: opts.pendingFor, failApply: opts.failApply });
  const { screens, store } = createNetworkScreens({ net: service, confirmTimeoutS: () => opts.confirmTimeoutS ?? 60, pollMs: opts.pollMs ?? 60_000, slowPollMs: 60_000 });
  const ui = renderTui(
    <App core={consoleCore(services)} stores={stores} screens={screens} initialTheme="dark" readOnly={Boolean(opts.readOnly)} mode={() => 'standalone'} />,
    { columns: opts.columns ?? 110, rows: opts.rows ?? 34 },
  );
  return { ui, runner, service, services, async close() { ui.unmount(); store.stop(); stores.stop(); await services.cleanup(); } };
}

/** Go to the field with this label (from the top) and type a value into it. */
async function fill(ui: ReturnType<typeof renderTui>, label: string, value: string, clear = true) {
  for (let i = 0; i < 14; i++) await ui.press(KEYS.up);
  for (let i = 0; i < 14 && !new RegExp(`› ${label}`).test(ui.frame()); i++) await ui.press(KEYS.down);
  await ui.waitFor(`› ${label}`);
  await ui.press(KEYS.enter);
  if (clear) await ui.press('\x15'); // ctrl+u clears the field
  await ui.type(value);
  await ui.press(KEYS.enter);
}

/** The rows of the pick list under the field with this label, as shown (`[x] eth3`, the cursor's row marked `›`). */
function pickRows(frame: string, label: string): string[] {
  const lines = frame.split('\n');
  const at = lines.findIndex((l) => new RegExp(`(›|\\s) ${label}\\b`).test(l));
  const rows: string[] = [];
  for (const l of lines.slice(at + 1)) {
    const m = /^\s*(› )?\s*(\[[x ]\] .*?)\s*$/.exec(l);
    if (!m) break;
    rows.push(`${m[1] ?? ''}${m[2]}`);
  }
  return rows;
}

/** Tick (or clear) these rows of the pick list under the field with this label: ↓ to each row, Space. */
async function tick(ui: ReturnType<typeof renderTui>, label: string, ...names: string[]) {
  for (const name of names) {
    for (let i = 0; i < 14; i++) await ui.press(KEYS.up);
    for (let i = 0; i < 24 && !new RegExp(`› \\[[x ]\\] ${name}\\b`).test(ui.frame()); i++) await ui.press(KEYS.down);
    const before = await ui.waitFor(new RegExp(`› \\[[x ]\\] ${name}\\b`));
    assert.match(before, new RegExp(`› ${label}`), `the row ${name} is under ${label}`);
    const was = new RegExp(`› \\[x\\] ${name}\\b`).test(before);
    await ui.press(' ');
    await ui.waitFor(new RegExp(`› \\[${was ? ' ' : 'x'}\\] ${name}\\b`));
  }
}

/** Stage a new host name from the Network screen and start applying it (the apply screen's Enter). */
async function stageHostnameAndApply(ui: ReturnType<typeof renderTui>, name: string) {
  await ui.press('H');
  await fill(ui, 'Host name', name);
  await ui.press('s');
  await ui.waitFor(/1 staged change/);
  await ui.press('A');
  await ui.press(KEYS.enter);
}

describe('Network screen (inventory recorded on a test host)', () => {
  let env: ReturnType<typeof mount> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it('lists NICs, the bond, the VLAN and the bridge with link, addresses and LLDP, the backend, and the selected interface in detail', async () => {
    env = mount();
    const f = await env.ui.waitFor('switch1');
    assert.match(f, /backend NetworkManager/);
    assert.match(f, /eth0\s+nic\s+up\s+-\s+1500\s+192\.168\.81\.10\/24/);
    assert.match(f, /eth1\s+nic\s+up\s+-\s+1500\s+bond0/);
    assert.match(f, /eth3\s+nic\s+down/);
    assert.match(f, /eth4\s+nic\s+up.*switch1 eth0/);
    assert.match(f, /bond0\s+bond\s+up\s+2\/2/);
    assert.match(f, /bond0\.10\s+vlan\s+up.*br10/);
    assert.match(f, /br10\s+bridge\s+up.*10\.10\.0\.10\/24/);
    assert.match(f, /gateway 192\.168\.81\.1 \(eth0\)/);
    // eth0 is selected: its detail pane.
    assert.match(f, /driver virtio_net · virtio virtio4/);
    for (let i = 0; i < 5; i++) await env.ui.press(KEYS.down);
    const b = await env.ui.waitFor('mode        active-backup');
    assert.match(b, /miimon 100/);
    assert.match(b, /eth1 up active · eth2 up backup · active eth1/);
  });

  it('a change staged from the CLI in another shell shows without a key, counted as its diff lines; discard says the same count (stand-in staging, the CLI event written by its own event log)', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    await env.ui.waitFor('Nothing staged');
    // The CLI in another shell: two changes to the host name (one diff line), its event from its own process's log.
    const cli = new EventLog(env.services.db, { user: 'root', channel: 'cli' });
    await env.service.stage({ op: 'hostname.set', hostname: 'node7' });
    await env.service.stage({ op: 'hostname.set', hostname: 'node8' });
    cli.record({ source: 'network', objectType: 'network', objectId: 'host', message: 'Staged: set the host name to node8' });
    const f = await env.ui.waitFor(/host name node1 -> node8/);
    assert.match(f, /1 staged change ·/);
    await env.ui.press('X');
    await env.ui.waitFor(/Discard 1 staged change\?/);
    await env.ui.press('y');
    await env.ui.waitFor(/Discarded 1 staged change\b/);
    await env.ui.waitFor('Nothing staged');
  });

  it('staged bonds, VLANs and bridges are pending rows of the table (signed +, a staged removal signed -, readable under NO_COLOR), following a change staged from the CLI without a key; a pending bond shows what it will be, and deleting a pending VLAN takes its row away', async () => {
    process.env.NO_COLOR = '1';
    try {
      env = mount();
      await env.ui.waitFor('switch1');
      // The CLI in another shell stages a bond, a VLAN on it and the bridge's removal; its event comes from its own process's log.
      await env.service.stage({ op: 'bond.create', name: 'bond1', ports: ['eth3', 'eth4'], options: { mode: '802.3ad', miimon: 100 } });
      await env.service.stage({ op: 'vlan.create', parent: 'bond1', id: 20 });
      await env.service.stage({ op: 'bridge.delete', name: 'br10' });
      new EventLog(env.services.db, { user: 'root', channel: 'cli' }).record({ source: 'network', objectType: 'network', objectId: 'host', message: 'Staged: create bond bond1' });
      const f = await env.ui.waitFor(/\+ bond1\s+bond\b/);
      const rows = f.split('\n').filter((l) => /^\s*(▶ )?\s*[+-]? ?(eth\d|bond|br)\S*\s+(nic|bond|vlan|bridge)\b/.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 3).join(' '));
      // Each pending row after the last of its kind; the removed bridge keeps its row, signed.
      assert.deepEqual(rows.map((r) => r.replace(/^▶ /, '')).slice(5, 10), ['bond0 bond up', '+ bond1 bond', 'bond0.10 vlan up', '+ bond1.20 vlan', '- br10 bridge']);
      assert.match(f, /\+ bond1\s+bond\s.*\+ staged/);
      assert.match(f, /\+ bond1\.20\s+vlan\s+↑bond1\s.*\+ staged/);
      assert.match(f, /- br10\s+bridge\s+up\s.*- staged/);
      // The staged pane below keeps its heading whole over more diff lines than it has rows for.
      assert.match(f, /\d staged changes · A apply · X discard · D show the diff/);
      assert.match(f, /… \d+ more lines \(D shows all\)/);
      // The pending bond in detail: what it will be once applied.
      for (let i = 0; i < 14 && !/▶ \+ bond1 /.test(env.ui.frame()); i++) await env.ui.press(KEYS.down);
      const d = await env.ui.waitFor(/\+ bond1 · bond · staged: created when applied/);
      assert.match(d, /mode\s+802\.3ad · miimon 100/);
      assert.match(d, /ports\s+eth3, eth4/);
      // Deleting the pending VLAN: the staged set no longer creates it, and its row goes.
      await env.ui.press(KEYS.down);
      await env.ui.press(KEYS.down);
      await env.ui.waitFor(/▶ \+ bond1\.20/);
      await env.ui.press('\x04');
      await env.ui.waitFor(/Stage deleting vlan bond1\.20\?/);
      await env.ui.press('y');
      await env.ui.waitFor((fr) => !/bond1\.20\s+vlan/.test(fr));
      // On the removed bridge, the keys that would change it say why not.
      for (let i = 0; i < 14 && !/▶ - br10 /.test(env.ui.frame()); i++) await env.ui.press(KEYS.down);
      await env.ui.press('e');
      await env.ui.waitFor(/br10 is staged for removal/);
    } finally {
      delete process.env.NO_COLOR;
    }
  });

  it('identify on a virtio NIC says the driver does not support it', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    await env.ui.press('I');
    await env.ui.waitFor(/identify is not supported by driver virtio_net/);
    assert.ok(!env.runner.calls.some((c) => c.startsWith('ethtool')), 'ethtool is not run for a driver known to have no LED');
  });

  it('a pulled cable shows as link down without a refresh key (live link watching)', async () => {
    env = mount({ pollMs: 100 });
    await env.ui.waitFor(/eth0\s+nic\s+up/);
    env.runner.pullCable('eth0');
    await env.ui.waitFor(/eth0\s+nic\s+down/);
    assert.ok(env.runner.calls.filter((c) => c === 'ip -j link show').length >= 2, 'the link state came from watching ip link');
  });

  it('a bond form picks its ports from a checkbox list of the NICs that can be ports (not another bond\'s, the management NIC marked), under NO_COLOR too; bad input names the field and the rule and stages nothing', async () => {
    process.env.NO_COLOR = '1';
    try {
      env = mount();
      await env.ui.waitFor('switch1');
      await env.ui.press('b');
      const form = await env.ui.waitFor('New bond');
      // eth1 and eth2 are bond0's ports; bond0, its VLAN and the bridge are not NICs: only eth0, eth3 and eth4 are offered.
      assert.deepEqual(pickRows(form, 'Ports').map((r) => r.replace(/\s{2,}.*/, '')), ['[ ] eth0', '[ ] eth3', '[ ] eth4']);
      assert.match(form, /\[ \] eth0\s+⚠ management: 192\.168\.81\.10\/24 is lost/);
      await fill(env.ui, 'Bond name', 'bad:name');
      await env.ui.press('s');
      const f = await env.ui.waitFor(/name: .*(:|character)/);
      assert.match(f, /ports: at least one port is required/);
      assert.match(f, /Not staged: 2 fields need attention/);
      assert.equal(env.service.stagedNow().length, 0);
      // lacp_rate only exists in 802.3ad: the field shows once the mode is 802.3ad.
      assert.doesNotMatch(f, /lacp_rate/);
      await fill(env.ui, 'Bond name', 'bond1');
      await tick(env.ui, 'Ports', 'eth3', 'eth4', 'eth0', 'eth0');
      const ticked = env.ui.frame();
      // eth0 was ticked and cleared again (the cursor stays on it).
      assert.deepEqual(pickRows(ticked, 'Ports').map((r) => r.replace(/\s{2,}.*/, '')), ['› [ ] eth0', '[x] eth3', '[x] eth4']);
      assert.match(ticked, /Ports\s+eth3, eth4/);
      assert.doesNotMatch(ticked, /\[x\] eth0/);
      for (let i = 0; i < 14 && !/› Mode/.test(env.ui.frame()); i++) await env.ui.press(KEYS.down);
      for (let i = 0; i < 3; i++) await env.ui.press(KEYS.right);
      await env.ui.waitFor('‹ 802.3ad ›');
      await env.ui.waitFor('lacp_rate');
      await env.ui.press('s');
      await env.ui.waitFor(/Staged: create bond bond1 \(802\.3ad\) over eth3, eth4/);
      await env.ui.waitFor(/3 staged changes · /);
      assert.deepEqual(env.service.log, ['stage bond.create']);
    } finally {
      delete process.env.NO_COLOR;
    }
  });

  it('a bond form warns, as net bond create does, when the bond has no link monitoring: under the form as miimon is set to 0, and in the notice once staged', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    await env.ui.press('b');
    await env.ui.waitFor('New bond');
    assert.doesNotMatch(env.ui.frame(), /no link monitoring/, 'miimon 100 by default');
    await fill(env.ui, 'miimon', '0');
    await waitFlat(env.ui, /⚠ warning: bond … has no link monitoring \(miimon and arp_interval are 0 or unset\)/);
    await fill(env.ui, 'Bond name', 'bond1');
    await tick(env.ui, 'Ports', 'eth3');
    await waitFlat(env.ui, /⚠ warning: bond bond1 has no link monitoring/);
    await env.ui.press('s');
    await waitFlat(env.ui, /Staged: create bond bond1 \(active-backup\) over eth3 \(A applies\); warning: bond bond1 has no link monitoring/);
    assert.deepEqual(env.service.log, ['stage bond.create']);
  });

  it('a bridge form offers NICs, free bonds and VLANs as ports: not bond0 (it carries a VLAN) nor bond0.10 (br10\'s port); an empty pick is a bridge without ports', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    await env.ui.press('n');
    const form = await env.ui.waitFor('New bridge');
    assert.deepEqual(pickRows(form, 'Ports').map((r) => r.replace(/\s{2,}.*/, '')), ['[ ] eth0', '[ ] eth3', '[ ] eth4']);
    await fill(env.ui, 'Bridge name', 'br20');
    await tick(env.ui, 'Ports', 'eth4');
    await env.ui.press('s');
    await env.ui.waitFor(/Staged: create bridge br20/);
    assert.deepEqual(env.service.stagedNow(), [{ op: 'bridge.create', name: 'br20', ports: ['eth4'], stp: false }]);
  });

  it('IP form: a gateway outside the subnet is refused on the gateway field; a VLAN id out of range on the id field', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    await env.ui.press('i');
    await env.ui.waitFor('IP settings: eth0');
    await fill(env.ui, 'Addresses', '192.168.81.10/24');
    await fill(env.ui, 'Gateway', '10.0.0.1');
    await env.ui.press('s');
    await env.ui.waitFor(/gateway: 10\.0\.0\.1 is not inside the subnet of 192\.168\.81\.10\/24/);
    assert.equal(env.service.stagedNow().length, 0);
    await env.ui.press(KEYS.escape);
    await env.ui.waitFor('switch1');
    await env.ui.press('v');
    await env.ui.waitFor('New VLAN: eth0');
    await fill(env.ui, 'VLAN id', '5000');
    await env.ui.press('s');
    await env.ui.waitFor(/id: VLAN id must be a whole number 1-4094/);
    assert.equal(env.service.stagedNow().length, 0);
  });

  it('forms refuse a bond not named bond…, a gateway that is the broadcast address and a host name with a trailing dot, on their fields', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    await env.ui.press('b');
    await env.ui.waitFor('New bond');
    await fill(env.ui, 'Bond name', 'mybond');
    await tick(env.ui, 'Ports', 'eth3', 'eth4');
    await env.ui.press('s');
    await env.ui.waitFor(/name: a bond name must be 'bond' followed by one or more letters, digits or '_'/);
    await env.ui.press(KEYS.escape);
    await env.ui.waitFor('switch1');
    await env.ui.press('i');
    await env.ui.waitFor('IP settings: eth0');
    await fill(env.ui, 'Addresses', '192.168.81.10/24');
    await fill(env.ui, 'Gateway', '192.168.81.255');
    await env.ui.press('s');
    await env.ui.waitFor(/gateway: 192\.168\.81\.255 is the broadcast address of the subnet of 192\.168\.81\.10\/24/);
    await env.ui.press(KEYS.escape);
    await env.ui.waitFor('switch1');
    await env.ui.press('H');
    await fill(env.ui, 'Host name', 'node1.lab.');
    await env.ui.press('s');
    await env.ui.waitFor(/hostname: must not end with '\.' \(a host name is not an absolute DNS name\): give "node1\.lab"/);
    assert.equal(env.service.stagedNow().length, 0);
    assert.deepEqual(env.service.log, []);
  });

  it('read-only mode drops the changing keys but keeps the view', async () => {
    env = mount({ readOnly: true });
    await env.ui.waitFor('switch1');
    await env.ui.press('b');
    await new Promise((r) => setTimeout(r, 100));
    assert.doesNotMatch(env.ui.frame(), /Network change/);
    assert.match(env.ui.frame(), /New bond: not available in read-only mode/);
    await env.ui.press('?');
    const help = (await env.ui.waitFor('Help: Network')).split('╰')[0]!;
    // Listed with the reason they cannot run, not hidden.
    assert.match(help, /New bond \(unavailable: [^)]*read-only/);
    assert.match(help, /Tools \(test, reset\)/);
  });

  it('apply with the service stand-in: steps with progress, "keep this configuration?" counting down, Keep confirms', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    await env.ui.press('d');
    await env.ui.waitFor('DNS');
    await fill(env.ui, 'Servers', '192.168.81.1 9.9.9.9');
    await env.ui.press('s');
    await env.ui.waitFor(/1 staged change/);
    await env.ui.press('D');
    await env.ui.waitFor(/~ DNS 192\.168\.81\.1, 2001:db8::53 .*-> 192\.168\.81\.1, 9\.9\.9\.9/);
    await env.ui.press('A');
    await env.ui.waitFor('Apply the staged network changes');
    await env.ui.press(KEYS.enter);
    const q = await env.ui.waitFor(/Keep this configuration\? Rolling back in (59|60) s/);
    assert.match(q, /✓ Take a checkpoint of the current configuration/);
    assert.match(q, /✓ Verify the host shows the change/);
    assert.match(q, /✓ gateway 192\.168\.81\.1/);
    await env.ui.waitFor(/Rolling back in 5[0-8] s/, 4000);
    await env.ui.press('y');
    await env.ui.waitFor('Confirmed: the new configuration is kept.');
    assert.deepEqual(env.service.log, ['stage dns.set', 'apply 60', 'confirm']);
  });

  it('apply with the service stand-in: Rollback restores, and a countdown that runs out says it rolled back', async () => {
    env = mount({ confirmTimeoutS: 2 });
    await env.ui.waitFor('switch1');
    await stageHostnameAndApply(env.ui, 'node2');
    await env.ui.waitFor(/Keep this configuration\? Rolling back in [12] s/);
    await env.ui.waitFor('Not confirmed within 2 s: the previous configuration is back.', 5000);
    await env.ui.press(KEYS.escape);
    await stageHostnameAndApply(env.ui, 'node3');
    await env.ui.waitFor(/Keep this configuration\?/);
    await env.ui.press('R');
    await env.ui.waitFor('Rolled back: the previous configuration is back.');
    // The change is staged again: Enter applies it once more.
    await env.ui.waitFor('The changes are staged again');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/Keep this configuration\? Rolling back in [12] s/);
    assert.deepEqual(env.service.log, ['stage hostname.set', 'apply 2', 'stage hostname.set', 'apply 2', 'rollback rolled back by the operator', 'apply 2']);
  });
});

describe('an apply pending from another session', () => {
  let env: ReturnType<typeof mount> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it('with the service stand-in: the Network screen says so with the countdown, refuses new changes, and A opens the question to keep it', async () => {
    env = mount({ pendingFor: 40 });
    const f = await env.ui.waitFor(/An apply is waiting for confirmation \(root@ssh\): rolling back in (39|40) s/);
    assert.match(f, /A Confirm or roll back/);
    await env.ui.press('b');
    await env.ui.waitFor(/New bond: an apply is waiting for confirmation/);
    await env.ui.press('A');
    const q = await env.ui.waitFor(/Keep this configuration\? Rolling back in 3\d s/);
    assert.match(q, /~ host name node1 -> node9/);
    await env.ui.press('y');
    await env.ui.waitFor('Confirmed: the new configuration is kept.');
    assert.deepEqual(env.service.log, ['confirm']);
  });
});

describe('an apply that fails', () => {
  let env: ReturnType<typeof mount> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it('with the service stand-in: the failing step is marked with the reason, no countdown, and the operator is told', async () => {
    // The message is the one net-core's iproute2 backend gave on a real test host (a VLAN on a NIC that was down).
    env = mount({ failApply: 'apply failed: ip exited with code 2: RTNETLINK answers: Network is down; the previous configuration is back' });
    await env.ui.waitFor('switch1');
    await stageHostnameAndApply(env.ui, 'node2');
    const f = await env.ui.waitFor(/✗ Apply\s+apply failed: ip exited with code 2: RTNETLINK answers: Network is down/);
    assert.match(f, /✓ Take a checkpoint/);
    assert.match(f, /· Wait for your confirmation/);
    assert.doesNotMatch(f, /Keep this configuration/);
    await env.ui.waitFor(/Not applied: apply failed/);
  });
});

/** Wait until the frame, read as one line (line breaks and dialog borders as spaces: a wrapped message reads whole), matches. */
async function waitFlat(ui: ReturnType<typeof renderTui>, re: RegExp): Promise<string> {
  const flat = (f: string) => f.replace(/[║│]/g, ' ').replace(/\s+/g, ' ');
  return flat(await ui.waitFor((f) => re.test(flat(f))));
}

describe('first-run wizard and tools (inventory recorded on a test host)', () => {
  let env: ReturnType<typeof mount> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it('wizard from the palette: each step refuses bad input on its field, the summary is the diff of the answers with nothing staged, apply stages and goes through the stand-in service', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    await env.ui.press(':');
    await env.ui.type('wizard');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor('Step 1 of 6: Management interface');
    await waitFlat(env.ui, /NICs: eth0 up .*eth3 down · eth4 up \(switch1 eth0\) · management now: eth0/);
    await env.ui.waitFor('‹ eth0 ›');
    await env.ui.press(KEYS.enter); // Use: nic -> bond
    await env.ui.waitFor('‹ bond ›');
    // The bond's ports are a checkbox list of the NICs that can be ports (bond0's eth1 and eth2 are not), the first two ticked.
    const mgmtStep = await env.ui.waitFor('[x] eth0');
    assert.deepEqual(pickRows(mgmtStep, 'Bond ports').map((r) => r.replace(/\s{2,}.*/, '')), ['[x] eth0', '[x] eth3', '[ ] eth4']);
    assert.match(mgmtStep, /\[x\] eth0\s+⚠ management: 192\.168\.81\.10\/24 moves to bond1/);
    await tick(env.ui, 'Bond ports', 'eth0', 'eth3');
    await env.ui.press('N');
    await env.ui.waitFor(/ports: at least one port is required/);
    assert.match(env.ui.frame(), /Step 1 of 6/);
    await tick(env.ui, 'Bond ports', 'eth3', 'eth4');
    await env.ui.press('N');
    await env.ui.waitFor('Step 2 of 6: VLAN');
    await fill(env.ui, 'VLAN id', '5000');
    await env.ui.press('N');
    await env.ui.waitFor(/id: VLAN id must be a whole number 1-4094/);
    await fill(env.ui, 'VLAN id', '20');
    await env.ui.press('N');
    // The new VLAN starts with the address the management interface has.
    await env.ui.waitFor('Step 3 of 6: IP address');
    await env.ui.waitFor('‹ static ›');
    await fill(env.ui, 'Address', '10.20.0.5/24');
    await fill(env.ui, 'Gateway', '10.9.9.9');
    await env.ui.press('N');
    await env.ui.waitFor(/gateway: 10\.9\.9\.9 is not inside the subnet/);
    await fill(env.ui, 'Gateway', '10.20.0.1');
    await env.ui.press('N');
    await env.ui.waitFor('Step 4 of 6: DNS');
    await env.ui.press('N');
    await env.ui.waitFor('Step 5 of 6: Host name');
    await fill(env.ui, 'Host name', 'node7.example.com');
    await env.ui.press('N');
    const sum = await waitFlat(env.ui, /Step 6 of 6: Summary and apply/);
    assert.match(sum, /create bond bond1 \(active-backup\) over eth3, eth4/);
    assert.match(sum, /create VLAN 20 on bond1 as bond1\.20/);
    assert.match(sum, /host name node1 -> node7\.example\.com/);
    // The default route moves off eth0: said so, and the eth0 line is marked.
    assert.match(sum, /This may disconnect you from the host: the default IPv4 gateway 192\.168\.81\.1 \(eth0\) changes to 10\.20\.0\.1 \(bond1\.20\)/);
    assert.match(sum, /~ ⚠ eth0: /);
    assert.deepEqual(env.service.stagedNow(), [], 'the summary stages nothing');
    await env.ui.press('A');
    await waitFlat(env.ui, /This may disconnect you from the host: the default IPv4 gateway .* Stage and apply anyway\?/);
    await env.ui.press('y');
    await env.ui.waitFor(/Keep this configuration\? Rolling back in/);
    await env.ui.press('y');
    await env.ui.waitFor('Confirmed: the new configuration is kept.');
    // The wizard's changes are staged in one call: one transaction, one event.
    assert.deepEqual(env.service.log, ['stageAll bond.create vlan.create ip.set ip.set hostname.set', 'apply 60', 'confirm']);
  });

  it('N through a fresh wizard: the answers are the current configuration, the summary says nothing to change, nothing is staged and A on the Network screen has nothing to apply', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    await env.ui.press('W');
    await env.ui.waitFor('Step 1 of 6: Management interface');
    await env.ui.waitFor('‹ eth0 ›');
    await env.ui.press('N', 'N');
    const ip = await env.ui.waitFor('Step 3 of 6: IP address');
    assert.match(ip, /‹ static ›/);
    assert.match(ip, /Address\s+192\.168\.81\.10\/24/);
    assert.match(ip, /Gateway\s+192\.168\.81\.1\b/);
    await env.ui.press('N', 'N', 'N');
    const sum = await env.ui.waitFor('Step 6 of 6: Summary and apply');
    assert.match(sum, /Nothing to change/);
    assert.doesNotMatch(sum, /dhcp|disconnect/);
    assert.deepEqual(env.service.stagedNow(), []);
    await env.ui.press('A');
    await env.ui.waitFor(/Stage and apply: the wizard changes nothing/);
    await env.ui.press('P');
    await env.ui.waitFor('Step 5 of 6: Host name');
    await env.ui.press(KEYS.escape);
    await env.ui.waitFor('Nothing staged.');
    await env.ui.press('A');
    await env.ui.waitFor(/Apply: nothing is staged/);
    assert.deepEqual(env.service.stagedNow(), []);
    assert.deepEqual(env.service.log, []);
  });

  it('changes staged before the wizard opened are its starting point, shown as such in the summary, and stay staged when it is left', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    await env.ui.press('H');
    await fill(env.ui, 'Host name', 'node2');
    await env.ui.press('s');
    await env.ui.waitFor(/1 staged change/);
    await env.ui.press('W');
    await env.ui.waitFor('‹ eth0 ›');
    await env.ui.press('N', 'N', 'N', 'N');
    await env.ui.waitFor(/Host name\s+node2/);
    await env.ui.press('N');
    const sum = await waitFlat(env.ui, /Step 6 of 6: Summary and apply/);
    assert.match(sum, /Nothing to change/);
    assert.match(sum, /Staged before the wizard opened \(applied with it\) ~ host name node1 -> node2/);
    await env.ui.press(KEYS.escape);
    await env.ui.waitFor(/1 staged change/);
    assert.deepEqual(env.service.log, ['stage hostname.set']);
  });

  it('leaving the wizard after an edit asks to discard it; no keeps the wizard, yes leaves with nothing staged', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    await env.ui.press('W');
    await env.ui.waitFor('‹ eth0 ›');
    await env.ui.press('N', 'N');
    await env.ui.waitFor('Step 3 of 6: IP address');
    await env.ui.press(KEYS.enter); // static -> none
    await env.ui.waitFor('‹ none ›');
    await env.ui.press('N', 'N', 'N');
    await waitFlat(env.ui, /This may disconnect you from the host: eth0 loses 192\.168\.81\.10\/24/);
    await env.ui.press('P');
    await env.ui.press(KEYS.escape);
    await env.ui.waitFor(/Discard the wizard's changes\?/);
    await env.ui.press('n');
    await env.ui.waitFor('Step 5 of 6: Host name');
    await env.ui.press(KEYS.escape);
    await env.ui.waitFor(/Discard the wizard's changes\?/);
    await env.ui.press('y');
    await env.ui.waitFor('Nothing staged.');
    assert.deepEqual(env.service.stagedNow(), []);
    assert.deepEqual(env.service.log, []);
  });

  it('a new management address is marked in the summary and needs the confirmation that names it: no stages nothing, yes stages and applies', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    await env.ui.press('W');
    await env.ui.waitFor('‹ eth0 ›');
    await env.ui.press('N', 'N');
    await env.ui.waitFor('Step 3 of 6: IP address');
    await fill(env.ui, 'Address', '192.168.81.20/24');
    await env.ui.press('N', 'N', 'N');
    const sum = await waitFlat(env.ui, /Step 6 of 6: Summary and apply/);
    assert.match(sum, /set IPv4 of eth0 to static 192\.168\.81\.20\/24 via 192\.168\.81\.1/);
    assert.match(sum, /⚠ This may disconnect you from the host: eth0 loses 192\.168\.81\.10\/24 \(IPv4 becomes static 192\.168\.81\.20\/24\)/);
    assert.match(sum, /~ ⚠ eth0: ipv4 static 192\.168\.81\.10\/24 gw 192\.168\.81\.1 -> static 192\.168\.81\.20\/24/);
    await env.ui.press('A');
    await waitFlat(env.ui, /This may disconnect you from the host: eth0 loses 192\.168\.81\.10\/24 \(IPv4 becomes static 192\.168\.81\.20\/24\)\. Stage and apply anyway\?/);
    await env.ui.press('n');
    await env.ui.waitFor('Not applied: nothing was staged');
    assert.deepEqual(env.service.stagedNow(), []);
    await env.ui.press('A');
    await waitFlat(env.ui, /Stage and apply anyway\?/);
    await env.ui.press('y');
    const q = await env.ui.waitFor(/Keep this configuration\? Rolling back in/);
    assert.match(q, /192\.168\.81\.20\/24/);
    assert.deepEqual(env.service.log, ['stageAll ip.set', 'apply 60']);
  });

  it('the Network screen marks a staged change that takes the management address away, and its apply asks with the reason before applying', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    await env.ui.press('i');
    await env.ui.waitFor('IP settings: eth0');
    for (let i = 0; i < 14 && !/› Method/.test(env.ui.frame()); i++) await env.ui.press(KEYS.down);
    await env.ui.waitFor('› Method');
    for (let i = 0; i < 4 && !/‹ dhcp ›/.test(env.ui.frame()); i++) await env.ui.press(KEYS.right);
    await env.ui.waitFor('‹ dhcp ›');
    await env.ui.press('s');
    await env.ui.waitFor(/1 staged change/);
    await env.ui.press('D');
    const d = await waitFlat(env.ui, /This may disconnect you from the host: eth0 switches IPv4 from static to DHCP: eth0 loses 192\.168\.81\.10\/24/);
    assert.match(d, /the default IPv4 gateway 192\.168\.81\.1 \(eth0\) is left to DHCP/);
    assert.match(d, /~ ⚠ eth0: ipv4 static 192\.168\.81\.10\/24 gw 192\.168\.81\.1 -> dhcp/);
    await env.ui.press('A');
    await env.ui.waitFor('Apply the staged network changes');
    await waitFlat(env.ui, /⚠ This may disconnect you from the host: eth0 switches IPv4/);
    await env.ui.press(KEYS.enter);
    await waitFlat(env.ui, /This may disconnect you from the host: eth0 switches IPv4 from static to DHCP: .* is left to DHCP\. Apply anyway\?/);
    await env.ui.press('n');
    await env.ui.waitFor('Not applied: the changes stay staged');
    assert.deepEqual(env.service.log, ['stage ip.set']);
    await env.ui.press(KEYS.enter);
    await waitFlat(env.ui, /Apply anyway\?/);
    await env.ui.press('y');
    await env.ui.waitFor(/Keep this configuration\? Rolling back in/);
    assert.deepEqual(env.service.log, ['stage ip.set', 'apply 60']);
  });

  it('test network: a host that could be an option is refused on its field; both gateways, the DNS servers (asked a query, not pinged) and typed hosts get a result each, as `net test` gives', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    env.runner.addGateway6('fe80::1', 'eth0');
    await env.ui.press('t');
    await env.ui.waitFor('1 Test network');
    await fill(env.ui, 'Also ping', '-f 10.0.0.1');
    await env.ui.press('T');
    await env.ui.waitFor(/hosts: must be an IP address or a host name/);
    assert.ok(!env.runner.calls.some((c) => c.startsWith('ping')), 'nothing was pinged');
    await fill(env.ui, 'Also ping', '10.0.0.1');
    await fill(env.ui, 'Resolve name', 'engine.example.com');
    await env.ui.press('T');
    const f = await env.ui.waitFor(/✗ resolve engine\.example\.com\s+name not found/);
    assert.match(f, /✓ gateway 192\.168\.81\.1\s+2\/2 replies, 0\.3 ms/);
    assert.match(f, /✓ gateway fe80::1%eth0\s+2\/2 replies/);
    assert.match(f, /✓ DNS server 2001:db8::53\s+answers \(localhost\)/);
    assert.match(f, /✓ DNS server 192\.168\.81\.1\s+answers \(localhost\)/);
    assert.match(f, /✓ host 10\.0\.0\.1\s+2\/2 replies/);
    assert.ok(env.runner.calls.includes('busybox nslookup localhost 2001:db8::53'));
    assert.ok(!env.runner.calls.some((c) => c.startsWith('ping') && c.endsWith('2001:db8::53')), 'a DNS server is not pinged');
    assert.ok(env.runner.calls.includes('ping -6 -n -c 2 -i 0.3 -W 2 -- fe80::1%eth0'));
    assert.ok(env.runner.calls.includes('ping -n -c 2 -i 0.3 -W 2 -- 10.0.0.1'));
    assert.ok(env.runner.calls.includes('getent ahosts -- engine.example.com'));
  });

  it('emergency reset: needs the NIC name typed again; then stages the rebuild in place of the staged set together with its event, and opens the confirm countdown', async () => {
    env = mount();
    await env.ui.waitFor('switch1');
    await env.ui.press('t');
    await env.ui.press('2');
    await env.ui.waitFor('Emergency network reset');
    await env.ui.press(KEYS.right); // eth0 -> eth1
    await env.ui.waitFor('‹ eth1 ›');
    await fill(env.ui, 'Type NIC name', 'eth0');
    await env.ui.press('E');
    await env.ui.waitFor(/confirm: type the NIC name \(eth1\) exactly/);
    assert.deepEqual(env.service.log, []);
    await fill(env.ui, 'Type NIC name', 'eth1');
    await env.ui.press('E');
    await env.ui.waitFor(/Keep this configuration\? Rolling back in/);
    // One call: the service writes the staged set and the event in one transaction (test/unit/net-staging-events.test.ts).
    assert.deepEqual(env.service.log.slice(0, 1), ['stageAll replace bridge.delete vlan.delete bond.delete ip.set']);
    assert.equal(env.service.notes.length, 1);
    assert.match(env.service.notes[0]!.message, /^Emergency network reset staged on eth1: delete bridge /);
    assert.deepEqual({ ...env.service.notes[0], message: undefined }, { message: undefined, objectType: 'interface', objectId: 'eth1', severity: 'warning' });
    await env.ui.press('R');
    await env.ui.waitFor('Rolled back: the previous configuration is back.');
  });
});
