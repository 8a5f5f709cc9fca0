// Bulk domain statistics in process: hostdeck's native addon
// (domstats.c, built by scripts/build-addon.mjs into build/native/) calls
// virConnectGetAllDomainStats over a libvirt connection of its own, on a
// worker thread, and returns the text `virsh domstats` would print, or null
// when it is byte for byte the previous call's. The sampler prefers it to a
// long-running virsh (src/virt/virsh-session.ts), which stays the fallback
// where the addon is not built.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Addon {
  open(uri: string): object;
  sample(handle: object, stats: number, flags: number): Promise<string | null>;
  close(handle: object): void;
}

/** virDomainStatsTypes for each `virsh domstats` group option. */
const STATS_GROUPS: Readonly<Record<string, number>> = {
  '--state': 1 << 0,
  '--cpu-total': 1 << 1,
  '--balloon': 1 << 2,
  '--vcpu': 1 << 3,
  '--interface': 1 << 4,
  '--block': 1 << 5,
};
/** virConnectGetAllStatsFlags for `virsh domstats` options: --list-running (only running domains), --nowait. */
const FLAGS: Readonly<Record<string, number>> = {
  '--list-running': 1 << 4,
  '--nowait': 1 << 29,
};

/** Where the addon is built, relative to the project (scripts/build-addon.mjs). */
export const ADDON_RELATIVE_PATH = 'build/native/domstats.node';

let loaded: { addon?: Addon; reason?: string } | undefined;

/**
 * The addon, or why it is not there. Found by walking up from this module
 * (src/virt/native in the sources, dist/ in the bundle) to the project's
 * build/native.
 */
export function loadDomstatsAddon(): { addon?: Addon; reason?: string } {
  if (loaded) return loaded;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const path = join(dir, ADDON_RELATIVE_PATH);
    if (existsSync(path)) {
      try {
        return (loaded = { addon: createRequire(import.meta.url)(path) as Addon });
      } catch (e) {
        return (loaded = { reason: `${path}: ${(e as Error).message}` });
      }
    }
    dir = dirname(dir);
  }
  return (loaded = { reason: `${ADDON_RELATIVE_PATH} is not built (scripts/build-addon.mjs)` });
}

/** The addon's flags for a `virsh domstats` argument list (groups, --list-running and --nowait only). */
export function statsFlags(args: readonly string[]): { stats: number; flags: number } {
  let stats = 0;
  let flags = 0;
  for (const a of args) {
    if (a === 'domstats') continue;
    if (FLAGS[a] !== undefined) flags |= FLAGS[a];
    else if (STATS_GROUPS[a] !== undefined) stats |= STATS_GROUPS[a];
    else throw new Error(`domstats in process: unsupported argument ${a}`);
  }
  return { stats, flags };
}

/** One connection's bulk statistics; one call at a time. */
export class NativeDomstats {
  private handle?: object;
  private running?: Promise<string | null>;

  constructor(private readonly addon: Addon, private readonly uri: string) {}

  /**
   * The `virsh domstats` text for `args` (e.g. SAMPLER_DOMSTATS_ARGS), or
   * null when it is exactly the previous call's. A call made while one runs
   * waits for it and makes its own.
   */
  async sample(args: readonly string[]): Promise<string | null> {
    const { stats, flags } = statsFlags(args);
    while (this.running) await this.running.catch(() => undefined);
    this.handle ??= this.addon.open(this.uri);
    const p = this.addon.sample(this.handle, stats, flags);
    this.running = p;
    try {
      return await p;
    } finally {
      this.running = undefined;
    }
  }

  /** Closes the connection (after a running call); the next sample opens a new one. */
  close(): void {
    if (this.handle) this.addon.close(this.handle);
    this.handle = undefined;
  }
}
