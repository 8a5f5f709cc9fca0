// Snapshot listing: a pure parser for `virsh snapshot-list <dom> --parent`
// (recorded: test/fixtures/virsh/snapshot-list-parent.txt) and the tree
// built from it.
import { parseVirshTable } from './virsh.ts';

export interface Snapshot {
  name: string;
  /** Creation time, ms since the epoch. */
  createdAt: number;
  /** The domain state the snapshot captured: running, shutoff, paused, disk-snapshot... */
  state: string;
  parent?: string;
  /** Whether this is the domain's current snapshot (what a revert goes back to). */
  current: boolean;
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
