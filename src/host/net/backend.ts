// What a network backend does. NetworkManager (nmcli + D-Bus checkpoints)
// and iproute2 (runtime changes persisted as systemd-networkd files)
// implement the same operations; detectBackend picks one.
import type { NetConfig } from '../../domain/net/model.ts';
import type { ReadParts } from './read.ts';
import type { Target } from './target.ts';

export type BackendName = 'networkmanager' | 'iproute2';

/** What rolls an apply back: saved in the pending state on the target. */
export interface Checkpoint {
  /** NetworkManager's checkpoint object path (networkmanager only). */
  nmPath?: string;
  /** The configuration before the apply (what a rollback restores). */
  before: NetConfig;
  /** Files the apply may write, with their content before (null: did not exist). */
  files: Record<string, string | null>;
}

export interface NetBackend {
  readonly name: BackendName;
  /** How long after realise() the host may take to show the change (asynchronous activation); verification polls that long. */
  readonly settleMs?: number;
  /** The host's configuration now; `parts` lets verification read only what a change touches. */
  read(parts?: ReadParts): Promise<NetConfig>;
  /** Take a checkpoint that rolls back by itself after `timeoutS` where the backend can (NetworkManager). */
  checkpoint(before: NetConfig, desired: NetConfig, timeoutS: number): Promise<Checkpoint>;
  /** Make the host's configuration `desired` (from `current`), persistently. */
  realise(current: NetConfig, desired: NetConfig, onStep?: (text: string) => void): Promise<void>;
  /** Called once when verification has waited a while (NUDGE_AFTER_MS) and the host (`got`) does not show the change yet. */
  nudge?(got: NetConfig): Promise<void>;
  /** Restore what the checkpoint saved. */
  rollback(cp: Checkpoint): Promise<void>;
  /** The change is kept: drop the checkpoint. */
  commit(cp: Checkpoint): Promise<void>;
  /** Let the checkpoint roll back by itself `timeoutS` from now (when waiting for confirmation begins). */
  adjust?(cp: Checkpoint, timeoutS: number): Promise<void>;
}

export const HOSTDECK_PREFIX = 'hostdeck-';
export const HOSTNAME_FILE = '/etc/hostname';
export const RESOLV_FILE = '/etc/resolv.conf';

/** NetworkManager when nmcli answers and NetworkManager is running; iproute2 otherwise. */
export async function detectBackend(t: Target): Promise<BackendName> {
  const r = await t.run('nmcli', ['-t', '-f', 'RUNNING', 'general', 'status'], { timeoutMs: 10_000 });
  return r.exitCode === 0 && r.stdout.trim() === 'running' ? 'networkmanager' : 'iproute2';
}

/** Writes the host name (runtime and /etc/hostname) and resolv.conf, shared by both backends. */
export async function setHostnameAndDns(t: Target, current: NetConfig, desired: NetConfig, resolvFile = RESOLV_FILE): Promise<void> {
  if (desired.hostname && desired.hostname !== current.hostname) {
    await t.ok('hostname', ['--', desired.hostname]);
    await t.writeFile(HOSTNAME_FILE, `${desired.hostname}\n`);
  }
  if (JSON.stringify(desired.dns) !== JSON.stringify(current.dns) && resolvFile) {
    await t.writeFile(resolvFile, resolvText(desired.dns));
  }
}

export function resolvText(dns: NetConfig['dns']): string {
  return ['# Written by hostdeck', ...(dns.search.length ? [`search ${dns.search.join(' ')}`] : []), ...dns.servers.map((s) => `nameserver ${s}`), ''].join('\n');
}

/** Files both backends may write, with their current content (for the checkpoint). */
export async function saveFiles(t: Target, paths: readonly string[]): Promise<Record<string, string | null>> {
  const texts = await Promise.all(paths.map((p) => t.readFile(p)));
  return Object.fromEntries(paths.map((p, i) => [p, texts[i] ?? null]));
}

/** Puts back what saveFiles read (removing what did not exist). */
export async function restoreFiles(t: Target, files: Record<string, string | null>): Promise<void> {
  const gone = Object.entries(files).filter(([, text]) => text === null).map(([p]) => p);
  if (gone.length) await t.ok('rm', ['-f', '--', ...gone]);
  await Promise.all(Object.entries(files).filter((e): e is [string, string] => e[1] !== null).map(([p, text]) => t.writeFile(p, text)));
}

/** Interfaces ordered so that what others depend on comes first (bonds, their ports, VLANs, bridges, ports, the rest). */
export function dependencyOrder(cfg: NetConfig, names: readonly string[]): string[] {
  const depth = new Map<string, number>();
  const d = (n: string, seen = new Set<string>()): number => {
    if (depth.has(n)) return depth.get(n)!;
    if (seen.has(n)) return 0;
    seen.add(n);
    const i = cfg.interfaces.find((x) => x.name === n);
    let v = 0;
    if (i?.vlan) v = Math.max(v, d(i.vlan.parent, seen) + 1);
    const ports = cfg.interfaces.filter((p) => p.master === n);
    for (const p of ports) v = Math.max(v, d(p.name, seen) + 1);
    depth.set(n, v);
    return v;
  };
  return [...names].sort((a, b) => d(a) - d(b) || a.localeCompare(b));
}
