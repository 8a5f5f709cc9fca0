// libvirt's virtual networks on one connection: list, start, stop.
import { virshArgs } from './virsh.ts';
import { parseNetList, type Network } from './storage.ts';
import type { VirtLink } from './link.ts';

export async function networkList(link: VirtLink): Promise<Network[]> {
  return parseNetList(await link.virsh(virshArgs('net-list', {}, ['--all'])));
}

export async function networkStart(link: VirtLink, network: string): Promise<void> {
  await link.virsh(virshArgs('net-start', { network }));
}

export async function networkStop(link: VirtLink, network: string): Promise<void> {
  await link.virsh(virshArgs('net-destroy', { network }));
}
