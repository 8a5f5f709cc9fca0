// What the network test checks (the console's and `net test`): the default
// gateways (both families) and DNS servers the host uses, the engine when
// registered, then the hosts and the name the operator typed, each validated
// so that no target can reach ping or getent as an option.
import { isIP } from 'node:net';
import { isHostName } from '../engine.ts';
import type { FieldError } from '../errors.ts';

export type TestKind = 'gateway' | 'dns' | 'engine' | 'host' | 'resolve';
export interface TestTarget { kind: TestKind; target: string }
export interface TestResult extends TestTarget { ok: boolean; detail: string; rttMs?: number }

/** The host's gateways and DNS servers: the part of the network inventory a test reads. */
export interface HostResolvers {
  gateways: readonly { gateway: string; dev?: string }[];
  dns: { servers: readonly string[] };
}

/** A host to ping or a name to resolve: an IP address or an RFC 1123 name (so never an option to ping). */
export function targetError(field: string, v: string): FieldError | undefined {
  if (!v) return { field, message: 'is empty' };
  if (v.length > 253) return { field, message: 'is longer than 253 characters' };
  if (isIP(v)) return undefined;
  if (!isHostName(v)) return { field, message: `must be an IP address or a host name of letters, digits, '-' and '.' (got ${JSON.stringify(v.slice(0, 40))})` };
  return undefined;
}

/** The targets of a test: gateways and DNS servers from the inventory, the engine (when registered), then the typed hosts and name. */
export function testTargets<I extends HostResolvers>(inv: I | undefined, hosts: readonly string[], resolveName?: string, engine?: { host: string; port: number }): { targets: TestTarget[]; errors: FieldError[] } {
  const targets: TestTarget[] = [];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const add = (kind: TestKind, target: string) => { const k = `${kind} ${target}`; if (!seen.has(k)) { seen.add(k); targets.push({ kind, target }); } };
  // A link-local gateway (the usual IPv6 one) is reached only through its interface: ping it with the zone.
  for (const g of inv?.gateways ?? []) add('gateway', /^fe80:/i.test(g.gateway) && g.dev && !g.gateway.includes('%') ? `${g.gateway}%${g.dev}` : g.gateway);
  for (const d of inv?.dns.servers ?? []) add('dns', d);
  if (engine) add('engine', `${engine.host.includes(':') ? `[${engine.host}]` : engine.host}:${engine.port}`);
  for (const h of hosts) { const e = targetError('hosts', h); if (e) errors.push(e); else add('host', h); }
  if (resolveName) { const e = targetError('resolve', resolveName); if (e) errors.push(e); else add('resolve', resolveName); }
  return { targets, errors };
}

/** The MTU path test's limits: IPv4's smallest MTU to IPv6's jumbo-free largest (lo's 65536). */
export const MTU_MIN = 68;
export const MTU_MAX = 65536;
export function mtuError(field: string, v: number): FieldError | undefined {
  if (!Number.isInteger(v) || v < MTU_MIN || v > MTU_MAX) return { field, message: `must be a whole number from ${MTU_MIN} to ${MTU_MAX} (got ${v})` };
  return undefined;
}

/**
 * The ping payload (ping -s) whose packet fills an MTU: the MTU less the IP header
 * (20 bytes IPv4, 40 IPv6) and ICMP's 8; an IP packet carries at most 65535 bytes.
 */
export function mtuPayload(mtu: number, family: 4 | 6): number {
  return family === 6 ? Math.min(mtu, 65535 + 40) - 48 : Math.min(mtu, 65535) - 28;
}

export interface MtuPathResult { target: string; mtu: number; size: number; ok: boolean; largest?: number; detail: string }
