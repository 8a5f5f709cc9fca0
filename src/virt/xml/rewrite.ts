// Whether a domain XML someone else rewrote (a hook) may be handed to
// libvirt in place of the original: a well-formed <domain> document for the
// same VM. libvirt checks the rest of it when it starts the VM.
import { parseXml, textOf } from './xml.ts';

/** Why `rewritten` cannot replace `original` (same name and UUID required), or undefined. */
export function domainRewriteProblem(original: string, rewritten: string): string | undefined {
  let root;
  try {
    root = parseXml(rewritten);
  } catch (e) {
    return `it is not well-formed XML (${(e as Error).message.replace(/^XML: /, '')})`;
  }
  if (root.name !== 'domain') return `its root element is <${root.name}>, not <domain>`;
  const before = parseXml(original);
  const [name0, name1] = [textOf(before, 'name') ?? '', textOf(root, 'name') ?? ''];
  if (name1 !== name0) return `it changes the VM's name from '${name0}' to '${name1 || '(none)'}' (a hook may not rename a VM)`;
  const [uuid0, uuid1] = [(textOf(before, 'uuid') ?? '').toLowerCase(), (textOf(root, 'uuid') ?? '').toLowerCase()];
  if (uuid1 !== uuid0) return `it changes the VM's UUID from ${uuid0} to ${uuid1 || '(none)'} (a hook may not change a VM's identity)`;
  return undefined;
}
