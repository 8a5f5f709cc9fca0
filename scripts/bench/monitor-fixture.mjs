// A libvirt test-driver host with N domains for the monitoring tests and
// benchmarks, written at run time (never committed): open it as
// test:///<path>. States cycle running, running, running, paused, shut off
// (test:runstate is virDomainState); vCPUs 1-4; memory 128-512 MiB.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STATES = [1, 1, 1, 3, 5];

/** Write the fixture into `dir`; returns its test:/// URI. */
export function writeMonitorFixture(dir, count, prefix = 'vm-') {
  const out = ['<?xml version="1.0"?>', '<node>',
    '  <cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>1</threads><active>2</active><mhz>2400</mhz><model>x86_64</model></cpu>',
    '  <memory>33554432</memory>'];
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(4, '0');
    const kib = 131072 * (1 + (i % 4));
    out.push(`  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'><name>${prefix}${n}</name>` +
      `<uuid>00000000-0000-4000-8000-${String(i).padStart(12, '0')}</uuid><memory unit='KiB'>${kib}</memory><currentMemory unit='KiB'>${kib}</currentMemory>` +
      `<vcpu placement='static'>${1 + (i % 4)}</vcpu><os><type arch='x86_64'>hvm</type></os>` +
      `<devices><disk type='file' device='disk'><source file='/var/lib/libvirt/images/${prefix}${n}.qcow2'/><target dev='vda' bus='virtio'/></disk>` +
      `<interface type='network'><mac address='52:54:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}'/><source network='default'/></interface></devices>` +
      `<test:runstate>${STATES[i % STATES.length]}</test:runstate></domain>`);
  }
  out.push('</node>');
  const file = join(dir, `monitor-${count}.xml`);
  writeFileSync(file, out.join('\n'));
  return `test://${file}`;
}
