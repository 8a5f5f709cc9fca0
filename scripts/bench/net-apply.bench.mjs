// Network apply figures (issue #6): apply plus verification of a two-NIC
// 802.3ad bond with a VLAN and a bridge on top, through hostdeck's network
// service on NetworkManager in a test host. The peer test host bonds its two
// ends too (two Cables, back to back), so LACP really negotiates; each run
// checks the partner MAC in /proc/net/bonding and pings the peer over the
// bridge, then removes everything again (not timed).
// Timed: service.apply({ yes: true }) = validate, diff, checkpoint, apply,
// read-back verification, probes, confirm (checkpoint destroyed).
// Target: median <= 5 s. Prints figures; never asserts.
// Runs with `node --import tsx` (imports .ts): npm run bench net-apply.
import { loadavg } from 'node:os';
import { Cable, testHostRunner, withTestHosts } from '../../test/lib/testhost/index.ts';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { createNetworkService } from '../../src/host/net/service.ts';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

const c1 = await Cable.create();
const c2 = await Cable.create();
const times = [];
const verifyTries = [];
await withTestHosts([
  { name: 'bench-node', nics: [{ cable: c1 }, { cable: c2 }], services: ['networkmanager'], keepLogs: 'on-failure', timeoutMs: 1_800_000 },
  { name: 'bench-peer', nics: [{ cable: c1 }, { cable: c2 }], keepLogs: 'on-failure', timeoutMs: 1_800_000 },
], async ([node, peer]) => {
  // virtio-net reports no duplex, and the kernel runs LACP only on full-duplex ports: say 1000/full on all four ends.
  for (const h of [node, peer]) {
    for (const nic of ['eth0', 'eth1']) {
      const e = await h.run(['ethtool', '-s', nic, 'speed', '1000', 'duplex', 'full']);
      if (e.code !== 0) throw new Error(`ethtool on ${h.name} ${nic}: ${e.stderr}`);
    }
  }
  // The peer: a plain kernel 802.3ad bond with VLAN 100 on top.
  for (const argv of [
    ['ip', 'link', 'add', 'bond0', 'type', 'bond', 'mode', '802.3ad', 'miimon', '100', 'lacp_rate', 'fast'],
    ['ip', 'link', 'set', 'eth0', 'down'], ['ip', 'link', 'set', 'eth0', 'master', 'bond0'],
    ['ip', 'link', 'set', 'eth1', 'down'], ['ip', 'link', 'set', 'eth1', 'master', 'bond0'],
    ['ip', 'link', 'set', 'bond0', 'up'],
    ['ip', 'link', 'add', 'link', 'bond0', 'name', 'bond0.100', 'type', 'vlan', 'id', '100'],
    ['ip', 'link', 'set', 'bond0.100', 'up'],
    ['ip', 'addr', 'add', '10.100.0.2/24', 'dev', 'bond0.100'],
  ]) {
    const p = await peer.run(argv);
    if (p.code !== 0) throw new Error(`peer setup: ${argv.join(' ')}: ${p.stderr}`);
  }
  const db = openDatabase(':memory:');
  const events = new EventLog(db, { user: 'bench', channel: 'cli' });
  const svc = createNetworkService({ runner: testHostRunner(node), db, events, watchdogCommand: null, stateDir: '/run/hostdeck-bench-net' });
  if ((await svc.backend()) !== 'networkmanager') throw new Error('NetworkManager is not running in the bench host');
  const build = [
    { op: 'bond.create', name: 'bond0', ports: ['eth0', 'eth1'], options: { mode: '802.3ad', miimon: 100, lacp_rate: 'fast', xmit_hash_policy: 'layer2+3' } },
    { op: 'vlan.create', parent: 'bond0', id: 100 },
    { op: 'bridge.create', name: 'br100', ports: ['bond0.100'], stp: false },
    { op: 'ip.set', iface: 'br100', family: 4, method: 'static', addresses: ['10.100.0.1/24'] },
  ];
  for (let i = 0; i < runs; i++) {
    const cur = await svc.current();
    for (const c of build) await svc.stage(c, { current: cur });
    const t0 = performance.now();
    const r = await svc.apply({ confirmTimeoutS: 60, yes: true });
    const ms = performance.now() - t0;
    if (r.status !== 'confirmed') throw new Error(`run ${i + 1}: ${JSON.stringify(r)}`);
    times.push(ms);
    verifyTries.push(r.verifyTries);
    // LACP negotiated (the partner's MAC is known) and the peer answers over bond -> VLAN -> bridge.
    let partner = '';
    for (let k = 0; k < 30 && (!partner || /^00:00:00:00:00:00$/.test(partner)); k++) {
      partner = /Partner Mac Address: (\S+)/.exec(await node.readFile('/proc/net/bonding/bond0'))?.[1] ?? '';
      if (!partner || /^00:00:00:00:00:00$/.test(partner)) await node.run(['sleep', '1']);
    }
    const ping = await node.run(['ping', '-c', '1', '-W', '5', '10.100.0.2']);
    console.log(`run ${i + 1}: apply + verify ${fmt(ms)} (verified after ${r.verifyTries} read(s)); LACP partner ${partner || 'none'}; ping peer over br100 ${ping.code === 0 ? 'ok' : 'FAILED'}`);
    const cur2 = await svc.current();
    for (const c of [{ op: 'bridge.delete', name: 'br100' }, { op: 'bond.delete', name: 'bond0' }]) await svc.stage(c, { current: cur2 });
    const d = await svc.apply({ confirmTimeoutS: 60, yes: true });
    if (d.status !== 'confirmed') throw new Error(`teardown ${i + 1}: ${JSON.stringify(d)}`);
  }
});
console.log(`net apply (NetworkManager, 802.3ad bond of 2 NICs + VLAN + bridge, apply + verification): median ${fmt(median(times))} over ${times.length} runs (min ${fmt(Math.min(...times))}, max ${fmt(Math.max(...times))}); target <= 5 s`);
console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (2 cores shared)`);
