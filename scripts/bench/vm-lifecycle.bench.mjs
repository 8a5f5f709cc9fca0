// Create + start of a tiny guest through hostdeck (the service the CLI and
// the console use: validation against the host's facts, define, start,
// event) against `virsh define` + `virsh start` of the same XML, interleaved
// in one run, median of N each. Needs root and the real libvirtd
// (scripts/libvirt-up). Every guest is removed right after it is measured.
// Usage: node --import tsx scripts/bench/vm-lifecycle.bench.mjs [N]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;
const N = Math.max(5, Number(process.argv[2] ?? 5));
const URI = 'qemu:///system';
const POOL = `hd-lc-bench-${process.pid}`;
const POOL_DIR = `/var/lib/${POOL}`;

const { testServices } = await import(join(root, 'test/lib/services.ts'));
const { createCore } = await import(join(root, 'src/core/index.ts'));
const { specFor } = await import(join(root, 'src/core/vms.ts'));
const { vmDomainXml } = await import(join(root, 'src/virt/xml/named.ts'));
const { guestImage } = await import(join(root, 'test/lib/guest.ts'));

const virsh = (...args) => {
  const r = spawnSync('virsh', ['-c', URI, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`virsh ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
};
const virshTry = (...args) => spawnSync('virsh', ['-c', URI, ...args], { encoding: 'utf8' });
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

spawnSync(join(root, 'scripts/libvirt-up'), { stdio: 'inherit' });
const img = await guestImage();
const dir = mkdtempSync(join(tmpdir(), 'hostdeck-bench-'));
const services = testServices({ uri: URI, channel: 'cli' });
const core = createCore(services, { user: 'bench', channel: 'cli' });
const names = [];
try {
  virshTry('pool-destroy', POOL); virshTry('pool-undefine', POOL);
  spawnSync('mkdir', ['-p', POOL_DIR]);
  virsh('pool-define-as', POOL, 'dir', '--target', POOL_DIR);
  virsh('pool-start', POOL);
  // One volume per run, made beforehand for both sides: the measured work is define + start.
  const input = (name, volume) => ({
    name, vcpus: 1, memoryMiB: 128, disks: [{ kind: 'existing', pool: POOL, volume }],
    boot: 'kernel', kernel: img.kernel, initrd: img.initrd, cmdline: 'console=ttyS0 loglevel=4 panic=-1', osType: 'linux', machine: 'pc', graphics: 'none',
  });
  process.stderr.write('[bench] reading capabilities\n');
  const caps = await core.vms.capabilities();
  await services.virt.domainList(); // connect once, as the console does at start
  const hd = [];
  const vs = [];
  for (let i = 0; i < N; i++) {
    for (const side of i % 2 ? ['virsh', 'hostdeck'] : ['hostdeck', 'virsh']) {
      const name = `hd-lc-bench-${process.pid}-${side}-${i}`;
      const volume = `${name}.qcow2`;
      virsh('vol-create-as', POOL, volume, '16M', '--format', 'qcow2');
      names.push(name);
      const inp = input(name, volume);
      process.stderr.write(`[bench] ${side} ${i + 1}/${N}\n`);
      if (side === 'hostdeck') {
        const t = performance.now();
        await core.vms.create(inp, { start: true });
        hd.push(performance.now() - t);
      } else {
        const file = join(dir, `${name}.xml`);
        writeFileSync(file, vmDomainXml(specFor(inp, caps.domainType, [{ pool: POOL, volume, format: 'qcow2' }])));
        const t = performance.now();
        virsh('define', file);
        virsh('start', name);
        vs.push(performance.now() - t);
      }
      virshTry('destroy', name);
      virshTry('undefine', name);
      virshTry('vol-delete', volume, '--pool', POOL);
    }
  }
  const h = median(hd);
  const v = median(vs);
  console.log(`create+start of a tiny guest, median of ${N} each, interleaved`);
  console.log(`  hostdeck (validate, define, start, event): ${h.toFixed(0)} ms   [${hd.map((x) => x.toFixed(0)).join(', ')}]`);
  console.log(`  virsh define + virsh start (same XML):    ${v.toFixed(0)} ms   [${vs.map((x) => x.toFixed(0)).join(', ')}]`);
  console.log(`  ratio hostdeck / virsh: ${(h / v).toFixed(2)} (target <= 1.20)`);
} finally {
  for (const n of names) { virshTry('destroy', n); virshTry('undefine', n); rmSync(`/var/log/libvirt/qemu/${n}-serial.log`, { force: true }); rmSync(`/var/log/libvirt/qemu/${n}.log`, { force: true }); }
  virshTry('pool-destroy', POOL); virshTry('pool-undefine', POOL);
  rmSync(POOL_DIR, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  await services.cleanup();
}
