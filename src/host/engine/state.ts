// What the rest of hostdeck needs to know about the engine: whether this host
// is registered, with which engine, and whether the engine has approved it.
// Kept in the state DB's settings; the approval is read from the files the
// engine's host deploy leaves behind.
import { getSetting, setSetting, type Db } from '../../manager/db.ts';
import { engineLabel } from '../../domain/engine.ts';
import { enginePaths, type EnginePaths } from './paths.ts';
import { vdsmCertificateState } from './trust.ts';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const REGISTRATION_KEY = 'engine.registration';
export const UNATTENDED_KEY = 'engine.unattended';
/** Set by the standalone manager when this host manages itself. */
export const MODE_KEY = 'mode';

export interface StoredRegistration {
  engineHost: string;
  enginePort: number;
  caFingerprint: string;
  caSubject: string;
  name: string;
  address: string;
  sshUser: string;
  sshPort: number;
  vdsPort: number;
  uniqueId: string;
  /** The engine's SSH public key line that was installed. */
  engineSshKey: string;
  authorizedKeysFile: string;
  sshKeyFingerprint?: string;
  registeredAt: string;
}

export type EngineMode = 'unconfigured' | 'standalone' | 'registered';
export type EngineApproval = 'none' | 'pending-approval' | 'approved' | 'certificate-mismatch';

export interface EngineStatus {
  mode: EngineMode;
  /** HOST[:PORT] of the engine when registered. */
  engine?: string;
  state: EngineApproval;
  /** One line for a header or status pane. */
  summary: string;
  registration?: StoredRegistration;
}

export function readRegistration(db: Db): StoredRegistration | undefined {
  const raw = getSetting(db, REGISTRATION_KEY);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as StoredRegistration;
  } catch {
    return undefined;
  }
}

// Counts this process's registration writes: a cached lock (vmLockReader) reads the row again after one.
let registrationWrites = 0;

export function writeRegistration(db: Db, r: StoredRegistration | null): void {
  setSetting(db, REGISTRATION_KEY, r ? JSON.stringify(r) : null);
  registrationWrites++;
}

// The header asks on every render: parse the certificates again only when a file changed.
let certCache: { key: string; state: ReturnType<typeof vdsmCertificateState> } | undefined;
function stamp(p: string): string {
  try {
    const st = statSync(p);
    return `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    return '-';
  }
}
function certificateStateCached(paths: EnginePaths): ReturnType<typeof vdsmCertificateState> {
  const key = `${paths.caFile}|${stamp(paths.caFile)}|${paths.vdsmCertsDir}|${stamp(join(paths.vdsmCertsDir, 'vdsmcert.pem'))}`;
  if (certCache?.key === key) return certCache.state;
  let caPem: string | undefined;
  try {
    caPem = readFileSync(paths.caFile, 'utf8');
  } catch {
    caPem = undefined;
  }
  const state = vdsmCertificateState(paths.vdsmCertsDir, caPem);
  certCache = { key, state };
  return state;
}

const STATE_WORDS: Record<EngineApproval, string> = {
  none: 'not registered',
  'pending-approval': 'registered, pending approval',
  approved: 'approved, managed by the engine',
  'certificate-mismatch': 'registered, but the VDSM certificate is not signed by this engine',
};

/**
 * The engine mode and state for the header, the dashboard and the Engine
 * screen. Synchronous and cheap (one settings row, two small files).
 */
export function engineState(services: { db: Db }, paths: EnginePaths = enginePaths()): EngineStatus {
  const reg = readRegistration(services.db);
  if (!reg) {
    const standalone = getSetting(services.db, MODE_KEY) === 'standalone';
    return { mode: standalone ? 'standalone' : 'unconfigured', state: 'none', summary: standalone ? 'standalone (managed by this host)' : 'not registered with an engine' };
  }
  const cert = certificateStateCached(paths);
  const state: EngineApproval = cert === 'signed-by-engine' ? 'approved' : cert === 'absent' ? 'pending-approval' : 'certificate-mismatch';
  const engine = engineLabel(reg.engineHost, reg.enginePort);
  return { mode: 'registered', engine, state, summary: `${engine}: ${STATE_WORDS[state]}`, registration: reg };
}

export function stateWords(s: EngineApproval): string {
  return STATE_WORDS[s];
}

/**
 * Why local VM actions are not offered, or undefined when they are. While
 * this host is registered the engine owns its VMs; the console only monitors.
 */
export function vmActionsLocked(services: { db: Db }): string | undefined {
  const reg = readRegistration(services.db);
  if (!reg) return undefined;
  return `managed by the oVirt engine ${engineLabel(reg.engineHost, reg.enginePort)}: change VMs on the engine; this console only monitors them`;
}

/**
 * vmActionsLocked for a caller that asks many times a frame (the key bar asks
 * once per action): the settings row is read again only when it may have
 * changed, that is when this process wrote the registration or another
 * connection (a CLI run, another console) committed to the state DB since the
 * last read (SQLite's data_version). Never cached inside a transaction, which
 * may still roll back.
 */
export function vmLockReader(services: { db: Db }): () => string | undefined {
  let version: { db: Db; read: () => unknown } | undefined;
  let last: { db: Db; writes: number; dataVersion: unknown; reason: string | undefined } | undefined;
  return () => {
    const db = services.db;
    if (db.inTransaction) return vmActionsLocked({ db });
    if (version?.db !== db) {
      const stmt = db.prepare<[]>('PRAGMA data_version').pluck();
      version = { db, read: () => stmt.get() };
    }
    const dataVersion = version.read();
    if (last?.db === db && last.writes === registrationWrites && last.dataVersion === dataVersion) return last.reason;
    const reason = vmActionsLocked({ db });
    last = { db, writes: registrationWrites, dataVersion, reason };
    return reason;
  };
}
