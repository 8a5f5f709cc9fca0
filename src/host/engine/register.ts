// Registration of this host with an oVirt engine, as ordered steps with
// progress: get-version, get-pki-trust, the operator's trust decision, store
// the CA, get-ssh-trust into authorized_keys, the unique id, register.
// Nothing is written on this host before the CA is trusted.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { LookupFunction } from 'node:net';
import {
  REGISTRATION_STEPS, engineLabel, sameFingerprint, validateRegistration,
  type FieldError, type Registration, type RegistrationInput, type RegistrationStepId, type StepProgress, type StepStatus,
} from '../../domain/engine.ts';
import type { Db } from '../../manager/db.ts';
import { getSetting, setSetting } from '../../manager/db.ts';
import type { Channel, EventLog } from '../../manager/events.ts';
import { EngineError } from './errors.ts';
import { persistUniqueId, readUniqueId } from './identity.ts';
import { enginePaths, type EnginePaths } from './paths.ts';
import { HostRegisterClient, PROTOCOL_VERSION } from './protocol.ts';
import { authorizedKeysPath, hostKeyFingerprint, installAuthorizedKey, lookupUser, parsePublicKey, removeAuthorizedKey, sshFingerprint } from './ssh.ts';
import { engineState, readRegistration, UNATTENDED_KEY, writeRegistration, type EngineStatus, type StoredRegistration } from './state.ts';
import { parseCa, readCa, type CaInfo } from './trust.ts';
import { parseUnattended } from './unattended-args.ts';

export interface EngineServices {
  db: Db;
  events: EventLog;
}

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
  /** Event channel override (the unattended path records as 'system'). */
  channel?: Channel;
}

/** Bad input: nothing ran. Carries every field error. */
export class EngineInputError extends EngineError {
  constructor(public readonly errors: FieldError[]) {
    super('input', errors.map((e) => e.message).join('\n'));
    this.name = 'EngineInputError';
  }
}

export interface RegisterResult {
  registration: StoredRegistration;
  status: EngineStatus;
  ca: CaInfo;
  /** False when the engine's SSH key was already in authorized_keys. */
  keyAdded: boolean;
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

class Progress {
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

function writeFileAtomic(file: string, text: string, mode: number): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  const tmp = `${file}.hostdeck-${process.pid}`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}

/**
 * Register with the engine. Input is validated first (EngineInputError, no
 * request made). Every other outcome writes one event. The CA, the SSH key
 * and vdsm.id are written only after the CA is trusted and the engine's
 * HTTPS certificate has been verified against it.
 */
export async function registerWithEngine(services: EngineServices, input: RegistrationInput, env: EngineEnv = {}): Promise<RegisterResult> {
  const paths = env.paths ?? enginePaths();
  const reg = await prepareRegistration(input, env);
  const label = engineLabel(reg.engineHost, reg.enginePort);
  const existing = readRegistration(services.db);
  if (existing && (existing.engineHost !== reg.engineHost || existing.enginePort !== reg.enginePort)) {
    throw new EngineError('state', `this host is already registered with ${engineLabel(existing.engineHost, existing.enginePort)}; unregister it first (hostdeck engine unregister)`);
  }
  const sshUser = lookupUser(paths.passwdFile, reg.sshUser)!;
  checkWritable([paths.caFile, paths.vdsmIdFile, authorizedKeysPath(paths.root, sshUser)]);
  const progress = new Progress(env.onProgress);
  const client = new HostRegisterClient({ host: reg.engineHost, port: reg.enginePort, timeoutMs: env.timeoutMs, lookup: env.lookup });

  return services.events.action(
    { source: 'engine', objectType: 'engine', objectId: label, message: `Register as ${reg.name} (${reg.address}) with oVirt engine ${label}`, channel: env.channel },
    async ({ commit }) => {
      await progress.run('version', async () => {
        const v = await client.getVersion();
        if (v !== PROTOCOL_VERSION) {
          throw new EngineError('unsupported', `this engine is not supported: it speaks host-register version ${JSON.stringify(v.slice(0, 20))}, hostdeck speaks version ${PROTOCOL_VERSION}`);
        }
        return v;
      }, (v) => `version ${v}`);

      const ca = await progress.run('pki-trust', async () => parseCa(await client.getPkiTrust()), (c) => `${c.fingerprint} ${c.subject}`);

      await progress.run('trust', async () => {
        if (reg.fingerprint) {
          if (!sameFingerprint(reg.fingerprint, ca.fingerprint)) {
            throw new EngineError('fingerprint', `fingerprint mismatch: the engine presented a CA with fingerprint ${ca.fingerprint} (${ca.subject}), but ${reg.fingerprint} was expected; nothing was changed on this host`);
          }
          return 'matches the fingerprint given in advance';
        }
        const stored = readCa(paths.caFile);
        if (stored && sameFingerprint(stored.fingerprint, ca.fingerprint)) return `already trusted (${paths.caFile})`;
        if (!env.confirmTrust) {
          throw new EngineError('untrusted', `the engine CA was not trusted: no fingerprint was given in advance and no one can confirm it here. Check on the engine that its CA fingerprint is ${ca.fingerprint} and give it as the fingerprint`);
        }
        if (!(await env.confirmTrust(ca))) throw new EngineError('rejected', `the engine CA ${ca.fingerprint} (${ca.subject}) was not accepted; nothing was changed on this host`);
        return 'accepted by the operator';
      }, (how) => how);

      // Read everything that can fail before the first write.
      const user = sshUser;
      const uid = readUniqueId(paths);
      const hostKey = hostKeyFingerprint(paths.sshHostKeyDir);

      // The last request before anything is written: it proves the engine's
      // HTTPS certificate chains to the CA just trusted.
      const key = await progress.run('ssh-trust', async () => parsePublicKey(await client.getSshTrust(ca.pem)), (k) => `${k.type} ${sshFingerprint(k.blob)}`);

      await progress.run('store-ca', async () => {
        try {
          writeFileAtomic(paths.caFile, ca.pem, 0o644);
        } catch (e) {
          throw new EngineError('local', `could not store the engine CA in ${paths.caFile}: ${(e as Error).message}`);
        }
      }, () => paths.caFile);

      const installed = await progress.run('authorized-key', async () => installAuthorizedKey(paths.root, user, key), (r) => `${r.added ? 'added to' : 'already in'} ${r.file}`);

      await progress.run('unique-id', async () => {
        try {
          persistUniqueId(uid, paths.vdsmIdFile);
        } catch (e) {
          throw new EngineError('local', `could not write ${paths.vdsmIdFile}: ${(e as Error).message}`);
        }
        return uid;
      }, (u) => `${u.id} (from ${u.source === 'dmi' ? 'the DMI system UUID' : paths.vdsmIdFile})`);

      await progress.run('register', async () => {
        const answer = await client.register({
          name: reg.name, address: reg.address, uniqueId: uid.id, sshUser: reg.sshUser, sshPort: reg.sshPort, vdsPort: reg.vdsPort,
          sshKeyFingerprint: hostKey?.fingerprint,
        }, ca.pem);
        if (answer !== 'OK') throw new EngineError('protocol', `register answered ${JSON.stringify(answer.slice(0, 80))} instead of OK`);
      }, () => 'registered, pending approval');

      const stored: StoredRegistration = {
        engineHost: reg.engineHost, enginePort: reg.enginePort, caFingerprint: ca.fingerprint, caSubject: ca.subject,
        name: reg.name, address: reg.address, sshUser: reg.sshUser, sshPort: reg.sshPort, vdsPort: reg.vdsPort, uniqueId: uid.id,
        engineSshKey: key.line, authorizedKeysFile: installed.file, sshKeyFingerprint: hostKey?.fingerprint,
        registeredAt: new Date().toISOString(),
      };
      commit(() => writeRegistration(services.db, stored));
      return { registration: stored, status: engineState(services, paths), ca, keyAdded: installed.added };
    },
  );
}

export interface UnregisterResult {
  engine: string;
  removedKey: boolean;
  removedCa: boolean;
}

/**
 * Forget the engine on this host: remove the SSH key it installed and the
 * CA it stored (when still the same), and the registration. The engine is
 * not told (the protocol has no such command): remove the host there too.
 */
export async function unregisterFromEngine(services: EngineServices, env: Pick<EngineEnv, 'paths' | 'channel'> = {}): Promise<UnregisterResult> {
  const paths = env.paths ?? enginePaths();
  const reg = readRegistration(services.db);
  if (!reg) throw new EngineError('state', 'this host is not registered with an engine');
  const label = engineLabel(reg.engineHost, reg.enginePort);
  return services.events.action(
    { source: 'engine', objectType: 'engine', objectId: label, message: `Unregister from oVirt engine ${label}`, channel: env.channel },
    async ({ commit }) => {
      let removedKey = false;
      const user = lookupUser(paths.passwdFile, reg.sshUser);
      if (user && reg.engineSshKey) removedKey = removeAuthorizedKey(paths.root, user, parsePublicKey(reg.engineSshKey));
      let removedCa = false;
      const ca = readCa(paths.caFile);
      if (ca && sameFingerprint(ca.fingerprint, reg.caFingerprint)) {
        rmSync(paths.caFile, { force: true });
        removedCa = true;
      }
      commit(() => writeRegistration(services.db, null));
      return { engine: label, removedKey, removedCa };
    },
  );
}

export type UnattendedOutcome =
  | { status: 'not-requested' }
  | { status: 'already-registered'; message: string }
  | { status: 'already-attempted'; message: string }
  | { status: 'refused'; message: string }
  | { status: 'failed'; message: string }
  | { status: 'registered'; message: string; result: RegisterResult };

/** The unattended values: the file first, the kernel command line overriding it. */
export function unattendedInput(cmdlineText: string, fileText = ''): RegistrationInput | undefined {
  const fromFile = parseUnattended(fileText);
  const fromCmdline = parseUnattended(cmdlineText);
  if (!fromFile && !fromCmdline) return undefined;
  const merged = { ...(fromFile ?? {}), ...(fromCmdline ?? {}) };
  return merged.engine ? (merged as RegistrationInput) : undefined;
}

const readText = (p: string) => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
};

/** The unattended values this host was booted with (kernel command line over the file), if any; to prefill the Engine screen. */
export function bootRegistrationValues(paths: EnginePaths = enginePaths()): RegistrationInput | undefined {
  return unattendedInput(readText(paths.procCmdline), readText(paths.unattendedFile));
}

/**
 * Register at first start without the UI, from `management_server=` (and
 * `management_server_fingerprint=`) on the kernel command line or in the
 * unattended file. Never throws: the console start goes on whatever happens,
 * and the outcome is in the event log. Without a fingerprint it refuses
 * rather than trusting blindly. Each set of values is tried once
 * (`force` tries again).
 */
export async function unattendedRegistration(
  services: EngineServices,
  cmdlineText?: string,
  env: EngineEnv & { force?: boolean } = {},
): Promise<UnattendedOutcome> {
  const paths = env.paths ?? enginePaths();
  const input = unattendedInput(cmdlineText ?? readText(paths.procCmdline), readText(paths.unattendedFile));
  if (!input) return { status: 'not-requested' };
  const attemptKey = JSON.stringify([input.engine, input.fingerprint ?? '']);
  const existing = readRegistration(services.db);
  if (existing) return { status: 'already-registered', message: `already registered with ${engineLabel(existing.engineHost, existing.enginePort)}` };
  if (!env.force && getSetting(services.db, UNATTENDED_KEY) === attemptKey) {
    return { status: 'already-attempted', message: `unattended registration with ${input.engine} was already attempted; see the event log, or register from the Engine screen` };
  }
  setSetting(services.db, UNATTENDED_KEY, attemptKey);
  if (!input.fingerprint?.trim()) {
    const message = `Unattended registration with ${input.engine} not done: management_server_fingerprint is not given, and the engine CA is not trusted blindly; register from the Engine screen or with hostdeck engine register after checking the fingerprint`;
    services.events.record({ source: 'engine', objectType: 'engine', objectId: input.engine, severity: 'warning', message, result: 'failure', channel: env.channel ?? 'system' });
    return { status: 'refused', message };
  }
  try {
    const result = await registerWithEngine(services, input, { ...env, paths, channel: env.channel ?? 'system', confirmTrust: undefined });
    return { status: 'registered', message: result.status.summary, result };
  } catch (e) {
    if (e instanceof EngineInputError) {
      const message = `Unattended registration values are not valid: ${e.message.replace(/\n/g, '; ')}`;
      services.events.record({ source: 'engine', objectType: 'engine', objectId: input.engine, message, result: 'failure', channel: env.channel ?? 'system' });
      return { status: 'failed', message };
    }
    return { status: 'failed', message: (e as Error).message };
  }
}
