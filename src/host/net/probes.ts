// The connectivity probes a network apply runs before and after the change
// (and `net test`): ping for gateways and hosts, busybox nslookup for DNS
// servers, nc for the engine's port. Each runs on the target host.
import type { Target } from './target.ts';

export interface ProbeResult {
  name: 'gateway' | 'dns' | 'engine' | 'host';
  target: string;
  ok: boolean;
  detail: string;
}

export type ProbeTarget = Omit<ProbeResult, 'ok' | 'detail'>;

export async function probe(t: Target, p: ProbeTarget, dnsProbeName = 'localhost'): Promise<ProbeResult> {
  if (p.name === 'gateway' || p.name === 'host') {
    const r = await t.run('ping', ['-c', '1', '-W', '2', '--', p.target], { timeoutMs: 8_000 });
    return { ...p, ok: r.exitCode === 0, detail: r.exitCode === 0 ? 'answers ping' : (r.stdout.split('\n').find((l) => /loss|unreachable/i.test(l)) ?? r.stderr.trim()) || 'no answer' };
  }
  if (p.name === 'dns') {
    const r = await t.run('busybox', ['nslookup', dnsProbeName, p.target], { timeoutMs: 12_000 });
    const text = `${r.stdout}\n${r.stderr}`;
    const ok = !r.timedOut && !/timed out|no servers could be reached|can't connect|connection refused/i.test(text) && /Server:|Name:|NXDOMAIN|can't find/i.test(text);
    return { ...p, ok, detail: ok ? `answers (${dnsProbeName})` : text.trim().split('\n').slice(-1)[0] || 'no answer' };
  }
  const [host, port] = [p.target.slice(0, p.target.lastIndexOf(':')), p.target.slice(p.target.lastIndexOf(':') + 1)];
  const r = await t.run('nc', ['-z', '-w', '3', '--', host.replace(/^\[|\]$/g, ''), port], { timeoutMs: 10_000 });
  return { ...p, ok: r.exitCode === 0, detail: r.exitCode === 0 ? 'accepts connections' : r.stderr.trim() || 'no connection' };
}

/** The default gateways, the first DNS server and the engine (host:port) when registered. */
export async function probeTargets(t: Target, dnsServers: readonly string[], engine?: { host: string; port: number }): Promise<ProbeTarget[]> {
  const out: ProbeTarget[] = [];
  const r = await t.run('ip', ['-j', '-4', 'route', 'show', 'default']);
  const gws = r.exitCode === 0 ? (JSON.parse(r.stdout || '[]') as { gateway?: string }[]).map((x) => x.gateway).filter((g): g is string => Boolean(g)) : [];
  for (const g of new Set(gws)) out.push({ name: 'gateway', target: g });
  if (dnsServers[0]) out.push({ name: 'dns', target: dnsServers[0] });
  if (engine) out.push({ name: 'engine', target: `${engine.host.includes(':') ? `[${engine.host}]` : engine.host}:${engine.port}` });
  return out;
}
