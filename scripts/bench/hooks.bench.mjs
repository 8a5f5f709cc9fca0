// The cost of hooks on VM start: the same start of one tiny guest through
// hostdeck's core with hooks off (the baseline: no hook directory is read),
// with an empty before_vm_start/after_vm_start pair of directories, and with
// one no-op before_vm_start hook (the domain XML written to a temporary file,
// the hook started in its own process group, the file read back and checked,
// the VM started from it). Interleaved in one run, median of N each. Needs
// root and the real libvirtd (scripts/libvirt-up); the guest is removed at the end.
// A start varies by hundreds of milliseconds here, so the hooks' own time is
// measured too: the same hooks around an action that does nothing (M times
// each, the VM shut off), which is what a start pays on top.
// Usage: node --import tsx scripts/bench/hooks.bench.mjs [N] [M]
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;
const N = Math.max(5, Number(process.argv[2] ?? 7));
const M = Math.max(10, Number(process.argv[3] ?? 60));
const URI = 'qemu:///system';

const { testServices } = await import(join(root, 'test/lib/services.ts'));
const { createCore } = await import(join(root, 'src/core/index.ts'));
const { aroundVmHooks } = await import(join(root, 'src/core/hooks.ts'));
const { defineGuest, guestImage, guestName, removeGuests } = await import(join(root, 'test/lib/guest.ts'));

const virshTry = (...args) => spawnSync('virsh', ['-c', URI, ...args], { encoding: 'utf8' });
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

spawnSync(join(root, 'scripts/libvirt-up'), { stdio: 'inherit' });
await guestImage();
const vm = guestName('hookbench');
const hooksDir = (kind) => {
  const dir = mkdtempSync(join(tmpdir(), `hostdeck-hookbench-${kind}-`));
  for (const p of ['before_vm_start', 'after_vm_start']) mkdirSync(join(dir, p), { mode: 0o755 });
  return dir;
};
const empty = hooksDir('empty');
const noop = hooksDir('noop');
writeFileSync(join(noop, 'before_vm_start', '10-noop'), '#!/bin/sh\nexit 0\n');
chmodSync(join(noop, 'before_vm_start', '10-noop'), 0o755);
const modes = {
  off: { enabled: false, root: empty, timeoutMs: 30_000 },
  empty: { enabled: true, root: empty, timeoutMs: 30_000 },
  noop: { enabled: true, root: noop, timeoutMs: 30_000 },
};
const services = testServices({ uri: URI, channel: 'cli' });
const core = createCore(services, { user: 'bench', channel: 'cli' });
const times = { off: [], empty: [], noop: [] };
const alone = { off: [], empty: [], noop: [] };
try {
  await removeGuests(vm);
  await defineGuest(vm, { nic: false });
  await services.virt.domainList(); // connect once, as the console does at start
  const order = Object.keys(modes);
  for (let i = 0; i < N; i++) {
    // Rotated so no mode always follows the same one.
    for (const mode of [...order.slice(i % 3), ...order.slice(0, i % 3)]) {
      services.config.hooks = modes[mode];
      process.stderr.write(`[bench] ${mode} ${i + 1}/${N}\n`);
      const t = performance.now();
      await core.vms.start(vm);
      times[mode].push(performance.now() - t);
      virshTry('destroy', vm);
    }
  }
  for (let i = 0; i < M; i++) {
    for (const mode of order) {
      services.config.hooks = modes[mode];
      const t = performance.now();
      await aroundVmHooks({ infra: services }, 'vm_start', vm, async () => undefined);
      alone[mode].push(performance.now() - t);
    }
  }
  const table = (title, set, digits, raw) => {
    const base = median(set.off);
    const line = (label, xs) => {
      const m = median(xs);
      return `  ${label.padEnd(44)} ${m.toFixed(digits).padStart(8)} ms  (${m - base >= 0 ? '+' : ''}${(m - base).toFixed(digits)} ms)${raw ? `   [${xs.map((x) => x.toFixed(0)).join(', ')}]` : ''}`;
    };
    console.log(title);
    console.log(line('hooks off (baseline: no hook directory read)', set.off));
    console.log(line('empty before/after_vm_start directories', set.empty));
    console.log(line('one no-op before_vm_start hook', set.noop));
  };
  table(`vm start of a tiny guest through the core, median of ${N} each, interleaved`, times, 1, true);
  table(`the hooks alone around an action that does nothing, median of ${M} each`, alone, 2, false);
} finally {
  await removeGuests(vm);
  await services.cleanup();
  rmSync(empty, { recursive: true, force: true });
  rmSync(noop, { recursive: true, force: true });
}
