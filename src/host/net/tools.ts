// The network test (the console's and `net test`): each target with its
// probe (ping a gateway or host, ask a DNS server, connect to the engine,
// resolve a name), one result per target. Which targets to test, and their
// validation, is a domain rule (src/domain/net/test-targets.ts).
import { isIP } from 'node:net';
import { mtuPayload, type MtuPathResult, type TestResult, type TestTarget } from '../../domain/net/test-targets.ts';
import type { InventoryRunner } from './inventory.ts';
import { connectTcp, queryDns } from './probes.ts';

/** `ping -c N` summary: received count and average round trip. */
export function parsePing(out: string): { sent: number; received: number; avgMs?: number } {
  const m = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(out);
  const rtt = /= [\d.]+\/([\d.]+)\//.exec(out);
  return { sent: Number(m?.[1] ?? 0), received: Number(m?.[2] ?? 0), avgMs: rtt ? Number(rtt[1]) : undefined };
}

async function ping(runner: InventoryRunner, t: TestTarget): Promise<TestResult> {
  const v6 = isIP(t.target) === 6;
  const r = await runner.run('ping', [...(v6 ? ['-6'] : []), '-n', '-c', '2', '-i', '0.3', '-W', '2', '--', t.target], { timeoutMs: 10_000 });
  if (r.spawnError) return { ...t, ok: false, detail: 'ping is not installed' };
  const p = parsePing(r.stdout);
  if (p.received > 0) return { ...t, ok: true, detail: `${p.received}/${p.sent} replies${p.avgMs !== undefined ? `, ${p.avgMs.toFixed(1)} ms` : ''}`, rttMs: p.avgMs };
  const why = (r.stderr.trim().split('\n').pop() ?? '') || (p.sent ? `no reply to ${p.sent} pings` : `ping exited with ${r.exitCode}`);
  return { ...t, ok: false, detail: r.timedOut ? 'no reply within 10 s' : why };
}

async function resolve(runner: InventoryRunner, t: TestTarget): Promise<TestResult> {
  const r = await runner.run('getent', ['ahosts', '--', t.target], { timeoutMs: 10_000 });
  if (r.spawnError) return { ...t, ok: false, detail: 'getent is not installed' };
  const addrs = [...new Set(r.stdout.split('\n').map((l) => l.split(/\s+/)[0]).filter((a): a is string => Boolean(a)))];
  if (r.exitCode === 0 && addrs.length) return { ...t, ok: true, detail: addrs.slice(0, 4).join(' ') };
  return { ...t, ok: false, detail: r.timedOut ? 'no answer within 10 s' : r.exitCode === 2 ? 'name not found' : `lookup failed (getent exited with ${r.exitCode})` };
}

async function probeTarget(runner: InventoryRunner, t: TestTarget, dnsName: string): Promise<TestResult> {
  switch (t.kind) {
    case 'resolve': return resolve(runner, t);
    case 'dns': return { ...t, ...(await queryDns(runner, t.target, dnsName)) };
    case 'engine': return { ...t, ...(await connectTcp(runner, t.target)) };
    default: return ping(runner, t);
  }
}

/** Runs every target (in parallel); onResult sees each as it finishes. dnsName: the name asked of each DNS server. */
export async function testNetwork(runner: InventoryRunner, targets: readonly TestTarget[], onResult?: (r: TestResult) => void, dnsName = 'localhost'): Promise<TestResult[]> {
  return Promise.all(targets.map(async (t) => {
    let r: TestResult;
    try {
      r = await probeTarget(runner, t, dnsName);
    } catch (e) {
      r = { ...t, ok: false, detail: (e as Error).message };
    }
    onResult?.(r);
    return r;
  }));
}

/** One ping of `size` payload bytes with don't-fragment (ping -M do): whether it came back. */
async function pingDf(runner: InventoryRunner, target: string, size: number): Promise<{ ok: boolean; why: string }> {
  const v6 = isIP(target) === 6;
  const r = await runner.run('ping', [...(v6 ? ['-6'] : []), '-n', '-M', 'do', '-s', String(size), '-c', '1', '-W', '1', '--', target], { timeoutMs: 5000 });
  if (r.spawnError) return { ok: false, why: 'ping is not installed' };
  if (parsePing(r.stdout).received > 0) return { ok: true, why: '' };
  return { ok: false, why: (r.stderr.trim().split('\n').pop() ?? '') || 'no reply' };
}

/**
 * The MTU path test: a ping with don't-fragment that fills `mtu`; when it does not
 * pass, the largest payload that does (halving the gap between a size that passed
 * and one that did not, about 16 pings at most).
 */
export async function testMtuPath(runner: InventoryRunner, target: string, mtu: number): Promise<MtuPathResult> {
  const family = isIP(target) === 6 ? 6 : 4;
  const size = mtuPayload(mtu, family);
  const full = await pingDf(runner, target, size);
  if (full.ok) return { target, mtu, size, ok: true, largest: size, detail: `${size} bytes pass unfragmented (MTU ${mtu})` };
  const small = await pingDf(runner, target, 0);
  if (!small.ok) return { target, mtu, size, ok: false, detail: `${target} does not answer ping at all: ${small.why}` };
  let pass = 0;
  let fail = size;
  while (fail - pass > 1) {
    const mid = Math.floor((pass + fail) / 2);
    if ((await pingDf(runner, target, mid)).ok) pass = mid;
    else fail = mid;
  }
  const pathMtu = pass + (family === 6 ? 48 : 28);
  return { target, mtu, size, ok: false, largest: pass, detail: `${size} bytes (MTU ${mtu}) do not pass unfragmented (${full.why}); the largest that passes is ${pass} bytes (path MTU ${pathMtu})` };
}
