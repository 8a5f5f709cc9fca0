// Snapshots of a domain: a pure parser for `virsh snapshot-list <dom> --parent`
// (recorded: test/fixtures/virsh/snapshot-list-parent.txt), the tree built
// from it, and list, create, revert and delete on a connection.
import { parseVirshTable, virshArgs } from './virsh.ts';
import type { VirtLink } from './link.ts';

export interface Snapshot {
  name: string;
  /** Creation time, ms since the epoch. */
  createdAt: number;
  /** The domain state the snapshot captured: running, shutoff, paused, disk-snapshot... */
  state: string;
  parent?: string;
  /** Whether this is the domain's current snapshot (what a revert goes back to). */
  current: boolean;
  /** The free text given when it was taken (read from its XML where asked for). */
  description?: string;
}

export interface SnapshotNode extends Snapshot {
  children: SnapshotNode[];
  depth: number;
}

/** "2026-11-23 22:41:18 +0000" -> ms since the epoch. */
export function parseVirshTime(text: string): number {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) ([+-]\d\d)(\d\d)$/.exec(text.trim());
  if (!m) return NaN;
  return Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`);
}

export function parseSnapshotList(text: string, current?: string): Snapshot[] {
  return parseVirshTable(text).map((r) => ({
    name: r.name ?? '',
    createdAt: parseVirshTime(r['creation time'] ?? ''),
    state: r.state ?? '',
    parent: r.parent || undefined,
    current: r.name === current,
  })).filter((s) => s.name);
}

/** Snapshots as a forest (roots first, children by creation time), each node with its depth. */
export function snapshotTree(list: readonly Snapshot[]): SnapshotNode[] {
  const nodes = new Map<string, SnapshotNode>(list.map((s) => [s.name, { ...s, children: [], depth: 0 }]));
  const roots: SnapshotNode[] = [];
  for (const n of nodes.values()) {
    const p = n.parent ? nodes.get(n.parent) : undefined;
    if (p) p.children.push(n);
    else roots.push(n);
  }
  const order = (xs: SnapshotNode[], depth: number) => {
    xs.sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
    for (const x of xs) { x.depth = depth; order(x.children, depth + 1); }
  };
  order(roots, 0);
  return roots;
}

/** The tree flattened in display order (parent before children). */
export function flattenSnapshotTree(roots: readonly SnapshotNode[]): SnapshotNode[] {
  const out: SnapshotNode[] = [];
  const walk = (xs: readonly SnapshotNode[]) => { for (const x of xs) { out.push(x); walk(x.children); } };
  walk(roots);
  return out;
}

// ---- on a connection ------------------------------------------------------------

/** A snapshot's create, revert or delete copies memory and disk state: minutes on a big guest. */
const SNAPSHOT_TIMEOUT_MS = 300_000;

/** Snapshots of a domain, each with its parent and whether it is current. */
export async function snapshotList(link: VirtLink, domain: string): Promise<Snapshot[]> {
  const [table, current] = await Promise.all([
    link.virsh(virshArgs('snapshot-list', { domain }, ['--parent'])),
    link.virsh(virshArgs('snapshot-current', { domain }, ['--name'])).then((t) => t.trim()).catch(() => undefined),
  ]);
  return parseSnapshotList(table, current || undefined);
}

/** Take a snapshot (with memory state while running); returns its name, the one libvirt gave it when `name` is empty. */
export async function snapshotCreate(link: VirtLink, domain: string, snap: { name?: string; description?: string }): Promise<string> {
  const out = await link.virsh(virshArgs('snapshot-create-as', { domain, name: snap.name || undefined, description: snap.description || undefined }), { timeoutMs: SNAPSHOT_TIMEOUT_MS });
  return snap.name || (/Domain snapshot (.+) created/.exec(out)?.[1] ?? '');
}

/**
 * Take a disk-only snapshot with every disk as `diskspecs` says (virsh's
 * --diskspec: TARGET,snapshot=external,file=PATH or TARGET,snapshot=no), all or nothing.
 */
export async function snapshotCreateDiskOnly(link: VirtLink, domain: string, snap: { name: string; description?: string }, diskspecs: readonly string[]): Promise<string> {
  await link.virsh(virshArgs('snapshot-create-as', { domain, name: snap.name, description: snap.description || undefined, diskspec: diskspecs }, ['--disk-only', '--atomic']), { timeoutMs: SNAPSHOT_TIMEOUT_MS });
  return snap.name;
}

/** A snapshot's XML (with the domain definition it captured). */
export async function snapshotGetXml(link: VirtLink, domain: string, snapshot: string): Promise<string> {
  return link.virsh(virshArgs('snapshot-dumpxml', { domain, snapshotname: snapshot }));
}

/** Go back to a snapshot (the domain takes the snapshot's state: running or shut off). */
export async function snapshotRevert(link: VirtLink, domain: string, snapshot: string): Promise<void> {
  await link.virsh(virshArgs('snapshot-revert', { domain, snapshotname: snapshot }), { timeoutMs: SNAPSHOT_TIMEOUT_MS });
}

/** Delete a snapshot (its children are re-parented), or with `children` the whole subtree. */
export async function snapshotDelete(link: VirtLink, domain: string, snapshot: string, opts: { children?: boolean } = {}): Promise<void> {
  await link.virsh(virshArgs('snapshot-delete', { domain, snapshotname: snapshot }, opts.children ? ['--children'] : []), { timeoutMs: SNAPSHOT_TIMEOUT_MS });
}
