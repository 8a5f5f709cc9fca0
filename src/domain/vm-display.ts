// How to reach a VM's screen and console from another machine: pure, from
// the parsed domain XML. And the snapshot tree drawn the way
// `virsh snapshot-list --tree` draws it, so the two can be compared.
import type { DomainDisk, DomainGraphics, DomainInterface } from '../virt/xml/parse.ts';
import { diskSource } from './vm-disks.ts';

/** One disk as `vm show` and the VM detail list it: device, format and where it lives (pool/volume or path). */
export function diskText(d: Pick<DomainDisk, 'device' | 'format' | 'path' | 'pool' | 'volume'>): string {
  return `${d.device} ${d.format ?? ''} ${diskSource(d) || '(empty)'}`.replace(/\s+/g, ' ').trim();
}

/** One NIC as `vm show` and the VM detail list it: type, network or bridge, model and MAC. */
export function nicText(n: Pick<DomainInterface, 'type' | 'network' | 'bridge' | 'model' | 'mac'>): string {
  return `${n.type} ${n.network ?? n.bridge ?? ''} ${n.model ?? ''} ${n.mac ?? ''}`.replace(/\s+/g, ' ').trim();
}

/** The firmware a domain boots with: UEFI where it asks for EFI or names an OVMF loader, else BIOS. */
export function vmFirmware(os: { firmware?: string; loader?: string }): 'UEFI' | 'BIOS' {
  return os.firmware === 'efi' || /OVMF|edk2|efi/i.test(os.loader ?? '') ? 'UEFI' : 'BIOS';
}

export interface DisplayAccess {
  type: string;
  /** Address QEMU listens on. */
  listen: string;
  /** Port, when the VM runs (autoport assigns it at start). */
  port?: number;
  /** Ready-to-copy command for this host's own desktop, or undefined while the port is unknown. */
  command?: string;
  /** How to reach a loopback-only display from elsewhere (SSH tunnel), when it listens on loopback. */
  tunnel?: string;
  /** Why there is no command yet. */
  note?: string;
}

const LOOPBACK = /^(127\.|::1$|localhost$)/;

/** One entry per graphics device: address, port and a `remote-viewer` command. */
export function displayAccess(graphics: readonly DomainGraphics[], host: { hostname: string; address?: string }): DisplayAccess[] {
  return graphics.filter((g) => g.type === 'vnc' || g.type === 'spice').map((g) => {
    const listen = g.listen ?? '127.0.0.1';
    const port = g.port && g.port > 0 ? g.port : undefined;
    if (!port) return { type: g.type, listen, note: 'the port is assigned when the VM starts' };
    const loop = LOOPBACK.test(listen);
    const reach = loop ? '127.0.0.1' : listen === '0.0.0.0' || listen === '::' ? (host.address ?? host.hostname) : listen;
    return {
      type: g.type, listen, port,
      command: `remote-viewer ${g.type}://${reach.includes(':') ? `[${reach}]` : reach}:${port}`,
      tunnel: loop ? `ssh -L ${port}:127.0.0.1:${port} root@${host.address ?? host.hostname}   (then the command above on your machine)` : undefined,
    };
  });
}

/**
 * A snapshot tree as text, character for character as `virsh snapshot-list
 * --tree` prints it (virsh's vshTreePrint): names sorted as virsh sorts
 * them, children under "+- " with "|" rails.
 */
export function snapshotTreeText(list: readonly { name: string; parent?: string }[]): string {
  const items = [...list].sort((a, b) => {
    const x = a.name.toLowerCase();
    const y = b.name.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const lines: string[] = [];
  let indent = '';
  const walk = (dev: number, lastdev: number, root: boolean) => {
    const name = items[dev]!.name;
    lines.push(`${indent}${root ? '' : '+- '}${name}`);
    if (!root) indent += `${dev === lastdev ? ' ' : '|'} `;
    let nextlast = -1;
    items.forEach((it, i) => { if (it.parent === name) nextlast = i; });
    if (nextlast !== -1) lines.push(`${indent}  |`);
    indent += '  ';
    items.forEach((it, i) => { if (it.parent === name) walk(i, nextlast, false); });
    if (indent.endsWith('  ')) indent = indent.slice(0, -2);
    if (nextlast === -1 && dev === lastdev) lines.push(indent);
    if (!root) indent = indent.slice(0, -2);
  };
  items.forEach((it, i) => {
    if (!it.parent || !items.some((p) => p.name === it.parent)) { indent = ''; walk(i, i, true); }
  });
  // virsh ends the command's output with one more empty line.
  return lines.length ? `${lines.join('\n')}\n\n` : '';
}
