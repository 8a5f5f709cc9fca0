// The VM pool use cases: list, show, create, edit, grow, shrink, remove a
// pool; take a VM from it for a user and give it back; and what the host
// service does for pools (keep `prestarted` VMs running with no user, give
// back the VMs of automatic pools their users shut down).
//
// A pool's VMs are thin VMs from its template, named <pool>-1..N, and
// stateless: their disks are libvirt <transient/> disks, so each run writes
// to a fresh overlay that libvirt discards when the VM stops, and the next
// user gets a clean VM. A pool row is written 'creating' before its VMs are
// made and 'ready' after; a failure takes back every VM made for it, and the
// leftovers of a process killed meanwhile are cleaned up at the next first
// use (its status, its creator gone), as templates do.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError, NotFoundError, WrongStateError, type FieldError } from '../domain/errors.ts';
import {
  countProblem, freeVmNumbers, poolUserProblem, poolVmName, validatePool, validatePoolChange, vmsToPrestart, vmsToShrink,
  type PoolChange, type PoolInput, type PoolType,
} from '../domain/pools.ts';
import { pickVersion } from '../domain/templates.ts';
import { newVolumeName } from '../domain/vm-create.ts';
import { managerRepo } from '../manager/repos/manager-model.ts';
import { poolRepo, type PoolRow, type PoolVmRow } from '../manager/repos/pools.ts';
import { storageDomainRepo } from '../manager/repos/storage-domains.ts';
import { templateRepo } from '../manager/repos/templates.ts';
import { parseDomainXml } from '../virt/xml/parse.ts';
import type { DomainSummary } from '../virt/types.ts';
import { startVmWithHooks } from './hooks.ts';
import { checkVmStart, isRunning } from './manager-vms.ts';
import { systemPrincipal } from './principal.ts';
import { processAlive } from './template-images.ts';
import { createTemplateUseCases } from './templates.ts';
import { removeSerialLog } from './vm-create.ts';
import type { CoreContext } from './index.ts';

export interface PoolVmView { name: string; uuid: string; user: string | null; assignedAt: string | null; state: string; running: boolean }

export interface PoolView {
  name: string;
  description: string;
  template: string;
  templateVersion: string;
  cluster: string | null;
  size: number;
  prestarted: number;
  maxPerUser: number;
  type: PoolType;
  status: 'creating' | 'ready';
  createdAt: string;
  /** How many run, how many a user has. */
  running: number;
  assigned: number;
  vms: PoolVmView[];
}

const invalid = (errors: FieldError[]) => new InvalidInputError(errors);

/**
 * Make every disk of a domain XML a transient one: its writes go to an
 * overlay libvirt discards at shutdown. libvirt takes transient disks only
 * as files, so a pool volume becomes its file (`pathOf` says which).
 */
export function withTransientDisks(xml: string, pathOf: (pool: string, volume: string) => string): string {
  return xml.replace(/<disk\b([^>]*\bdevice=['"]disk['"][^>]*)>([\s\S]*?)<\/disk>/g, (all, attrs: string, body: string) => {
    if (/<transient\s*\/>/.test(body)) return all;
    const vol = /<source\s+pool=['"]([^'"]+)['"]\s+volume=['"]([^'"]+)['"][^>]*\/>/.exec(body);
    const fileBody = vol ? body.replace(vol[0], `<source file='${escapeAttr(pathOf(vol[1]!, vol[2]!))}'/>`) : body;
    return `<disk${vol ? attrs.replace(/\btype=['"]volume['"]/, "type='file'") : attrs}>${fileBody}<transient/>\n    </disk>`;
  });
}

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;');

export function createPoolUseCases(ctx: CoreContext) {
  const db = ctx.infra.db;
  const repo = poolRepo(db);
  const templates = templateRepo(db);
  const manager = managerRepo(db);
  const domains = storageDomainRepo(db);
  const virt = () => ctx.infra.virt;
  const tpl = createTemplateUseCases(ctx);

  const poolOrThrow = (key: string): PoolRow => {
    const p = repo.byKey(key);
    if (!p || p.status !== 'ready') throw new NotFoundError(`pool: no pool named ${JSON.stringify(key)} (see hostdeck pool list)`);
    return p;
  };
  const templateName = (p: PoolRow) => templates.byId(p.templateId)?.name ?? p.templateId;
  /** The template's storage domain: where its VMs' overlays are. */
  const domainOf = (p: PoolRow) => {
    const t = templates.versionsOf(p.templateId)[0];
    return t?.storageDomainId ? domains.byKey(t.storageDomainId) : undefined;
  };
  const libvirtVms = async () => new Map((await virt().domainList()).map((d) => [d.name, d]));
  const stateOf = (v: PoolVmRow, all: Map<string, DomainSummary>): PoolVmView => {
    const d = all.get(v.vmName);
    return { name: v.vmName, uuid: v.vmUuid, user: v.user, assignedAt: v.assignedAt, state: d?.state ?? 'missing', running: d ? isRunning(d) : false };
  };
  const viewOf = (p: PoolRow, all: Map<string, DomainSummary>): PoolView => {
    const vms = repo.vms(p.id).map((v) => stateOf(v, all));
    return {
      name: p.name, description: p.description, template: templateName(p), templateVersion: p.templateVersion, cluster: p.clusterId ? manager.cluster(p.clusterId)?.name ?? null : null,
      size: p.size, prestarted: p.prestarted, maxPerUser: p.maxPerUser, type: p.type, status: p.status, createdAt: p.createdAt,
      running: vms.filter((v) => v.running).length, assigned: vms.filter((v) => v.user !== null).length, vms,
    };
  };

  /** Start a pool VM as any start is (its cluster's memory check, the start hooks). */
  const startVm = async (name: string) => {
    const d = (await virt().domainList()).find((x) => x.name === name);
    if (!d) throw new WrongStateError(`VM ${name} of the pool is gone from libvirt`);
    await checkVmStart(ctx, d);
    await startVmWithHooks(ctx, name);
  };

  /** Delete a pool VM: its domain, its overlays, its rows (template link, cluster, pool). */
  const deleteVm = async (name: string, uuid: string | undefined, pool: PoolRow) => {
    const d = (await virt().domainList()).find((x) => x.name === name);
    if (d) {
      if (isRunning(d) || d.state === 'paused') await virt().domainDestroy(name).catch(() => undefined);
      await virt().domainUndefine(name);
    }
    const domain = domainOf(pool);
    const t = templates.versionsOf(pool.templateId)[0];
    if (domain) {
      for (let i = 0; i < Math.max(1, t?.disks.length ?? 1); i++) await rm(join(domain.path, 'images', newVolumeName(name, i, 'qcow2')), { force: true });
      await virt().storagePoolRefresh(domain.poolName).catch(() => undefined);
    }
    const id = uuid ?? d?.uuid;
    if (id) { templates.unlink(id); manager.forgetVm(id); repo.removeVm(id); }
    await removeSerialLog(ctx, name);
  };

  /** Make one pool VM: a thin VM from the pool's template, its disks transient, recorded in the pool. */
  const makeVm = async (pool: PoolRow, name: string, step: (t: string) => void) => {
    step(`creating VM ${name} (thin, from template ${templateName(pool)} ${pool.templateVersion})`);
    await tpl.createVm({ name, template: pool.templateId, version: pool.templateVersion, mode: 'thin', overrides: { disks: [], ...(pool.clusterId ? { cluster: pool.clusterId } : {}) } });
    try {
      const xml = await virt().domainGetXml(name, { inactive: true });
      const domain = domainOf(pool);
      // The pool's volumes are the template domain's files (its images directory).
      await virt().domainDefine(withTransientDisks(xml, (poolName, volume) => {
        if (!domain || poolName !== domain.poolName) throw new WrongStateError(`VM ${name}: disk ${poolName}/${volume} is not on the template's storage domain`);
        return join(domain.path, 'images', volume);
      }));
      repo.addVm({ vmUuid: parseDomainXml(xml).uuid, vmName: name, poolId: pool.id });
    } catch (e) {
      await deleteVm(name, undefined, pool);
      throw e;
    }
  };

  /** Names of new pool VMs that are taken already (a domain, or an overlay file on the template's domain). */
  const takenVmNames = async (pool: Pick<PoolRow, 'templateId'>, names: readonly string[]): Promise<FieldError[]> => {
    const all = await libvirtVms();
    const t = templates.versionsOf(pool.templateId)[0];
    const domain = t?.storageDomainId ? domains.byKey(t.storageDomainId) : undefined;
    return names.flatMap((n) => all.has(n) ? [{ field: 'name', message: `name: a VM named ${n} already exists (pool VMs are named <pool>-<n>; pick another pool name)` }]
      : domain && existsSync(join(domain.path, 'images', newVolumeName(n, 0, 'qcow2'))) ? [{ field: 'name', message: `name: a volume ${newVolumeName(n, 0, 'qcow2')} already exists on storage domain ${domain.name}` }] : []);
  };

  /** Make these VMs for a pool, all or none: a failure takes back the ones this call made. */
  const makeVms = async (pool: PoolRow, names: readonly string[], step: (t: string) => void) => {
    const made: string[] = [];
    try {
      for (const n of names) { await makeVm(pool, n, step); made.push(n); }
    } catch (e) {
      for (const n of made.reverse()) await deleteVm(n, repo.vmByName(n)?.vmUuid, pool).catch(() => undefined);
      throw e;
    }
  };

  /**
   * The leftovers of a pool create killed half-way: 'creating' rows whose
   * creator is gone, with the VMs and overlays made for them. One event;
   * nothing in read-only mode.
   */
  async function cleanup(): Promise<string[]> {
    const door = ctx.door.forPrincipal(systemPrincipal(ctx.door.principal.user));
    if (door.whyNot('pool.cleanup')) return [];
    const dead = repo.creating().filter((p) => p.creatorPid === null || !processAlive(p.creatorPid));
    if (!dead.length) return [];
    const all = await libvirtVms();
    const plan = dead.map((p) => {
      const recorded = repo.vms(p.id);
      // A VM made but not yet recorded when the process died: named as the pool's, thin from its template,
      // or, killed between defining it and linking it to the template, with no link and the pool VM's overlay.
      const versions = new Set(templates.versionsOf(p.templateId).map((t) => t.id));
      const domain = domainOf(p);
      const hasOverlay = (n: string) => Boolean(domain && existsSync(join(domain.path, 'images', newVolumeName(n, 0, 'qcow2'))));
      const ours = (n: string) => { const link = templates.linkOf(all.get(n)!.uuid); return link ? versions.has(link.templateId) : hasOverlay(n); };
      const unrecorded = Array.from({ length: p.size }, (_, i) => poolVmName(p.name, i + 1))
        .filter((n) => !recorded.some((r) => r.vmName === n) && all.has(n) && ours(n));
      const overlays = Array.from({ length: p.size }, (_, i) => poolVmName(p.name, i + 1)).filter((n) => !all.has(n) && hasOverlay(n));
      return { p, vms: [...recorded.map((r) => ({ name: r.vmName, uuid: r.vmUuid as string | undefined })), ...unrecorded.map((n) => ({ name: n, uuid: all.get(n)!.uuid }))], overlays };
    });
    const what = plan.map(({ p, vms, overlays }) => `pool ${p.name} left 'creating' (${vms.length} VM${vms.length === 1 ? '' : 's'}${vms.length ? `: ${vms.map((v) => v.name).join(', ')}` : ''}${overlays.length ? `; overlays of ${overlays.join(', ')}` : ''})`);
    await door.act('pool.cleanup', { id: '*' }, { message: `Clean up after a pool create killed half-way: ${what.join('; ')}`, severity: 'warning' }, async () => {
      for (const { p, vms, overlays } of plan) {
        for (const v of vms) await deleteVm(v.name, v.uuid, p);
        for (const n of overlays) await deleteVm(n, undefined, p);
        repo.remove(p.id);
      }
    });
    return what;
  }
  let cleaned: Promise<unknown> | undefined;
  /**
   * Every pool use case starts here: the first one cleans up after a killed create. A cleanup that
   * failed (its event says why) does not hold up the use case, and the next one tries it again.
   */
  const ready = () => (cleaned ??= cleanup().catch(() => { cleaned = undefined; }));

  /** The pool VMs' users and states, and the automatic pools' VMs their users shut down given back. */
  const releaseShutDown = (p: PoolRow, vms: PoolVmView[]): string[] => {
    if (p.type !== 'automatic') return [];
    const back = vms.filter((v) => v.user !== null && v.state === 'shutoff');
    for (const v of back) repo.assign(v.uuid, null);
    return back.map((v) => `${v.name} (from ${v.user})`);
  };

  return {
    cleanup,

    async list(): Promise<PoolView[]> {
      await ready();
      return ctx.door.act('pool.list', { id: '*' }, { message: 'List the VM pools' }, async () => {
        const all = await libvirtVms();
        return repo.all().filter((p) => p.status === 'ready').map((p) => viewOf(p, all));
      });
    },

    async show(key: string): Promise<PoolView> {
      await ready();
      return viewOf(poolOrThrow(key), await libvirtVms());
    },

    /** Create a pool and its VMs, all or nothing. */
    async create(input: PoolInput, opts: { onStep?: (text: string) => void } = {}): Promise<PoolView> {
      await ready();
      const step = opts.onStep ?? (() => undefined);
      const v = validatePool(input, repo.names());
      if (!v.ok) throw invalid(v.errors);
      const spec = v.value;
      const versions = templates.versionsOf(spec.template);
      if (!versions.length) throw invalid([{ field: 'template', message: `template: no template named ${JSON.stringify(spec.template)} (see hostdeck template list)` }]);
      const t = pickVersion(versions, spec.templateVersion);
      if (typeof t === 'string') throw invalid([{ field: 'template-version', message: `template-version: template ${spec.template} ${t}` }]);
      const cluster = spec.cluster !== undefined ? manager.cluster(spec.cluster) : manager.defaultCluster();
      if (spec.cluster !== undefined && !cluster) throw invalid([{ field: 'cluster', message: `cluster: no cluster named ${JSON.stringify(spec.cluster)} (see hostdeck cluster list)` }]);
      if (!t.disks.length) throw invalid([{ field: 'template', message: `template: ${t.name} has no disks (a pool's VMs are thin VMs from a template's images)` }]);
      const names = Array.from({ length: spec.size }, (_, i) => poolVmName(spec.name, i + 1));
      const taken = await takenVmNames({ templateId: t.baseId }, names);
      if (taken.length) throw invalid(taken);
      const row: PoolRow = {
        id: randomUUID(), name: spec.name, description: spec.description, templateId: t.baseId, templateVersion: spec.templateVersion, clusterId: cluster?.id ?? null,
        size: spec.size, prestarted: spec.prestarted, maxPerUser: spec.maxPerUser, type: spec.type, status: 'creating', creatorPid: process.pid, createdAt: new Date().toISOString(),
      };
      return ctx.door.act('pool.create', { id: spec.name }, {
        message: `Create pool ${spec.name} of ${spec.size} VM${spec.size === 1 ? '' : 's'} from template ${t.name} ${spec.templateVersion === 'latest' ? '(latest)' : `version ${spec.templateVersion}`}, ${spec.prestarted} prestarted, ${spec.type}`,
      }, async () => {
        repo.insert(row);
        try {
          await makeVms(row, names, step);
        } catch (e) {
          repo.remove(row.id);
          throw new Error(`${(e as Error).message.replace(/ \(nothing was left behind\)$/, '')} (the pool was not created; nothing was left behind)`, { cause: e });
        }
        repo.markReady(row.id);
        return viewOf(repo.byKey(row.id)!, await libvirtVms());
      });
    },

    async edit(key: string, change: PoolChange): Promise<PoolView> {
      await ready();
      // The fields' own rules first: a bad value is refused as such, whatever the pool.
      const own = validatePoolChange(change);
      if (own.length) throw invalid(own);
      const p = poolOrThrow(key);
      const errors = validatePoolChange(change, p.size, repo.names().filter((n) => n !== p.name));
      if (errors.length) throw invalid(errors);
      if (change.name !== undefined && change.name !== p.name) {
        const taken = await takenVmNames(p, Array.from({ length: p.size }, (_, i) => poolVmName(change.name!, i + 1)));
        // The VMs keep their names; a later grow names new ones after the new pool name.
        if (taken.length) throw invalid(taken);
      }
      const what = Object.entries(change).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${String(v)}`).join(', ');
      return ctx.door.act('pool.edit', { id: p.name }, { message: `Change pool ${p.name}: ${what}` }, async (scope) => {
        scope.commit(() => repo.update(p.id, change));
        return viewOf(repo.byKey(p.id)!, await libvirtVms());
      });
    },

    /** Add `count` VMs, all or none. */
    async grow(key: string, count: number, opts: { onStep?: (text: string) => void } = {}): Promise<PoolView> {
      await ready();
      const cp = countProblem('count', count);
      if (cp) throw invalid([cp]);
      const p = poolOrThrow(key);
      const names = freeVmNumbers(p.name, repo.vms(p.id).map((v) => v.vmName), count).map((n) => poolVmName(p.name, n));
      const taken = await takenVmNames(p, names);
      if (taken.length) throw invalid(taken.map((t) => ({ ...t, field: 'count' })));
      return ctx.door.act('pool.grow', { id: p.name }, { message: `Grow pool ${p.name} by ${count} (${names.join(', ')})` }, async () => {
        await makeVms(p, names, opts.onStep ?? (() => undefined));
        repo.update(p.id, { size: p.size + count });
        return viewOf(repo.byKey(p.id)!, await libvirtVms());
      });
    },

    /** Remove `count` unassigned, stopped VMs; assigned or running ones stay. */
    async shrink(key: string, count: number): Promise<PoolView> {
      await ready();
      const cp = countProblem('count', count);
      if (cp) throw invalid([cp]);
      const p = poolOrThrow(key);
      if (p.size - count < 1) throw invalid([{ field: 'count', message: `count: a pool keeps at least 1 VM (size ${p.size}, got ${count})` }]);
      if (p.size - count < p.prestarted) throw invalid([{ field: 'count', message: `count: the size must stay at least the prestarted count (${p.prestarted}); lower it first with pool edit --prestarted` }]);
      const all = await libvirtVms();
      const rows = repo.vms(p.id);
      const pick = vmsToShrink(repo.vms(p.id).map((v) => stateOf(v, all)), count);
      if (typeof pick === 'string') throw new WrongStateError(`Shrinking pool ${p.name} by ${count} refused: ${pick}`);
      return ctx.door.act('pool.shrink', { id: p.name }, { message: `Shrink pool ${p.name} by ${count} (remove ${pick.join(', ')})` }, async () => {
        for (const n of pick) await deleteVm(n, rows.find((v) => v.vmName === n)?.vmUuid, p);
        repo.update(p.id, { size: p.size - count });
        return viewOf(repo.byKey(p.id)!, await libvirtVms());
      });
    },

    /** Remove a pool and its VMs; refused while one runs unless stopFirst (they are powered off: stateless, nothing is lost but the runs). */
    async remove(key: string, opts: { stopFirst?: boolean } = {}): Promise<{ removed: string[] }> {
      await ready();
      const p = poolOrThrow(key);
      const vms = repo.vms(p.id).map((v) => stateOf(v, new Map()));
      const all = await libvirtVms();
      const running = repo.vms(p.id).map((v) => stateOf(v, all)).filter((v) => v.running || v.state === 'paused');
      if (running.length && !opts.stopFirst) throw new WrongStateError(`Removing pool ${p.name} refused: ${running.map((v) => `${v.name}${v.user ? ` (${v.user})` : ''}`).join(', ')} ${running.length === 1 ? 'runs' : 'run'} (stop ${running.length === 1 ? 'it' : 'them'} first, or remove with --stop-first)`);
      return ctx.door.act('pool.remove', { id: p.name }, { message: `Remove pool ${p.name} and its ${vms.length} VM${vms.length === 1 ? '' : 's'}${running.length ? `, stopping ${running.map((v) => v.name).join(', ')} first` : ''}` }, async () => {
        for (const v of vms) await deleteVm(v.name, v.uuid, p);
        repo.remove(p.id);
        return { removed: vms.map((v) => v.name) };
      });
    },

    /** Give a VM of the pool to a user: a prestarted one first, else a stopped one started. Refused past the per-user maximum. */
    async take(key: string, user: string): Promise<{ vm: string; started: boolean }> {
      await ready();
      const up = poolUserProblem(user);
      if (up) throw invalid([up]);
      const p = poolOrThrow(key);
      return ctx.door.act('pool.take', { id: p.name }, { message: `Give a VM of pool ${p.name} to user ${user}` }, async () => {
        const all = await libvirtVms();
        const vms = repo.vms(p.id).map((v) => stateOf(v, all));
        releaseShutDown(p, vms);
        const pick = db.transaction(() => {
          const rows = repo.vms(p.id);
          const has = rows.filter((r) => r.user === user).length;
          if (has >= p.maxPerUser) throw new WrongStateError(`user ${user} has ${has} VM${has === 1 ? '' : 's'} of pool ${p.name} already (at most ${p.maxPerUser} per user: ${rows.filter((r) => r.user === user).map((r) => r.vmName).join(', ')})`);
          const free = vms.filter((v) => rows.find((r) => r.vmUuid === v.uuid)?.user === null && v.state !== 'missing');
          const v = free.find((x) => x.running) ?? free.find((x) => x.state === 'shutoff');
          if (!v) throw new WrongStateError(`pool ${p.name} has no free VM (all ${rows.length} are assigned or busy): grow it`);
          repo.assign(v.uuid, user);
          return v;
        })();
        if (pick.running) return { vm: pick.name, started: false };
        try {
          await startVm(pick.name);
        } catch (e) {
          repo.assign(pick.uuid, null);
          throw e;
        }
        return { vm: pick.name, started: true };
      });
    },

    /** Give a pool VM back: it is powered off (its run's overlay is discarded) and free for the next user. */
    async giveBack(vm: string): Promise<{ vm: string; pool: string; user: string | null }> {
      await ready();
      const row = repo.vmByName(vm);
      const p = row && repo.byKey(row.poolId);
      if (!row || !p) throw new NotFoundError(`vm: no pool VM named ${JSON.stringify(vm)} (see hostdeck pool show POOL)`);
      return ctx.door.act('pool.return', { id: p.name }, { message: `Return VM ${vm} to pool ${p.name}${row.user ? ` (from user ${row.user})` : ''}, discarding its run` }, async () => {
        const d = (await virt().domainList()).find((x) => x.name === vm);
        if (d && (isRunning(d) || d.state === 'paused')) await virt().domainDestroy(vm);
        repo.assign(row.vmUuid, null);
        return { vm, pool: p.name, user: row.user };
      });
    },

    /**
     * The host service's duty: in every pool, give back the VMs of automatic
     * pools their users shut down, and start unassigned VMs until
     * `prestarted` run with no user. One event per pool that needed it.
     */
    async maintain(): Promise<string[]> {
      await ready();
      const door = ctx.door.forPrincipal(systemPrincipal(ctx.door.principal.user));
      const done: string[] = [];
      const all = await libvirtVms();
      for (const p of repo.all().filter((x) => x.status === 'ready')) {
        const vms = repo.vms(p.id).map((v) => stateOf(v, all));
        const back = vms.filter((v) => p.type === 'automatic' && v.user !== null && v.state === 'shutoff');
        const after = vms.map((v) => (back.includes(v) ? { ...v, user: null } : v)).filter((v) => v.state !== 'missing');
        const start = vmsToPrestart(after, p.prestarted);
        if (!back.length && !start.length) continue;
        if (door.whyNot('pool.maintain')) continue;
        const what = [...(back.length ? [`given back ${back.map((v) => `${v.name} (from ${v.user})`).join(', ')}`] : []), ...(start.length ? [`started ${start.join(', ')}`] : [])].join('; ');
        await door.act('pool.maintain', { id: p.name }, { message: `Keep pool ${p.name} ready: ${what}` }, async () => {
          releaseShutDown(p, vms);
          for (const n of start) await startVm(n);
        });
        done.push(`${p.name}: ${what}`);
      }
      return done;
    },
  };
}

export type PoolUseCases = ReturnType<typeof createPoolUseCases>;
