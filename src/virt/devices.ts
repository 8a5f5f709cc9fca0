// A domain's devices one at a time: attach and detach a NIC or a disk, live
// (the running VM, hot-plug), in its definition (config), or both, as
// `virsh attach-device --live --config` does; and one device's element out
// of a domain XML, which is what detach-device matches on.
import type { Virsh } from './link.ts';
import { virshArgs, withXmlFile } from './virsh.ts';
import { child, children, parseXml, renderXml, type XmlElement, type XmlNode } from './xml/xml.ts';

/** Where a device change lands: the running VM, its definition, or both. */
export interface DeviceScope {
  live: boolean;
  config: boolean;
}

const flags = (s: DeviceScope) => [...(s.live ? ['--live' as const] : []), ...(s.config ? ['--config' as const] : [])];

/** Add the device in `xml` (one <interface> or <disk>) to a domain. */
export async function attachDevice(virsh: Virsh, domain: string, xml: string, scope: DeviceScope): Promise<void> {
  await withXmlFile(xml, (file) => virsh(virshArgs('attach-device', { domain, file }, flags(scope))));
}

/** Take the device in `xml` out of a domain (libvirt finds it by its MAC or its target). */
export async function detachDevice(virsh: Virsh, domain: string, xml: string, scope: DeviceScope): Promise<void> {
  await withXmlFile(xml, (file) => virsh(virshArgs('detach-device', { domain, file }, flags(scope))));
}

const toNode = (e: XmlElement): XmlNode => ({ name: e.name, attrs: e.attrs, children: e.children.map(toNode), text: e.text === '' ? undefined : e.text });

/** The <interface> with this MAC, or the <disk> at this target, of a domain XML as a document of its own; undefined when it has none. */
export function deviceElementXml(domainXml: string, which: { mac: string } | { target: string }): string | undefined {
  const devices = child(parseXml(domainXml), 'devices');
  const el = 'mac' in which
    ? children(devices, 'interface').find((e) => child(e, 'mac')?.attrs.address?.toLowerCase() === which.mac.toLowerCase())
    : children(devices, 'disk').find((e) => child(e, 'target')?.attrs.dev === which.target);
  return el ? `${renderXml(toNode(el))}\n` : undefined;
}
