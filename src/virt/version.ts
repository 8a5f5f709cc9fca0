// Parsing of `virsh version` output (recorded in test/fixtures/virsh).
import type { VirtVersion } from './types.ts';

export function parseVirshVersion(text: string): VirtVersion {
  const v: VirtVersion = {};
  for (const line of text.split('\n')) {
    const m = /^(Using library|Running hypervisor|Running against daemon):\s*(.+?)\s*$/.exec(line);
    if (!m) continue;
    if (m[1] === 'Using library') v.library = m[2];
    else if (m[1] === 'Running hypervisor') v.hypervisor = m[2];
    else v.daemon = m[2];
  }
  return v;
}
