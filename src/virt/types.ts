// Plain types the libvirt access layer returns (no I/O here).
import type { DomainDetails } from './xml/parse.ts';

export type DomainStateName = 'running' | 'blocked' | 'paused' | 'shutdown' | 'shutoff' | 'crashed' | 'pmsuspended' | 'nostate';

/** libvirt's virDomainState numbering. */
export const DOMAIN_STATES: readonly DomainStateName[] = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'];

export function domainStateName(n: number): DomainStateName {
  return DOMAIN_STATES[n] ?? 'nostate';
}

export interface DomainSummary {
  uuid: string;
  name: string;
  /** Running domain id, or -1 when inactive. */
  id: number;
  state: DomainStateName;
  vcpus: number;
  memoryKiB: number;
  maxMemoryKiB: number;
  cpuTimeNs: number;
}

/** Everything about one domain a detail view needs: list figures + XML details + flags. */
export interface DomainInfo extends DomainSummary {
  persistent: boolean;
  autostart: boolean;
  /** A managed save image exists (the next start resumes it). */
  managedSave: boolean;
  /** Number of snapshots. */
  snapshots: number;
  /** Parsed domain XML (live XML while running). */
  details: DomainDetails;
}

/** `virsh dominfo` as key/value pairs ("Autostart" -> "enable"). */
export function parseDomInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([^:]+):\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]!.trim()] = m[2]!;
  }
  return out;
}

export interface VirtVersion {
  library?: string;
  daemon?: string;
  hypervisor?: string;
}

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface ConnectionStatus {
  uri: string;
  state: ConnectionState;
  /** Why the last attempt failed, when disconnected. */
  error?: string;
  /** When the next reconnect attempt happens (ms since epoch). */
  retryAt?: number;
  version?: VirtVersion;
}

/** VM counts by state, for the dashboard. */
export function countByState(domains: readonly DomainSummary[]): Record<DomainStateName, number> & { total: number } {
  const c = { total: domains.length, running: 0, blocked: 0, paused: 0, shutdown: 0, shutoff: 0, crashed: 0, pmsuspended: 0, nostate: 0 };
  for (const d of domains) c[d.state]++;
  return c;
}
