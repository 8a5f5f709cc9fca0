// The dashboard's network summary read from the host: backend, bonds with a
// port down, and an apply waiting for confirmation (its state file).
import { detectBackend } from './backend.ts';
import { STATE_DIR } from './pending.ts';
import { Target, type NetRunner } from './target.ts';

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

export function netSummaryReader(runner: NetRunner): () => Promise<NetSummary> {
  const t = new Target(runner);
  let backend: Promise<NetSummary['backend']> | undefined;
  return async () => {
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
  };
}
