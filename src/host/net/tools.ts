// Network tools for the console (owned by net-screens):
// - Test network: ping the default gateways, the DNS servers and any host the
//   operator types; resolve a name; one result per target.
// - Emergency network reset: rebuild the management configuration on one
//   chosen NIC from scratch (the bonds, VLANs and bridges it is part of are
//   removed, the NIC gets DHCP or a static address), staged and applied
//   through net-core's service, so it is an event and rolls back unless
//   confirmed.
import { isIP } from 'node:net';
import { isHostName, type FieldError } from '../../domain/engine.ts';
import { applyChange, findIface, type IfaceConfig, type NetChange, type NetConfig } from '../../domain/net/model.ts';
import { validateChange } from '../../domain/net/validate.ts';
import type { InventoryRunner, NetInventory } from './inventory.ts';

export type TestKind = 'gateway' | 'dns' | 'host' | 'resolve';
export interface TestTarget { kind: TestKind; target: string }
export interface TestResult extends TestTarget { ok: boolean; detail: string; rttMs?: number }

/** A host to ping or a name to resolve: an IP address or an RFC 1123 name (so never an option to ping). */
export function targetError(field: string, v: string): FieldError | undefined {
  if (!v) return { field, message: 'is empty' };
  if (v.length > 253) return { field, message: 'is longer than 253 characters' };
  if (isIP(v)) return undefined;
  if (!isHostName(v)) return { field, message: `must be an IP address or a host name of letters, digits, '-' and '.' (got ${JSON.stringify(v.slice(0, 40))})` };
  return undefined;
}

/** The targets of a test: gateways and DNS servers from the inventory, then the typed hosts and name. */
export function testTargets(inv: Pick<NetInventory, 'gateways' | 'dns'> | undefined, hosts: readonly string[], resolveName?: string): { targets: TestTarget[]; errors: FieldError[] } {
  const targets: TestTarget[] = [];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const add = (kind: TestKind, target: string) => { const k = `${kind} ${target}`; if (!seen.has(k)) { seen.add(k); targets.push({ kind, target }); } };
  for (const g of inv?.gateways ?? []) add('gateway', g.gateway);
  for (const d of inv?.dns.servers ?? []) add('dns', d);
  for (const h of hosts) { const e = targetError('hosts', h); if (e) errors.push(e); else add('host', h); }
  if (resolveName) { const e = targetError('resolve', resolveName); if (e) errors.push(e); else add('resolve', resolveName); }
  return { targets, errors };
}

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

/** Runs every target (in parallel); onResult sees each as it finishes. */
export async function testNetwork(runner: InventoryRunner, targets: readonly TestTarget[], onResult?: (r: TestResult) => void): Promise<TestResult[]> {
  return Promise.all(targets.map(async (t) => {
    let r: TestResult;
    try {
      r = t.kind === 'resolve' ? await resolve(runner, t) : await ping(runner, t);
    } catch (e) {
      r = { ...t, ok: false, detail: (e as Error).message };
    }
    onResult?.(r);
    return r;
  }));
}

// ---- emergency reset ----

export interface ResetInput {
  nic: string;
  method: 'dhcp' | 'static';
  address?: string;
  gateway?: string;
  dns?: string[];
}

/** Everything stacked with the NIC: the bonds and bridges it is in, VLANs on them, bridges over those. */
function stackOf(cfg: NetConfig, nic: string): IfaceConfig[] {
  const names = new Set([nic]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const i of cfg.interfaces) {
      if (names.has(i.name)) continue;
      const linked = (i.vlan && names.has(i.vlan.parent)) || cfg.interfaces.some((p) => p.master === i.name && names.has(p.name));
      if (linked) { names.add(i.name); grew = true; }
    }
  }
  return cfg.interfaces.filter((i) => names.has(i.name) && i.name !== nic);
}

/**
 * The changes of an emergency reset, each validated against the
 * configuration the previous ones leave; errors name the field and nothing
 * is staged when there are any.
 */
export function resetChanges(cfg: NetConfig, input: ResetInput): { changes: NetChange[]; errors: FieldError[] } {
  const nic = findIface(cfg, input.nic);
  if (!nic) return { changes: [], errors: [{ field: 'nic', message: `${input.nic || '(empty)'} is not an interface of this host` }] };
  if (nic.kind !== 'ethernet') return { changes: [], errors: [{ field: 'nic', message: `${nic.name} is a ${nic.kind}; choose a NIC` }] };
  const order: Record<IfaceConfig['kind'], number> = { bridge: 0, vlan: 1, bond: 2, ethernet: 3 };
  const remove = stackOf(cfg, nic.name).sort((a, b) => order[a.kind] - order[b.kind]);
  const changes: NetChange[] = remove.map((i): NetChange => ({ op: i.kind === 'bridge' ? 'bridge.delete' : i.kind === 'vlan' ? 'vlan.delete' : 'bond.delete', name: i.name }));
  changes.push(input.method === 'dhcp'
    ? { op: 'ip.set', iface: nic.name, family: 4, method: 'dhcp', addresses: [] }
    : { op: 'ip.set', iface: nic.name, family: 4, method: 'static', addresses: input.address ? [input.address] : [], ...(input.gateway ? { gateway: input.gateway } : {}) });
  if (input.dns?.length) changes.push({ op: 'dns.set', servers: input.dns, search: cfg.dns.search });
  let cur = cfg;
  const errors: FieldError[] = [];
  for (const c of changes) {
    // Deleting something an earlier delete already removed (a VLAN under a bridge) is no error.
    if ((c.op === 'vlan.delete' || c.op === 'bond.delete' || c.op === 'bridge.delete') && !findIface(cur, c.name)) continue;
    const errs = validateChange(c, cur);
    if (errs.length) { errors.push(...errs.map((e) => ({ field: c.op === 'ip.set' ? (e.field === 'address' ? 'address' : e.field === 'gateway' ? 'gateway' : 'nic') : c.op === 'dns.set' ? 'dns' : 'nic', message: e.message }))); break; }
    cur = applyChange(cur, c);
  }
  return { changes: errors.length ? [] : changes.filter((c, i, all) => all.indexOf(c) === i), errors };
}

