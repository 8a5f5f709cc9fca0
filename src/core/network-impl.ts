// The network use cases' implementation, loaded with the first call (the
// backends, validation and diff are not part of the console's first frame);
// network.ts describes them.
import { changeObject, describeChange, type NetChange } from '../domain/net/model.ts';
import { stagedChanges } from '../domain/counts.ts';
import * as processRunner from '../exec/runner.ts';
import { readRegistration } from '../host/engine/state.ts';
import { identifyNic, managementOf, readInventory, type InventoryRunner } from '../host/net/inventory.ts';
import { pendingState, selfCommand, STATE_DIR } from '../host/net/pending.ts';
import { testNetwork } from '../host/net/tools.ts';
import { testTargets } from '../domain/net/test-targets.ts';
import { NetValidationError } from '../domain/net/validate.ts';
import { stageEmergencyReset } from './network-reset.ts';
import { stagedSet } from './network-staged.ts';
import { createApply } from './network-apply.ts';
import { NetError } from './network-errors.ts';
import type { NetworkContext, NetworkEnv, NetworkUseCases, StagingEvent } from './network.ts';

/** What a staging's event says by default: the one change and its object, or the count. */
function stagingEvent(changes: readonly NetChange[]): StagingEvent {
  if (changes.length === 1) {
    const c = changes[0]!;
    return { message: `Staged: ${describeChange(c)}`, objectType: c.op === 'dns.set' || c.op === 'hostname.set' ? 'network' : 'interface', objectId: changeObject(c) };
  }
  return { message: `Staged ${changes.length} changes` };
}

export type NetworkImpl = Omit<NetworkUseCases, 'watchLinks' | 'watchAddresses' | 'summary'>;

export function createNetworkImpl(ctx: NetworkContext, env: NetworkEnv = {}): NetworkImpl {
  const { door } = ctx;
  const db = () => ctx.infra.db;
  const runner: InventoryRunner = env.runner ?? { run: processRunner.run, spawnStream: processRunner.spawnStream };
  const now = env.now ?? Date.now;
  const sleep = env.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const set = stagedSet(db, () => ctx.infra.events.user, now);
  const applier = createApply({
    runner, db, events: () => ctx.infra.events, set, now, sleep,
    backend: env.backend, stateDir: env.stateDir ?? STATE_DIR,
    watchdogCommand: env.watchdogCommand === undefined ? selfCommand() : env.watchdogCommand,
    targetDbPath: env.targetDbPath ?? ctx.infra.config.dbPath,
    dnsProbeName: env.dnsProbeName,
    hooks: ctx.infra.config.hooks,
  });
  const state = pendingState(applier.target, env.stateDir ?? STATE_DIR, now);

  const uc: NetworkImpl = {
    backend: async () => (await applier.backendOf()).name,
    current: applier.current,
    inventory: () => readInventory(runner),
    staged: set.list,
    management: async () => managementOf(await readInventory(runner)),

    async stage(change, opts = {}) {
      await uc.stageAll([change], opts);
      return set.list();
    },

    async stageAll(changes, opts = {}) {
      const base = opts.current ?? (await applier.current());
      const seen = set.mark();
      set.check(changes, base, Boolean(opts.replace), opts.onProgress);
      const note = { objectType: 'network', objectId: 'host', ...(opts.event ?? stagingEvent(changes)) };
      return door.act('network.stage', { id: note.objectId }, { message: note.message, objectType: note.objectType, ...(note.severity ? { severity: note.severity } : {}) }, ({ commit }) =>
        // IMMEDIATE: the staged set the changes were checked against cannot change before they are written; the event commits with them.
        commit(() => set.write(changes, seen, Boolean(opts.replace), opts.onProgress)));
    },

    async discard(opts = {}) {
      const rows = set.list().length;
      // Counted as the lines of the diff the operator saw (`net diff`, the Network screen), not the rows behind them;
      // staged changes that no longer fit the host show no diff, only their list: then the rows.
      const n = rows ? await applier.desiredState(opts.current).then((d) => d.diff.length, () => rows) : 0;
      // A discard with nothing staged is still an operator's action: the door may refuse it, and its event says there was nothing.
      const message = rows ? `Discarded ${stagedChanges(n)}` : 'Discarded no staged changes: nothing was staged';
      return door.act('network.discard', { id: 'host' }, { message }, ({ commit }) => commit(() => {
        const gone = set.clear();
        if (gone !== rows) throw new NetError('the staged changes changed while they were discarded (another session staged or discarded); try again', 'pending');
        return n;
      }));
    },

    diff: async () => (await uc.desired()).diff,
    desired: (cur) => door.act('network.show', { id: 'host' }, { message: 'Show the staged network changes' }, () => applier.desiredState(cur)),

    apply: (opts = {}) => applier.apply((message, fn) => door.act('network.apply', { id: 'host' }, { message }, fn), opts),
    waitForOutcome: applier.waitForOutcome,

    async confirm() {
      const p = await state.pending();
      if (!p) throw new NetError('no apply is waiting for confirmation', 'none-pending');
      if (p.status !== 'waiting') throw new NetError(`the apply is ${p.status}, not waiting for confirmation`, 'pending');
      return door.act('network.confirm', { id: 'host' }, { message: `Confirm network apply ${p.id.slice(0, 8)}`, correlationId: p.id }, () => applier.confirm(p));
    },

    async rollback(reason) {
      const p = await state.pending();
      if (!p) throw new NetError('no apply is pending; nothing to roll back', 'none-pending');
      if (p.status === 'rolling-back') throw new NetError('the apply is already being rolled back', 'pending');
      return door.act('network.rollback', { id: 'host' }, { message: `Roll back network apply ${p.id.slice(0, 8)}`, correlationId: p.id }, () => applier.rollback(p, reason, ''));
    },

    pending: state.pending,
    last: state.last,

    test: (hosts = [], opts = {}) => door.act('network.test', { id: 'host' }, { message: 'Test the network' }, async () => {
      // The gateways and DNS servers as the Network screen lists them (the inventory), so both front ends test the same.
      const inv = await readInventory(runner);
      const reg = readRegistration(db());
      const { targets, errors } = testTargets(inv, hosts, opts.resolve, reg ? { host: reg.engineHost, port: reg.enginePort } : undefined);
      if (errors.length) throw new NetValidationError(errors);
      opts.onPlan?.(targets);
      return testNetwork(runner, targets, opts.onResult, env.dnsProbeName);
    }),

    identify: (nic, seconds = 10, opts = {}) =>
      door.act('network.identify', { id: nic.name }, { message: `Identify ${nic.name} (blink its port LED for ${seconds} s)` }, () => identifyNic(runner, nic, seconds, opts)),

    emergencyReset: (input, opts = {}) => stageEmergencyReset(uc, input, opts.current),

    watchdog: applier.watchdog,
  };
  return uc;
}
