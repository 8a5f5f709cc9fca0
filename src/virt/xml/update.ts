// Changes to an existing domain XML (the "update" half of the XML split):
// edit resources and descriptions, or turn a definition into a clone's.
// Pure: XML text in, XML text out; everything not touched is kept as is.
import { child, children, parseXml, renderXml, type XmlElement, type XmlNode } from './xml.ts';
import { cpuNode, cpuSpecOf } from './create.ts';

export interface DomainChanges {
  name?: string;
  title?: string;
  description?: string;
  memoryMiB?: number;
  vcpus?: number;
  /** Drop the UUID so libvirt makes a new one (for a clone). */
  newUuid?: boolean;
  /** Drop NIC MAC addresses so libvirt makes new ones (for a clone). */
  newMacs?: boolean;
  /** New source file per disk target, e.g. { vda: '/var/lib/libvirt/images/b.qcow2' }. */
  diskPaths?: Record<string, string>;
  /** New pool volume per disk target. */
  diskVolumes?: Record<string, { pool: string; volume: string }>;
  /** The CPU (host-model, host-passthrough or a model), in place of the one defined. */
  cpu?: string;
}

function toNode(el: XmlElement): XmlNode {
  return { name: el.name, attrs: el.attrs, children: el.children.map(toNode), text: el.children.length || el.text === '' ? undefined : el.text };
}

export function renderElement(el: XmlElement): string {
  return `${renderXml(toNode(el))}\n`;
}

function setText(parent: XmlElement, name: string, text: string, attrs: Record<string, string> = {}, after?: string): void {
  let el = child(parent, name);
  if (!el) {
    el = { name, attrs: {}, children: [], text: '' };
    const at = after ? parent.children.findIndex((c) => c.name === after) : -1;
    parent.children.splice(at >= 0 ? at + 1 : parent.children.length, 0, el);
  }
  el.text = text;
  el.children = [];
  Object.assign(el.attrs, attrs);
}

export function updateDomainXml(xml: string, c: DomainChanges): string {
  const d = parseXml(xml);
  if (d.name !== 'domain') throw new Error(`not a domain XML document (root <${d.name}>)`);
  delete d.attrs.id;
  if (c.name !== undefined) setText(d, 'name', c.name);
  if (c.newUuid) d.children = d.children.filter((x) => x.name !== 'uuid');
  if (c.title !== undefined) setText(d, 'title', c.title, {}, 'name');
  if (c.description !== undefined) setText(d, 'description', c.description, {}, 'name');
  if (c.memoryMiB !== undefined) {
    const kib = String(Math.round(c.memoryMiB * 1024));
    setText(d, 'memory', kib, { unit: 'KiB' });
    setText(d, 'currentMemory', kib, { unit: 'KiB' }, 'memory');
  }
  if (c.vcpus !== undefined) {
    const v = child(d, 'vcpu');
    setText(d, 'vcpu', String(c.vcpus));
    if (v) delete v.attrs.current;
  }
  if (c.cpu !== undefined) {
    const el = parseXml(renderXml(cpuNode(cpuSpecOf(c.cpu))));
    const at = d.children.findIndex((x) => x.name === 'cpu');
    // Where libvirt itself puts <cpu>: after <features>, before the clock and lifecycle elements.
    const after = Math.max(d.children.findIndex((x) => x.name === 'features'), d.children.findIndex((x) => x.name === 'os'));
    if (at >= 0) d.children[at] = el;
    else d.children.splice(after >= 0 ? after + 1 : d.children.length, 0, el);
  }
  const dev = child(d, 'devices');
  if (c.newMacs) for (const i of children(dev, 'interface')) i.children = i.children.filter((x) => x.name !== 'mac');
  for (const disk of children(dev, 'disk')) {
    const target = child(disk, 'target')?.attrs.dev ?? '';
    const path = c.diskPaths?.[target];
    const vol = c.diskVolumes?.[target];
    if (!path && !vol) continue;
    disk.children = disk.children.filter((x) => x.name !== 'source' && x.name !== 'backingStore');
    const src: XmlElement = { name: 'source', attrs: path ? { file: path } : { pool: vol!.pool, volume: vol!.volume }, children: [], text: '' };
    disk.attrs.type = path ? 'file' : 'volume';
    const at = disk.children.findIndex((x) => x.name === 'driver');
    disk.children.splice(at + 1, 0, src);
  }
  // A serial log named after the old domain follows the new name.
  if (c.name !== undefined) {
    const old = parseXml(xml).children.find((x) => x.name === 'name')?.text;
    for (const s of [...children(dev, 'serial'), ...children(dev, 'console')]) {
      const log = child(s, 'log');
      if (old && log?.attrs.file?.includes(old)) log.attrs.file = log.attrs.file.split(old).join(c.name);
    }
  }
  return renderElement(d);
}
