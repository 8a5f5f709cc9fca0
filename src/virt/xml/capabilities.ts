// `virsh capabilities`: the x86_64 machine types the host offers and the
// domain type to define VMs with (kvm where the host has it, else qemu/TCG;
// the test driver's own type on test:///).
import { parseXml, type XmlElement } from './xml.ts';

export interface Capabilities {
  machines: string[];
  domainType: 'kvm' | 'qemu' | 'test';
}

export function parseCapabilities(xml: string): Capabilities {
  const root = parseXml(xml);
  const machines = new Set<string>();
  let kvm = false;
  let test = false;
  for (const g of root.children.filter((c) => c.name === 'guest')) {
    if (g.children.some((a) => a.name === 'arch' && a.children.some((d) => d.name === 'domain' && d.attrs.type === 'test'))) test = true;
    const arch = g.children.find((c) => c.name === 'arch');
    if (!arch || arch.attrs.name !== 'x86_64') continue;
    const collect = (el: XmlElement) => el.children.filter((c) => c.name === 'machine').forEach((m) => { machines.add(m.text); if (m.attrs.canonical) machines.add(m.attrs.canonical); });
    collect(arch);
    for (const d of arch.children.filter((c) => c.name === 'domain')) { if (d.attrs.type === 'kvm') kvm = true; collect(d); }
  }
  return { machines: [...machines].filter(Boolean).sort(), domainType: kvm ? 'kvm' : test && !machines.size ? 'test' : 'qemu' };
}
