// The dashboard's network line: backend, management interface, degraded
// bonds and an apply waiting for confirmation with its deadline. A polled
// store (every 5 s, only while the dashboard shows) over the core's read.
import type { HostOverview } from '../../src/host/system.ts';
import { bondHealth, type NetSummary, type NetworkUseCases } from '../../src/core/network.ts';
import { createPolledStore, type PolledStore } from '../../src/store/poller.ts';
import { backendLabel, secondsLeft } from './view.ts';

export { bondHealth, type NetSummary };

export function createNetSummaryStore(read: () => Promise<NetSummary>, intervalMs = 5000): PolledStore<NetSummary> {
  return createPolledStore<NetSummary>(read, intervalMs);
}

const summaryStores = new WeakMap<Pick<NetworkUseCases, 'summary'>, PolledStore<NetSummary>>();

/** The network line's store over a core's network use cases: one per core, so a return to the dashboard shows the last reading at once. */
export function networkSummaryStore(net: Pick<NetworkUseCases, 'summary'>): PolledStore<NetSummary> {
  let store = summaryStores.get(net);
  if (!store) summaryStores.set(net, (store = createNetSummaryStore(() => net.summary())));
  return store;
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
