// Hooks as VDSM has them: a directory per hook point under one root, whose
// executables run in name order around an action. The pure rules: which
// points there are, which files may run (a hook runs as root, so one that
// anyone but root can change is refused), the settings' rules and the
// error a hook's failure is.
import { CoreError, InvalidInputError, type ErrorCategory } from './errors.ts';

/** The actions hooks run around; each has a before_<action> and an after_<action> directory. */
export const HOOK_ACTIONS = [
  'vm_start', 'vm_shutdown', 'vm_destroy', 'vm_pause', 'vm_resume', 'vm_save', 'vm_restore', 'vm_snapshot',
  'nic_hotplug', 'nic_hotunplug', 'disk_hotplug', 'disk_hotunplug', 'network_setup', 'service_start',
] as const;
export type HookAction = (typeof HOOK_ACTIONS)[number];
export type HookPoint = `${'before' | 'after'}_${HookAction}`;

export const HOOK_POINTS: readonly HookPoint[] = HOOK_ACTIONS.flatMap((a) => [`before_${a}`, `after_${a}`] as const);

export const DEFAULT_HOOKS_ROOT = '/usr/libexec/hostdeck/hooks';
export const DEFAULT_HOOK_TIMEOUT_S = 30;
export const MAX_HOOK_TIMEOUT_S = 3600;
/** The largest domain XML a hook may hand back (libvirt's own definitions are a few KiB). */
export const HOOK_DOMXML_MAX_BYTES = 1024 * 1024;
/** The environment variable naming the file with the domain XML (VDSM's name). */
export const HOOK_DOMXML_ENV = '_hook_domxml';

export interface HookSettings {
  /** False: no hook directory is read at all (HOSTDECK_HOOKS=off). */
  enabled: boolean;
  root: string;
  timeoutMs: number;
}

/** One file in a hook point's directory and, when it does not run, why. */
export interface HookScript {
  name: string;
  path: string;
  /** Why it does not run; `warn` when that is a risk the operator must hear of (an event), not a file left aside (a README). */
  refused?: { reason: string; warn: boolean };
}

export interface HookPointListing {
  point: HookPoint;
  dir: string;
  exists: boolean;
  /** Why none of this point's scripts run (its directory, or the root, is unsafe). */
  refused?: string;
  scripts: HookScript[];
}

/** One line of a hook listing: a script, or a hook point with none, and whether it runs. */
export interface HookRow {
  point: HookPoint;
  /** The script's name; '-' for a point without scripts. */
  script: string;
  status: string;
  /** 'runs', 'idle' (nothing there to run), 'skipped' (a file left aside) or 'refused' (a risk: it was evented). */
  state: 'runs' | 'idle' | 'skipped' | 'refused';
  /** The directory, or the script's path. */
  path: string;
}

/** The rows the CLI and the console list: every script in the order it runs, and each point without scripts once. */
export function hookRows(points: readonly HookPointListing[]): HookRow[] {
  return points.flatMap((p): HookRow[] => {
    if (!p.exists) return [{ point: p.point, script: '-', status: 'no directory', state: 'idle', path: p.dir }];
    if (p.refused) {
      const status = `refused: ${p.refused}`;
      return p.scripts.length ? p.scripts.map((s) => ({ point: p.point, script: s.name, status, state: 'refused', path: s.path })) : [{ point: p.point, script: '-', status, state: 'refused', path: p.dir }];
    }
    if (!p.scripts.length) return [{ point: p.point, script: '-', status: 'empty', state: 'idle', path: p.dir }];
    return p.scripts.map((s) => (s.refused
      ? { point: p.point, script: s.name, status: `${s.refused.warn ? 'refused' : 'skipped'}: ${s.refused.reason}`, state: s.refused.warn ? 'refused' : 'skipped', path: s.path }
      : { point: p.point, script: s.name, status: 'runs', state: 'runs', path: s.path }));
  });
}

/** What a hook's file or directory looks like, as stat says it. */
export interface HookFileFacts {
  kind: 'file' | 'directory' | 'other';
  /** Permission bits (mode & 0o7777). */
  mode: number;
  uid: number;
}

// Characters the runner refuses in a program name, and ones a path should not hold anyway.
const UNSAFE_PATH = /[\s;|&$`<>'"\\*?![\]{}()#~]/;

/** Why a hook directory or file cannot be trusted to run as root, or undefined. `owners`: root and this process's user. */
export function hookPermissionProblem(f: HookFileFacts, owners: readonly number[]): string | undefined {
  if (!owners.includes(f.uid)) return `owned by uid ${f.uid}, not by root: a hook runs as root`;
  if (f.mode & 0o022) return `writable by ${f.mode & 0o020 ? (f.mode & 0o002 ? 'group and others' : 'group') : 'others'} (mode ${f.mode.toString(8).padStart(4, '0')}): a hook runs as root`;
  return undefined;
}

/** Why a file in a hook point's directory does not run, or undefined when it runs. */
export function hookScriptProblem(name: string, f: HookFileFacts, owners: readonly number[]): HookScript['refused'] {
  if (f.kind !== 'file') return { reason: f.kind === 'directory' ? 'a directory, not a program' : 'not a regular file', warn: false };
  if (!(f.mode & 0o111)) return { reason: 'not executable', warn: false };
  const p = hookPermissionProblem(f, owners);
  if (p) return { reason: p, warn: true };
  if (UNSAFE_PATH.test(name)) return { reason: 'its name has a space or a shell character: rename it', warn: true };
  return undefined;
}

/** Files a hook directory holds that are not hooks at all (editor and package manager leftovers). */
export function isHookCandidate(name: string): boolean {
  return !name.startsWith('.') && !name.endsWith('~') && !/\.(rpmnew|rpmsave|dpkg-[a-z]+)$/.test(name);
}

/** Name order as VDSM runs them: by bytes, not by locale (10-a before 9-b). */
export function hookOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const invalid = (field: string, rule: string) => new InvalidInputError([{ field, message: `${field}: ${rule}` }]);

/** The hook settings from the environment: HOSTDECK_HOOKS (on|off), HOSTDECK_HOOKS_DIR, HOSTDECK_HOOK_TIMEOUT (seconds). */
export function resolveHookSettings(env: Record<string, string | undefined>): HookSettings {
  const on = env.HOSTDECK_HOOKS || 'on';
  if (on !== 'on' && on !== 'off') throw invalid('HOSTDECK_HOOKS', `must be on or off (got ${JSON.stringify(on.slice(0, 40))})`);
  const root = env.HOSTDECK_HOOKS_DIR || DEFAULT_HOOKS_ROOT;
  if (!root.startsWith('/') || UNSAFE_PATH.test(root) || root.includes('\0')) {
    throw invalid('HOSTDECK_HOOKS_DIR', `must be an absolute path without spaces or shell characters (got ${JSON.stringify(root.slice(0, 80))})`);
  }
  const t = env.HOSTDECK_HOOK_TIMEOUT || String(DEFAULT_HOOK_TIMEOUT_S);
  const s = /^\d+(\.\d{1,3})?$/.test(t) ? Number(t) : NaN;
  if (!(s > 0 && s <= MAX_HOOK_TIMEOUT_S)) {
    throw invalid('HOSTDECK_HOOK_TIMEOUT', `must be a number of seconds above 0 and at most ${MAX_HOOK_TIMEOUT_S} (got ${JSON.stringify(t.slice(0, 40))})`);
  }
  return { enabled: on === 'on', root: root.replace(/\/+$/, '') || '/', timeoutMs: Math.round(s * 1000) };
}

/** The end of a hook's standard error, as a message carries it. */
export function hookOutputTail(text: string, maxChars = 1000): string {
  const t = text.trim().split('\n').slice(-10).join(' | ');
  return t.length > maxChars ? `...${t.slice(-maxChars)}` : t;
}

/**
 * A hook stopped the action (it failed, ran out of time, or handed back a
 * domain XML hostdeck refuses). The CLI exits 1; the action's failure
 * event carries the message.
 */
export class HookError extends CoreError {
  readonly category: ErrorCategory = 'failed';
  constructor(public readonly point: HookPoint, public readonly script: string, message: string) {
    super(`${point} hook ${script}: ${message}`);
    this.name = 'HookError';
  }
}
