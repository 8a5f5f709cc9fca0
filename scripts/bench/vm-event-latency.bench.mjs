// How long a VM defined outside hostdeck (with virsh) takes to reach the
// console: time from `virsh define` returning to the define event arriving
// through hostdeck's event stream (VirtConnection.onDomainEvent), on the real
// libvirtd. Target (VM lifecycle issue): within 1 s.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtConnection } from '../../src/virt/connection.ts';

const uri = process.env.LIBVIRT_DEFAULT_URI ?? 'qemu:///system';
const runs = Number(process.env.BENCH_RUNS ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'hostdeck-evbench-'));
const virsh = (...args) => execFileSync('virsh', ['-c', uri, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const conn = new VirtConnection(uri);
const waiters = new Map();
const off = conn.onDomainEvent((e) => { const w = waiters.get(`${e.domain}:${e.kind}`); if (w) w(Date.now()); });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const latencies = [];
try {
  await conn.connect();
  for (let t = 0; t < 100 && !conn.eventsRunning; t++) await sleep(50);
  await sleep(500);
  for (let i = 0; i < runs; i++) {
    const name = `hd-bench-ev-${process.pid}-${i}`;
    const xml = join(dir, `${name}.xml`);
    writeFileSync(xml, `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><os><type arch='x86_64'>hvm</type></os></domain>`);
    const arrived = new Promise((resolve) => { waiters.set(`${name}:define`, resolve); setTimeout(() => resolve(undefined), 10_000); });
    virsh('define', xml);
    const defined = Date.now();
    const at = await arrived;
    waiters.delete(`${name}:define`);
    virsh('undefine', name);
    if (at === undefined) { console.log(`run ${i}: no define event within 10 s`); continue; }
    latencies.push(at - defined);
    await sleep(100);
  }
} finally {
  off();
  await conn.close();
  rmSync(dir, { recursive: true, force: true });
}
const s = [...latencies].sort((a, b) => a - b);
const pct = (p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
console.log(`VM defined with virsh -> seen by hostdeck's event stream: median ${pct(50)} ms, p95 ${pct(95)} ms, max ${s[s.length - 1]} ms over ${s.length} of ${runs} runs; target <= 1000 ms`);
if (s.length < runs) process.exitCode = 1;
