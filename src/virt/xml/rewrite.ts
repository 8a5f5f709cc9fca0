// Whether a domain or device XML someone else rewrote (a hook) may be handed
// to libvirt in place of the original: a well-formed <domain> document for
// the same VM, or the same kind of device with the same identity (a NIC's
// MAC, a disk's target and source: what hostdeck checked, created and
// records). libvirt checks the rest of it when it starts the VM or plugs the
// device.
import { child, parseXml, textOf, type XmlElement } from './xml.ts';

/** The rewritten document's root, or why it is not well-formed or not a <name>. */
function rootOf(rewritten: string, name: string): XmlElement | string {
  let root;
  try {
    root = parseXml(rewritten);
  } catch (e) {
    return `it is not well-formed XML (${(e as Error).message.replace(/^XML: /, '')})`;
  }
  return root.name === name ? root : `its root element is <${root.name}>, not <${name}>`;
}

/** Why `rewritten` cannot replace `original` (same name and UUID required), or undefined. */
export function domainRewriteProblem(original: string, rewritten: string): string | undefined {
  const root = rootOf(rewritten, 'domain');
  if (typeof root === 'string') return root;
  const before = parseXml(original);
  const [name0, name1] = [textOf(before, 'name') ?? '', textOf(root, 'name') ?? ''];
  if (name1 !== name0) return `it changes the VM's name from '${name0}' to '${name1 || '(none)'}' (a hook may not rename a VM)`;
  const [uuid0, uuid1] = [(textOf(before, 'uuid') ?? '').toLowerCase(), (textOf(root, 'uuid') ?? '').toLowerCase()];
  if (uuid1 !== uuid0) return `it changes the VM's UUID from ${uuid0} to ${uuid1 || '(none)'} (a hook may not change a VM's identity)`;
  return undefined;
}

/** A disk's source as one string: pool/volume, file, device or network name. */
const diskSource = (d: XmlElement) => {
  const a = child(d, 'source')?.attrs ?? {};
  return a.pool !== undefined ? `${a.pool}/${a.volume ?? ''}` : (a.file ?? a.dev ?? a.name ?? '');
};

/** Why a hot-plug hook's `rewritten` device cannot replace `original` (one <interface> or <disk>), or undefined. */
export function deviceRewriteProblem(original: string, rewritten: string): string | undefined {
  const before = parseXml(original);
  const root = rootOf(rewritten, before.name);
  if (typeof root === 'string') return root;
  if (before.name === 'interface') {
    const [mac0, mac1] = [child(before, 'mac')?.attrs.address?.toLowerCase() ?? '', child(root, 'mac')?.attrs.address?.toLowerCase() ?? ''];
    if (mac1 !== mac0) return `it changes the NIC's MAC address from ${mac0} to ${mac1 || '(none)'} (a hook may not change which NIC is plugged)`;
    return undefined;
  }
  const [t0, t1] = [child(before, 'target')?.attrs.dev ?? '', child(root, 'target')?.attrs.dev ?? ''];
  if (t1 !== t0) return `it changes the disk's target from ${t0} to ${t1 || '(none)'} (a hook may not move the disk)`;
  const [s0, s1] = [diskSource(before), diskSource(root)];
  if (s1 !== s0) return `it changes the disk's source from ${s0} to ${s1 || '(none)'} (a hook may not plug another volume)`;
  return undefined;
}
