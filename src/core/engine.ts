// The engine registration use cases: this host's mode and approval (read on
// every header draw, so cheap and synchronous), registering and forgetting the
// engine. Registering loads its protocol, SSH and trust adapters on first use
// (engine-register.ts): they are not part of the console's first frame.
import type { RegistrationInput } from '../domain/engine.ts';
import type { Db } from '../manager/db.ts';
import type { EventLog } from '../manager/events.ts';
import { engineState, vmActionsLocked, stateWords, type EngineStatus, type StoredRegistration } from '../host/engine/state.ts';
import type { EngineEnv } from '../host/engine/register.ts';
import { bootRegistrationValues } from '../host/engine/unattended-args.ts';
import type { EnginePaths } from '../host/engine/paths.ts';
import type { CaInfo } from '../host/engine/trust.ts';
import type { Door } from './door.ts';
import type { CoreContext } from './index.ts';

export { stateWords, type EngineStatus, type StoredRegistration, type EngineEnv, type EnginePaths, type CaInfo };
export type { EngineMode, EngineApproval } from '../host/engine/state.ts';
export { EngineError, EngineInputError, type EngineErrorKind } from '../host/engine/errors.ts';
export { enginePaths } from '../host/engine/paths.ts';
export { unattendedInput } from '../host/engine/unattended-args.ts';

export interface RegisterResult {
  registration: StoredRegistration;
  status: EngineStatus;
  ca: CaInfo;
  /** False when the engine's SSH key was already in authorized_keys. */
  keyAdded: boolean;
}

export interface UnregisterResult {
  engine: string;
  removedKey: boolean;
  removedCa: boolean;
}

export type UnattendedOutcome =
  | { status: 'not-requested' }
  | { status: 'already-registered'; message: string }
  | { status: 'already-attempted'; message: string }
  | { status: 'refused'; message: string }
  | { status: 'failed'; message: string }
  | { status: 'registered'; message: string; result: RegisterResult };

export interface EngineUseCases {
  /** The engine mode and approval for a draw (header, Engine screen's first frame): synchronous and cheap. */
  status(paths?: EnginePaths): EngineStatus;
  /** The same, as the engine.status action (`hostdeck engine status`, the polls). */
  show(paths?: EnginePaths): Promise<EngineStatus>;
  /** Why local VM actions belong to the engine now, or undefined. */
  vmLock(): string | undefined;
  /**
   * Register with the engine. Input is validated first (EngineInputError, no
   * request made). Every other outcome writes one event. The CA, the SSH key
   * and vdsm.id are written only after the CA is trusted and the engine's
   * HTTPS certificate has been verified against it.
   */
  register(input: RegistrationInput, env?: EngineEnv): Promise<RegisterResult>;
  /**
   * Forget the engine on this host: remove the SSH key it installed and the
   * CA it stored (when still the same), and the registration. The engine is
   * not told (the protocol has no such command): remove the host there too.
   */
  unregister(env?: Pick<EngineEnv, 'paths'>): Promise<UnregisterResult>;
  /**
   * Register at first start without the UI, from `management_server=` (and
   * `management_server_fingerprint=`) on the kernel command line or in the
   * unattended file, as the system principal. Never throws: the console start
   * goes on whatever happens, and the outcome is in the event log. Without a
   * fingerprint it refuses rather than trusting blindly. Each set of values is
   * tried once (`force` tries again).
   */
  unattended(cmdlineText?: string, env?: EngineEnv & { force?: boolean }): Promise<UnattendedOutcome>;
  /** The unattended values this host was booted with, to prefill the Engine screen. */
  bootValues(paths?: EnginePaths): RegistrationInput | undefined;
  /** This host's name and management IP (the defaults of the form). */
  defaults(): Promise<{ name?: string; address?: string }>;
}

export interface EngineDeps {
  db: Db;
  events: EventLog;
  door: Door;
}

export function createEngineUseCases(ctx: CoreContext): EngineUseCases {
  return engineUseCases({ db: ctx.infra.db, events: ctx.infra.events, door: ctx.door });
}

export function engineUseCases(deps: EngineDeps): EngineUseCases {
  const { db } = deps;
  let impl: Promise<Pick<EngineUseCases, 'register' | 'unregister' | 'unattended'>> | undefined;
  const registration = () => (impl ??= import('./engine-register.ts').then((m) => m.engineRegistration(deps)));
  return {
    status: (paths) => engineState({ db }, paths),
    show: (paths) => deps.door.act('engine.status', { id: 'engine' }, { message: 'Show the engine registration' }, () => engineState({ db }, paths)),
    vmLock: () => vmActionsLocked({ db }),
    register: (input, env) => registration().then((r) => r.register(input, env)),
    unregister: (env) => registration().then((r) => r.unregister(env)),
    unattended: (cmdline, env) => registration().then((r) => r.unattended(cmdline, env)),
    bootValues: (paths) => bootRegistrationValues(paths),
    defaults: () => import('../host/engine/register.ts').then((m) => m.defaultIdentity()),
  };
}
