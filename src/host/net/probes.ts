// The connectivity probes a network apply runs before and after the change
// (the DNS query and the engine's connection are the network test's too):
// ping for gateways and hosts, busybox nslookup for DNS servers, nc for the
// engine's port. Each runs on the target host.
import type { Target } from './target.ts';

export interface ProbeResult {
  name: 'gateway' | 'dns' | 'engine' | 'host';
  target: string;
  ok: boolean;
  detail: string;
}

export type ProbeTarget = Omit<ProbeResult, 'ok' | 'detail'>;

type Runs = Pick<Target, 'run'>;

/** A DNS server is tested by asking it (busybox nslookup), not by ping: any answer, NXDOMAIN included, shows it serves DNS. */
export async function queryDns(t: Runs, server: string, name: string): Promise<{ ok: boolean; detail: string }> {
  const r = await t.run('busybox', ['nslookup', name, server], { timeoutMs: 12_000 });
  if (r.spawnError) return { ok: false, detail: 'busybox (for nslookup) is not installed' };
  const text = `${r.stdout}\n${r.stderr}`;
  const ok = !r.timedOut && !/timed out|no servers could be reached|can't connect|connection refused/i.test(text) && /Server:|Name:|NXDOMAIN|can't find/i.test(text);
  return { ok, detail: ok ? `answers (${name})` : text.trim().split('\n').slice(-1)[0] || 'no answer' };
}

/** The engine (HOST:PORT, an IPv6 host in brackets) accepts TCP connections (nc -z). */
export async function connectTcp(t: Runs, hostPort: string): Promise<{ ok: boolean; detail: string }> {
  const [host, port] = [hostPort.slice(0, hostPort.lastIndexOf(':')), hostPort.slice(hostPort.lastIndexOf(':') + 1)];
  const r = await t.run('nc', ['-z', '-w', '3', '--', host.replace(/^\[|\]$/g, ''), port], { timeoutMs: 10_000 });
  return { ok: r.exitCode === 0, detail: r.exitCode === 0 ? 'accepts connections' : r.stderr.trim() || 'no connection' };
}

export async function probe(t: Target, p: ProbeTarget, dnsProbeName = 'localhost'): Promise<ProbeResult> {
  if (p.name === 'gateway' || p.name === 'host') {
    const r = await t.run('ping', ['-c', '1', '-W', '2', '--', p.target], { timeoutMs: 8_000 });
    return { ...p, ok: r.exitCode === 0, detail: r.exitCode === 0 ? 'answers ping' : (r.stdout.split('\n').find((l) => /loss|unreachable/i.test(l)) ?? r.stderr.trim()) || 'no answer' };
  }
  if (p.name === 'dns') return { ...p, ...(await queryDns(t, p.target, dnsProbeName)) };
  return { ...p, ...(await connectTcp(t, p.target)) };
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
