// Documents hostdeck writes or reads around a domain's own XML: a new VM's
// definition under a name hostdeck's rules allow (stricter than
// domainXml()'s), and the domain a snapshot recorded.
import { domainXml, type DomainSpec } from './create.ts';
import { parseXml, renderXml, textOf, type XmlElement, type XmlNode } from './xml.ts';

/** A parsed element back into a writable node (libvirt's documents have no mixed content). */
export function toNode(el: XmlElement): XmlNode {
  return { name: el.name, attrs: { ...el.attrs }, children: el.children.map(toNode), text: el.text === '' ? undefined : el.text };
}

/** domainXml() with the names hostdeck allows: the name is set after rendering. */
export function vmDomainXml(spec: DomainSpec): string {
  const placeholder = 'hostdeck-name-placeholder';
  const root = parseXml(domainXml({ ...spec, name: placeholder }));
  const nameEl = root.children.find((c) => c.name === 'name')!;
  nameEl.text = spec.name;
  return `${renderXml(toNode(root))}\n`;
}

/** The description in `virsh snapshot-dumpxml`, or undefined when it has none. */
export function snapshotDescription(snapshotXml: string): string | undefined {
  return textOf(parseXml(snapshotXml), 'description')?.trim() || undefined;
}

/** The domain XML inside `virsh snapshot-dumpxml` (the VM as the snapshot recorded it), or undefined. */
export function snapshotDomainXml(snapshotXml: string): string | undefined {
  const inner = parseXml(snapshotXml).children.find((c) => c.name === 'domain');
  return inner ? renderXml(toNode(inner)) : undefined;
}
