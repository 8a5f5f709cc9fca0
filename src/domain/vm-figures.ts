// The VM list's figures as pure data and functions: the row type, sort
// comparators for every column, delta markers (k9s-style: a value that jumped
// since the last tick is marked), and the compact number formats. No I/O.
import type { DomainStateName, DomainSummary } from '../virt/types.ts';
import { compactBytes } from './size.ts';

/** One VM in the monitoring list: its identity and state plus the live figures of the last tick. */
export interface VmRow extends DomainSummary {
  /** CPU use as a share of the VM's own vCPUs (0-100); undefined until two samples exist. */
  cpuPercent?: number;
  /** CPU use as a share of the whole host (0-100), as virt-top shows it. */
  cpuPercentHost?: number;
  /** Memory the guest says it uses (balloon driver with stats), KiB, where reported. */
  guestUsedKiB?: number;
  diskReadBps: number;
  diskWriteBps: number;
  diskReadIops: number;
  diskWriteIops: number;
  netRxBps: number;
  netTxBps: number;
  /** Seconds since the VM started, where known. */
  uptimeSec?: number;
  /** Figures that jumped since the previous tick, by column id. */
  marks: Partial<Record<SortKey, 'up' | 'down'>>;
}

export type SortKey = 'name' | 'state' | 'vcpus' | 'cpu' | 'memory' | 'diskRead' | 'diskWrite' | 'netRx' | 'netTx' | 'uptime';

export const SORT_KEYS: readonly SortKey[] = ['name', 'state', 'vcpus', 'cpu', 'memory', 'diskRead', 'diskWrite', 'netRx', 'netTx', 'uptime'];

/** Memory shown in the list: what the guest reports using when it does, else what it has (balloon). */
export function vmMemoryKiB(r: VmRow): number {
  return r.guestUsedKiB ?? r.memoryKiB;
}

const STATE_ORDER: Record<DomainStateName, number> = { running: 0, blocked: 1, paused: 2, pmsuspended: 3, shutdown: 4, crashed: 5, shutoff: 6, nostate: 7 };

/** The value a column sorts by; undefined when the VM has no figure there (a shut-off VM's CPU %). */
export function sortValue(r: VmRow, k: SortKey): number | string | undefined {
  switch (k) {
    case 'name': return r.name;
    case 'state': return STATE_ORDER[r.state];
    case 'vcpus': return r.vcpus;
    case 'cpu': return r.cpuPercent;
    case 'memory': return vmMemoryKiB(r);
    case 'diskRead': return r.diskReadBps;
    case 'diskWrite': return r.diskWriteBps;
    case 'netRx': return r.netRxBps;
    case 'netTx': return r.netTxBps;
    case 'uptime': return r.uptimeSec;
  }
}

/** Columns that sort biggest first by default (as virt-top and top do). */
export function defaultDesc(k: SortKey): boolean {
  return k !== 'name' && k !== 'state';
}

/**
 * A sorted copy; VMs without a figure in the column come after every VM with
 * one, in either direction; ties are broken by name so the order is stable across ticks.
 */
export function sortRows(rows: readonly VmRow[], k: SortKey, desc: boolean): VmRow[] {
  const dir = desc ? -1 : 1;
  // Plain code-point order for names (localeCompare is ~50x slower and a sort of 1000 rows calls it ~10k times).
  const byName = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const keyed = rows.map((r) => ({ r, v: sortValue(r, k) }));
  keyed.sort((a, b) => {
    if (a.v === undefined || b.v === undefined) {
      if (a.v !== b.v) return a.v === undefined ? 1 : -1;
      return byName(a.r.name, b.r.name);
    }
    const c = typeof a.v === 'string' ? byName(a.v, b.v as string) : (a.v as number) - (b.v as number);
    return c !== 0 ? c * dir : byName(a.r.name, b.r.name);
  });
  return keyed.map((x) => x.r);
}

/** Whether a rate jumped: at least doubled (or halved) and by a noticeable amount. */
function rateJump(prev: number, cur: number, floor: number): 'up' | 'down' | undefined {
  if (cur > prev * 2 && cur - prev >= floor) return 'up';
  if (cur < prev / 2 && prev - cur >= floor) return 'down';
  return undefined;
}

/** Delta markers between the previous and the current figures of one VM. */
export function deltaMarks(prev: VmRow | undefined, cur: Omit<VmRow, 'marks'>): VmRow['marks'] {
  const m: VmRow['marks'] = {};
  if (!prev) return m;
  if (prev.state !== cur.state) m.state = STATE_ORDER[cur.state] < STATE_ORDER[prev.state] ? 'up' : 'down';
  if (prev.cpuPercent !== undefined && cur.cpuPercent !== undefined && Math.abs(cur.cpuPercent - prev.cpuPercent) >= 20) m.cpu = cur.cpuPercent > prev.cpuPercent ? 'up' : 'down';
  const pm = vmMemoryKiB(prev);
  const cm = cur.guestUsedKiB ?? cur.memoryKiB;
  if (pm > 0 && Math.abs(cm - pm) / pm >= 0.1) m.memory = cm > pm ? 'up' : 'down';
  const MiB = 1024 * 1024;
  const pairs: [SortKey, number, number][] = [
    ['diskRead', prev.diskReadBps, cur.diskReadBps], ['diskWrite', prev.diskWriteBps, cur.diskWriteBps],
    ['netRx', prev.netRxBps, cur.netRxBps], ['netTx', prev.netTxBps, cur.netTxBps],
  ];
  for (const [k, p, c] of pairs) {
    const j = rateJump(p, c, MiB);
    if (j) m[k] = j;
  }
  if (prev.vcpus !== cur.vcpus) m.vcpus = cur.vcpus > prev.vcpus ? 'up' : 'down';
  return m;
}

export function formatPercent(p: number | undefined): string {
  return p === undefined ? '-' : p >= 99.95 ? '100' : p.toFixed(1);
}

/** States in which a VM holds its vCPUs and memory on the host (QEMU runs for it). */
const ACTIVE: ReadonlySet<DomainStateName> = new Set(['running', 'blocked', 'paused', 'pmsuspended', 'shutdown']);

/** The host's totals under the VM list, as virt-top's header has them. */
export interface VmTotals {
  /** vCPUs of every defined VM, and of the active ones. */
  vcpus: number;
  activeVcpus: number;
  /** Memory given to the active VMs (their current balloon size), KiB. */
  activeMemoryKiB: number;
  /** The VMs' CPU use summed, as a share of the whole host; undefined while no VM has a figure. */
  cpuPercentHost?: number;
}

export function vmTotals(rows: readonly VmRow[]): VmTotals {
  const t: VmTotals = { vcpus: 0, activeVcpus: 0, activeMemoryKiB: 0 };
  for (const r of rows) {
    t.vcpus += r.vcpus;
    if (ACTIVE.has(r.state)) { t.activeVcpus += r.vcpus; t.activeMemoryKiB += r.memoryKiB; }
    if (r.cpuPercentHost !== undefined) t.cpuPercentHost = (t.cpuPercentHost ?? 0) + r.cpuPercentHost;
  }
  return t;
}

/** The totals line: what the active VMs hold, against the host where its memory is known. */
export function totalsText(t: VmTotals, hostMemoryKiB: number | undefined): string {
  const mem = `${compactBytes(t.activeMemoryKiB * 1024)}${hostMemoryKiB ? ` of ${compactBytes(hostMemoryKiB * 1024)} host` : ''}`;
  return `active VMs: ${t.activeVcpus} vCPU · memory ${mem} · CPU ${t.cpuPercentHost === undefined ? '-' : `${formatPercent(t.cpuPercentHost)} %`} of host · all VMs: ${t.vcpus} vCPU`;
}

/** The fields a filter matches one row by, each on its own: name, state and uuid. */
export function filterFields(r: VmRow): string[] {
  return [r.name, r.state, r.uuid];
}

/** Refresh intervals the operator can pick (ms). */
export const REFRESH_STEPS: readonly number[] = [500, 1000, 2000, 3000, 5000, 10_000];

export function nextRefresh(ms: number, dir: 1 | -1): number {
  const i = REFRESH_STEPS.findIndex((s) => s >= ms);
  const at = i < 0 ? REFRESH_STEPS.length - 1 : i;
  return REFRESH_STEPS[Math.max(0, Math.min(REFRESH_STEPS.length - 1, at + dir))]!;
}
