// `virsh domcapabilities --machine M`: what QEMU offers a VM of one machine
// type here: UEFI firmware (libvirt lists 'efi' only where a firmware
// descriptor, e.g. OVMF's in /usr/share/qemu/firmware, is installed), the CPU
// modes and named models, and the disk buses.
import type { MachineCaps } from '../../domain/vm-devices.ts';
import { child, children, parseXml, type XmlElement } from './xml.ts';

export type { MachineCaps };

const enumValues = (el: XmlElement | undefined, name: string): string[] =>
  children(el, 'enum').find((e) => e.attrs.name === name)?.children.filter((v) => v.name === 'value').map((v) => v.text) ?? [];

export function parseDomCapabilities(xml: string): MachineCaps {
  const root = parseXml(xml);
  const os = child(root, 'os');
  const loader = child(os, 'loader');
  const cpu = child(root, 'cpu');
  const mode = (name: string) => children(cpu, 'mode').find((m) => m.attrs.name === name);
  const supported = (name: string) => mode(name)?.attrs.supported === 'yes';
  const uefiLoaders = loader?.attrs.supported === 'yes' ? loader.children.filter((v) => v.name === 'value').map((v) => v.text) : [];
  return {
    machine: child(root, 'machine')?.text ?? '',
    uefiLoaders,
    efi: os?.attrs.supported === 'yes' && enumValues(os, 'firmware').includes('efi'),
    hostModel: supported('host-model'),
    hostPassthrough: supported('host-passthrough'),
    cpuModels: supported('custom') ? children(mode('custom'), 'model').filter((m) => m.attrs.usable !== 'no').map((m) => m.text) : [],
    diskBuses: enumValues(child(root, 'devices/disk'), 'bus'),
  };
}
