// The host side of registering with an oVirt engine: input checks against
// this host (its users, its files), step progress, and writing system files.
// The registration itself (its steps in order, its event) is a core use case
// (src/core/engine.ts).
import { accessSync, constants, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { LookupFunction } from 'node:net';
import {
  REGISTRATION_STEPS, validateRegistration,
  type Registration, type RegistrationInput, type RegistrationStepId, type StepProgress, type StepStatus,
} from '../../domain/engine.ts';
import { EngineError, EngineInputError } from './errors.ts';

export { EngineInputError };
import { enginePaths, type EnginePaths } from './paths.ts';
import { lookupUser } from './ssh.ts';
import type { CaInfo } from './trust.ts';

export interface EngineEnv {
  paths?: EnginePaths;
  /** Per-request timeout in milliseconds (default 20 s). */
  timeoutMs?: number;
  lookup?: LookupFunction;
  /** Defaults for the node name and address (default: this host's name and management IP). */
  defaults?: () => Promise<{ name?: string; address?: string }>;
  /** Progress of every step, called on each change. */
  onProgress?: (steps: StepProgress[]) => void;
  /**
   * Asked when no fingerprint was given in advance, with the CA the engine
   * presented; resolve true only when the operator accepts it.
   */
  confirmTrust?: (ca: CaInfo) => Promise<boolean>;
}

/** This host's name and management IP (the defaults of the Engine screen and the CLI). */
export async function defaultIdentity(): Promise<{ name?: string; address?: string }> {
  const { hostOverview, managementIp } = await import('../system.ts');
  try {
    const h = await hostOverview();
    return { name: h.hostname, address: managementIp(h) };
  } catch {
    return { name: hostname() };
  }
}

/** Validate the input with the defaults filled in; throws EngineInputError listing every problem. */
export async function prepareRegistration(input: RegistrationInput, env: EngineEnv = {}): Promise<Registration> {
  const needDefaults = !input.name?.trim() || !input.address?.trim();
  const defaults = needDefaults ? await (env.defaults ?? defaultIdentity)() : {};
  const v = validateRegistration(input, defaults);
  if (!v.ok) throw new EngineInputError(v.errors);
  const paths = env.paths ?? enginePaths();
  if (!lookupUser(paths.passwdFile, v.value.sshUser)) {
    throw new EngineInputError([{ field: 'sshUser', message: `ssh user: there is no user "${v.value.sshUser}" on this host (${paths.passwdFile})` }]);
  }
  return v.value;
}

/** Every registration step's status, reported on each change. */
export class Progress {
  readonly steps: StepProgress[] = REGISTRATION_STEPS.map((s) => ({ id: s.id, status: 'pending' as StepStatus }));
  constructor(private readonly cb?: (s: StepProgress[]) => void) {}
  set(id: RegistrationStepId, status: StepStatus, detail?: string): void {
    const s = this.steps.find((x) => x.id === id)!;
    s.status = status;
    s.detail = detail;
    this.cb?.(this.steps.map((x) => ({ ...x })));
  }
  async run<T>(id: RegistrationStepId, fn: () => Promise<T>, detail?: (v: T) => string | undefined): Promise<T> {
    this.set(id, 'running');
    try {
      const v = await fn();
      this.set(id, 'done', detail?.(v));
      return v;
    } catch (e) {
      this.set(id, 'failed', (e as Error).message);
      throw e;
    }
  }
}

/** Where a file would be created: itself if it exists, else its nearest existing ancestor directory. */
function nearestExisting(p: string): string {
  let cur = p;
  while (!existsSync(cur) && dirname(cur) !== cur) cur = dirname(cur);
  return cur;
}

/** Refuse early (before any request) when the files registration writes cannot be written, e.g. not running as root. */
export function checkWritable(files: string[]): void {
  for (const f of files) {
    const at = nearestExisting(f);
    try {
      accessSync(at, constants.W_OK);
    } catch (e) {
      throw new EngineError('local', `cannot write ${f} (${(e as NodeJS.ErrnoException).code ?? 'no access'} on ${at}); registration changes system files: run hostdeck as root`);
    }
  }
}

export function writeFileAtomic(file: string, text: string, mode: number): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  const tmp = `${file}.hostdeck-${process.pid}`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}

export { unattendedInput, bootRegistrationValues } from './unattended-args.ts';
