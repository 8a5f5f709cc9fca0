// The network use cases: stage changes (validated, kept in the state DB),
// show them as a diff, and apply them safely:
//   validate -> diff -> checkpoint -> apply -> verify read-back (polled
//   every 200 ms until it matches; it fails once the mismatches have not
//   changed for 5 s, or for as long as the backend may take to settle) ->
//   probes chosen before the change (only those that passed then) -> wait
//   for confirmation within the timeout -> commit, else roll back and say why.
// The apply in progress lives in a state file on the target host
// (src/host/net/pending.ts), so `net confirm` works from any session and a
// detached watchdog (`hostdeck net watchdog`, started on the target) rolls
// back at the deadline even when hostdeck was killed. With NetworkManager its
// checkpoint's own timeout is the last line of defence. The backends, the
// probes and the inventory are the adapters in src/host/net/.
import type { NetChange, NetConfig } from '../domain/net/model.ts';
import type { FieldError } from '../domain/net/validate.ts';
import type { DiffLine } from '../domain/net/diff.ts';
import type { Severity } from '../manager/events.ts';
import * as processRunner from '../exec/runner.ts';
import { watchLinks, type IdentifyOptions, type IdentifyResult, type InventoryRunner, type NetInventory, type Nic } from '../host/net/inventory.ts';
import type { BackendName } from '../host/net/backend.ts';
import type { PendingApply } from '../host/net/pending.ts';
import type { ProbeResult } from '../host/net/probes.ts';
import type { ResetInput } from '../domain/net/reset.ts';
import type { TestResult, TestTarget } from '../domain/net/test-targets.ts';
import { listStaged } from '../manager/repos/net-staged.ts';
import { netSummaryReader, type NetSummary } from '../host/net/summary.ts';
import type { ApplyOptions, ApplyResult } from './network-apply.ts';
import type { HookSettings } from '../domain/hooks.ts';
import type { NetworkImpl } from './network-impl.ts';
import type { CoreContext } from './index.ts';

export { NetError } from './network-errors.ts';
export { STATE_DIR } from '../host/net/pending.ts';
export { allLinks, managementOf } from '../host/net/inventory.ts';
export { bondHealth, type NetSummary } from '../host/net/summary.ts';
export type { NetAddress, NetLink, Nic } from '../host/net/inventory.ts';
export type { ApplyResult, ApplyOptions, PendingApply, ProbeResult, BackendName, DiffLine, FieldError, NetInventory, IdentifyResult, InventoryRunner, ResetInput, TestResult, TestTarget };
export type { ApplyProgress, ApplyStep, ApplyStepId } from '../domain/net/apply-steps.ts';

export const DEFAULT_CONFIRM_TIMEOUT_S = 60;

/** What the network use cases need of the core: the state DB, the event log, the door. */
export type NetworkContext = Pick<CoreContext, 'door'> & { infra: Pick<CoreContext['infra'], 'db' | 'events'> & { config: { dbPath: string; hooks?: HookSettings } } };

/** Where the network use cases act: this host by default; tests and the system tier point them at another. */
export interface NetworkEnv {
  runner?: InventoryRunner;
  /** Force a backend instead of detecting one. */
  backend?: BackendName;
  /** Program and arguments that start hostdeck on the target (the watchdog); null: no watchdog. */
  watchdogCommand?: readonly string[] | null;
  /** The state DB path on the target, passed to the watchdog. */
  targetDbPath?: string;
  stateDir?: string;
  /** Name looked up by the DNS probe. */
  dnsProbeName?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface NetTestOptions {
  /** A name to resolve as well. */
  resolve?: string;
  /** The targets, before any is probed. */
  onPlan?: (targets: TestTarget[]) => void;
  /** Each result as it comes. */
  onResult?: (r: TestResult) => void;
}

/** The event a staging writes, in the same transaction as the staged rows. */
export interface StagingEvent {
  message: string;
  objectType?: string;
  objectId?: string;
  severity?: Severity;
}

export interface StageOptions {
  current?: NetConfig;
  onProgress?: (phase: 'checking' | 'staging', done: number, total: number) => void;
  /** The changes take the place of everything staged (checked against the current configuration alone). */
  replace?: boolean;
  /** Default: "Staged: <the change>" on its interface, or "Staged N changes" for a list. */
  event?: StagingEvent;
}

export interface NetworkUseCases {
  backend(): Promise<BackendName>;
  current(): Promise<NetConfig>;
  /** NICs, bonds, VLANs and bridges with link, addresses and LLDP. */
  inventory(): Promise<NetInventory>;
  /** Calls onChange with the links whose state changed; returns the stop function. */
  watchLinks: (onChange: Parameters<typeof watchLinks>[1], opts?: Parameters<typeof watchLinks>[2]) => () => void;
  /** Calls onChange for each address or route event (an event stream; undefined where the runner has none). */
  watchAddresses(onChange: () => void): (() => void) | undefined;
  staged(): NetChange[];
  /** Stages one change (validated against the host and what is staged); the row and its event commit together. */
  stage(change: NetChange, opts?: StageOptions): Promise<NetChange[]>;
  /**
   * Stages a list all at once: each change is checked against the ones before
   * it, then all are written with one event in one transaction, so a kill
   * part-way leaves none of them staged. onProgress is called after each
   * change is checked and written.
   */
  stageAll(changes: readonly NetChange[], opts?: StageOptions): Promise<number>;
  /**
   * Drops every staged change; the deletion and its event commit together.
   * Returns (and its event says) how many: the lines of their diff against `current` (default: read from the host).
   */
  discard(opts?: { current?: NetConfig }): Promise<number>;
  diff(): Promise<DiffLine[]>;
  desired(current?: NetConfig): Promise<{ current: NetConfig; desired: NetConfig; diff: DiffLine[] }>;
  /** What the staged changes do to the management interface's address or the default gateway. */
  management(): Promise<ReturnType<typeof import('../host/net/inventory.ts').managementOf>>;
  apply(opts?: ApplyOptions): Promise<ApplyResult>;
  /** Waits until the pending apply is confirmed or rolled back (rolling back itself at the deadline). */
  waitForOutcome(id: string, onTick?: (p: PendingApply) => void): Promise<ApplyResult>;
  confirm(): Promise<PendingApply>;
  rollback(reason: string): Promise<PendingApply>;
  pending(): Promise<PendingApply | undefined>;
  last(): Promise<PendingApply | undefined>;
  /**
   * The network test, the console's and `net test`'s: the default gateways (IPv4 and IPv6) and every DNS
   * server the Network screen lists, the engine when registered, then the given hosts and name to resolve,
   * each with its probe (ping; a DNS query for a DNS server; a connection to the engine's port; a lookup).
   * Throws NetValidationError (field hosts or resolve) before anything runs for a target that could be an option.
   */
  test(hosts?: readonly string[], opts?: NetTestOptions): Promise<TestResult[]>;
  /** Blinks a NIC's port LED for `seconds` (ethtool --identify). */
  identify(nic: Pick<Nic, 'name' | 'driver'>, seconds?: number, opts?: IdentifyOptions): Promise<IdentifyResult>;
  /**
   * Emergency reset: rebuilds the management configuration on one NIC
   * (the bonds, VLANs and bridges it is part of go), staged in place of
   * anything staged, with one warning event, in one transaction; the caller
   * applies it (with the confirmation countdown).
   */
  emergencyReset(input: ResetInput, opts?: { current?: NetConfig }): Promise<{ changes: NetChange[]; errors: FieldError[] }>;
  /** The watchdog's loop: roll back apply `id` at its deadline unless it was confirmed. */
  watchdog(id: string): Promise<'confirmed' | 'rolled-back' | 'gone'>;
  /**
   * The dashboard's network line: backend, degraded bonds, an apply waiting
   * for confirmation. Read here rather than in network-impl.ts, so the
   * dashboard's poll does not load the backends into the console.
   */
  summary(): Promise<NetSummary>;
}


export function createNetworkUseCases(ctx: NetworkContext, env: NetworkEnv = {}): NetworkUseCases {
  let impl: Promise<NetworkImpl> | undefined;
  const load = () => (impl ??= import('./network-impl.ts').then((m) => m.createNetworkImpl(ctx, env)));
  const later = <K extends keyof NetworkImpl>(k: K) =>
    ((...a: unknown[]) => load().then((u) => (u[k] as (...x: unknown[]) => unknown)(...a))) as unknown as NetworkImpl[K];
  const runner: InventoryRunner = env.runner ?? { run: processRunner.run, spawnStream: processRunner.spawnStream };
  const readSummary = netSummaryReader(runner);
  return {
    backend: later('backend'), current: later('current'), inventory: later('inventory'), management: later('management'),
    watchLinks: (onChange, opts) => watchLinks(runner, onChange, opts),
    watchAddresses(onChange) {
      if (!runner.spawnStream) return undefined;
      const s = runner.spawnStream('ip', ['-o', 'monitor', 'address', 'route'], onChange);
      return () => s.kill();
    },
    staged: () => listStaged(ctx.infra.db),
    stage: later('stage'), stageAll: later('stageAll'), discard: later('discard'), diff: later('diff'), desired: later('desired'),
    apply: later('apply'), waitForOutcome: later('waitForOutcome'), confirm: later('confirm'), rollback: later('rollback'),
    pending: later('pending'), last: later('last'), test: later('test'), identify: later('identify'),
    emergencyReset: later('emergencyReset'), watchdog: later('watchdog'),
    summary: () => ctx.door.act('network.summary', { id: 'host' }, { message: 'Show the network summary' }, readSummary),
  };
}
