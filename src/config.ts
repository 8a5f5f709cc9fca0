// Resolved configuration from flags and the environment, computed once.
import { userInfo } from 'node:os';
import { resolveDbPath } from './manager/db.ts';
import { resolveHookSettings, type HookSettings } from './domain/hooks.ts';
import { resolveHistoryRetention, type HistoryRetention } from './domain/history-aggregate.ts';

export interface Config {
  uri: string;
  dbPath: string;
  logFile: string;
  theme: ThemeName;
  readOnly: boolean;
  user: string;
  /** Console refresh interval in milliseconds. */
  refreshMs: number;
  /**
   * How the VM sampler reads bulk statistics (HOSTDECK_SAMPLER): `libvirt`
   * in process through hostdeck's addon, `virsh` through one long-running
   * virsh, `auto` (default) the addon where it is built, else virsh.
   */
  sampler?: SamplerKind;
  /** Where the hook points' directories are and how long a hook may run (HOSTDECK_HOOKS, HOSTDECK_HOOKS_DIR, HOSTDECK_HOOK_TIMEOUT). */
  hooks: HookSettings;
  /** How long the history keeps each level (HOSTDECK_HISTORY_MINUTE_HOURS, _HOUR_DAYS, _DAY_YEARS); unset: the defaults. */
  history?: HistoryRetention;
  /** The API's certificate file whose expiry the alerts watch (HOSTDECK_API_CERT); unset: not watched. */
  apiCertificate?: string;
}

export type SamplerKind = 'auto' | 'libvirt' | 'virsh';
export const SAMPLERS: readonly SamplerKind[] = ['auto', 'libvirt', 'virsh'];

export type ThemeName = 'dark' | 'light' | 'high-contrast';
export const THEMES: readonly ThemeName[] = ['dark', 'light', 'high-contrast'];

/**
 * libvirt's convention: -c/--connect, else LIBVIRT_DEFAULT_URI, else
 * qemu:///system. An empty environment variable counts as unset (the shell's
 * convention: `LIBVIRT_DEFAULT_URI= hostdeck ...` clears it), as an empty
 * HOSTDECK_DB does; an empty flag is refused by the CLI before it gets here.
 */
export function resolveUri(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag === '') throw new Error('--connect: must not be empty (give URI, or leave the option out)');
  return flag ?? (env.LIBVIRT_DEFAULT_URI || 'qemu:///system');
}

export function resolveLogFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOSTDECK_LOG) return env.HOSTDECK_LOG;
  return process.getuid?.() === 0 ? '/var/log/hostdeck/hostdeck.log' : `${env.HOME ?? '/tmp'}/.local/state/hostdeck/hostdeck.log`;
}

export function currentUser(env: NodeJS.ProcessEnv = process.env): string {
  try {
    const u = userInfo().username;
    return env.SUDO_USER ? `${env.SUDO_USER} (as ${u})` : u;
  } catch {
    return env.USER ?? 'unknown';
  }
}

export function resolveConfig(flags: { connect?: string; db?: string; theme?: string; readOnly?: boolean }, env: NodeJS.ProcessEnv = process.env): Config {
  if (flags.db === '') throw new Error('--db: must not be empty (give PATH, or leave the option out)');
  const theme = (flags.theme ?? env.HOSTDECK_THEME ?? 'dark') as ThemeName;
  if (!THEMES.includes(theme)) throw new Error(`--theme: must be one of ${THEMES.join(', ')} (got ${JSON.stringify(theme)})`);
  const sampler = (env.HOSTDECK_SAMPLER || 'auto') as SamplerKind;
  if (!SAMPLERS.includes(sampler)) throw new Error(`HOSTDECK_SAMPLER: must be one of ${SAMPLERS.join(', ')} (got ${JSON.stringify(sampler)})`);
  return {
    uri: resolveUri(flags.connect, env),
    dbPath: resolveDbPath(flags.db, env),
    logFile: resolveLogFile(env),
    theme,
    readOnly: Boolean(flags.readOnly) || env.HOSTDECK_READ_ONLY === '1',
    user: currentUser(env),
    refreshMs: 2000,
    sampler,
    hooks: resolveHookSettings(env),
    history: resolveHistoryRetention(env),
    ...(env.HOSTDECK_API_CERT ? { apiCertificate: env.HOSTDECK_API_CERT } : {}),
  };
}
