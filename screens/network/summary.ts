// The dashboard's network line: backend, management interface, degraded
// bonds and an apply waiting for confirmation with its deadline. A polled
// store (every 5 s, only while the dashboard shows): `ip -j -d link`, the
// pending-apply state file, and the backend once.
import { detectBackend } from '../../src/host/net/backend.ts';
import { Target } from '../../src/host/net/target.ts';
import type { InventoryRunner } from '../../src/host/net/inventory.ts';
import type { HostOverview } from '../../src/host/system.ts';
import { createPolledStore, type PolledStore } from '../../src/store/poller.ts';
import { backendLabel, secondsLeft } from './view.ts';

export interface NetSummary {
  backend: 'networkmanager' | 'iproute2';
  /** Bonds with a port down (or no port): name and ports up/total. */
  degraded: { name: string; up: number; total: number }[];
  bonds: number;
  pending?: { deadline: number; who: string; status: string };
}

interface LinkJson { ifname: string; master?: string; linkinfo?: { info_kind?: string; info_slave_kind?: string; info_slave_data?: { mii_status?: string } } }

/** Bonds and their ports' MII state from `ip -j -d link show` (pure). */
export function bondHealth(json: string): { bonds: number; degraded: NetSummary['degraded'] } {
  let links: LinkJson[] = [];
  try { links = JSON.parse(json || '[]') as LinkJson[]; } catch { /* none */ }
  const bonds = links.filter((l) => l.linkinfo?.info_kind === 'bond');
  const degraded: NetSummary['degraded'] = [];
  for (const b of bonds) {
    const ports = links.filter((p) => p.master === b.ifname && p.linkinfo?.info_slave_kind === 'bond');
    const up = ports.filter((p) => p.linkinfo?.info_slave_data?.mii_status === 'UP').length;
    if (!ports.length || up < ports.length) degraded.push({ name: b.ifname, up, total: ports.length });
  }
  return { bonds: bonds.length, degraded };
}

export function createNetSummaryStore(runner: InventoryRunner, intervalMs = 5000): PolledStore<NetSummary> {
  const t = new Target(runner);
  let backend: Promise<NetSummary['backend']> | undefined;
  return createPolledStore<NetSummary>(async () => {
    // net-core's state directory, from its service (loaded with the first poll, after the first frame).
    const { STATE_DIR } = await import('../../src/host/net/service.ts');
    backend ??= detectBackend(t);
    const [be, links, pendingText] = await Promise.all([
      backend,
      runner.run('ip', ['-j', '-d', 'link', 'show'], { timeoutMs: 5000 }),
      t.readFile(`${STATE_DIR}/pending.json`),
    ]);
    const health = bondHealth(links.stdout);
    let pending: NetSummary['pending'];
    try {
      const p = pendingText ? JSON.parse(pendingText) as { deadline?: string; who?: string; status?: string } : undefined;
      if (p?.deadline && (p.status === 'waiting' || p.status === 'applying' || p.status === 'rolling-back')) pending = { deadline: Date.parse(p.deadline), who: p.who ?? '?', status: p.status };
    } catch { /* a half-written file: next poll */ }
    return { backend: be, ...health, pending };
  }, intervalMs);
}

/** The dashboard's network line. */
export function networkStatusLine(h: HostOverview | undefined, s: NetSummary | undefined, now = Date.now()): { label: string; text: string; role?: 'ok' | 'warn' | 'error' | 'dim' } {
  if (!h) return { label: 'network', text: '…', role: 'dim' };
  const m = h.management;
  const parts: string[] = [];
  if (s) parts.push(backendLabel({ backend: s.backend }));
  parts.push(m ? `management ${m.iface} ${m.state.toLowerCase()}${m.addresses.find((a) => a.scope === 'global') ? ` ${m.addresses.filter((a) => a.scope === 'global').map((a) => `${a.address}/${a.prefix}`)[0]}` : ''}, gateway ${h.gateway ?? h.gateway6 ?? 'none'}` : 'no management interface (no default route, no global address)');
  if (s?.degraded.length) parts.push(`degraded: ${s.degraded.map((d) => `${d.name} ${d.up}/${d.total} ports up`).join(', ')}`);
  else if (s?.bonds) parts.push(`${s.bonds} bond${s.bonds === 1 ? '' : 's'} healthy`);
  if (s?.pending) parts.push(s.pending.status === 'rolling-back' ? 'an apply is rolling back' : `apply pending (${s.pending.who}): rolls back in ${secondsLeft(s.pending.deadline, now)} s unless confirmed`);
  const role = s?.pending || s?.degraded.length ? 'warn' : !m ? 'warn' : m.state === 'UP' || m.state === 'UNKNOWN' ? 'ok' : 'warn';
  return { label: 'network', text: parts.join(' · '), role };
}
