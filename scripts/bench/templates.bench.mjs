// N thin VMs from a template through hostdeck (the core's template VM create:
// validation, a qcow2 overlay volume of the template's image made by libvirt,
// define, the template link and its event) against a loop of `qemu-img create -b` +
// `virsh define` of the same overlays and the same domain XML, interleaved in
// one run on the real libvirtd; totals of N each. The template is made from
// the tiny test guest (shut off) on a local-directory data domain, as the
// templates integration test does. Every VM, overlay and the template are
// removed after. Needs root and the real libvirtd (scripts/libvirt-up).
// Usage: node --import tsx scripts/bench/templates.bench.mjs  (BENCH_TEMPLATE_VMS=50)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import './tsx.mjs';
import { templateFixture } from './template-fixture.mjs';

const root = new URL('../..', import.meta.url).pathname;
const N = Math.max(1, Number(process.env.BENCH_TEMPLATE_VMS ?? 50));
const { virsh } = await import(join(root, 'test/lib/lifecycle.ts'));

const fx = await templateFixture('tplbench');
const { prefix, dir, images } = fx;
try {
  const templates = await fx.core.templates();
  const image = fx.template.disks[0];

  // The baseline's domain XML: what hostdeck defined for a first (untimed) VM, renamed per VM.
  const model = `${prefix}-model`;
  await templates.createVm({ name: model, template: 'tiny', mode: 'thin' });
  const modelXml = (await virsh('dumpxml', '--inactive', model)).replace(/\s*<uuid>[^<]*<\/uuid>/, '');
  const xmlFor = (name) => modelXml.replaceAll(model, name);

  const hd = [];
  const vs = [];
  for (let i = 0; i < N; i++) {
    for (const side of i % 2 ? ['virsh', 'hostdeck'] : ['hostdeck', 'virsh']) {
      const name = `${prefix}-${side === 'hostdeck' ? 'h' : 'v'}${i}`;
      if (side === 'hostdeck') {
        const t = performance.now();
        await templates.createVm({ name, template: 'tiny', mode: 'thin' });
        hd.push(performance.now() - t);
      } else {
        const file = join(dir, `${name}.xml`);
        writeFileSync(file, xmlFor(name));
        const t = performance.now();
        const r = spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', image.path, '-F', image.format, join(images, `${name}.qcow2`)], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`qemu-img create: ${r.stderr.trim()}`);
        await virsh('define', file);
        vs.push(performance.now() - t);
      }
    }
    if ((i + 1) % 10 === 0 || i + 1 === N) process.stderr.write(`[bench] ${i + 1}/${N} each\n`);
  }
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const h = sum(hd);
  const v = sum(vs);
  console.log(`${N} thin VMs from a template (tiny qcow2 image), interleaved, totals`);
  console.log(`  hostdeck (validate, overlay volume, define, link, event):       ${(h / 1000).toFixed(2)} s (${(h / N).toFixed(0)} ms per VM)`);
  console.log(`  qemu-img create -b + virsh define (same disks, same XML):      ${(v / 1000).toFixed(2)} s (${(v / N).toFixed(0)} ms per VM)`);
  console.log(`  ratio hostdeck / baseline: ${(h / v).toFixed(2)} (target <= 1.50; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
} finally {
  await fx.remove();
}
process.exit(0);
