// Domains on one libvirt connection: reads (list, state, XML, the detail
// view's figures), definition (define, create from a spec, update, clone),
// the lifecycle (start, shutdown, reboot, destroy, suspend, resume, save,
// restore, autostart) and delete with or without the disks. The binding
// where it has the call; virsh (options only, see virsh.ts) for the rest.
// XML is built and changed in src/virt/xml/; the rules for which disks a
// domain owns are pure, in src/domain/vm-disks.ts.
import { domainStateName, parseDomInfo, type DomainInfo, type DomainStateName, type DomainSummary } from './types.ts';
import { virshArgs, virshArgv } from './virsh.ts';
import { isConnectionError, type Virsh, type VirtLink } from './link.ts';
import { parseDomainXml, type DomainDisk } from './xml/parse.ts';
import { domainXml, domainNameProblem, type DomainSpec } from './xml/create.ts';
import { updateDomainXml, type DomainChanges } from './xml/update.ts';
import { DiskLookup, diskRemove, volumeClone, volumeDelete } from './pools.ts';
import { cloneVolumeName, diskRefusalMessage, diskRemovalPlan, ownedDisks, type DiskRemovalPlan, type DiskStorage, type DomainDisks, type VolumeRef } from '../domain/vm-disks.ts';
import { WrongStateError } from '../domain/errors.ts';

/** What a delete with its disks did: sources removed, and those kept because other domains use them. */
export interface UndefineResult {
  removed: string[];
  shared: { disk: string; usedBy: string[] }[];
}

// ---- reads ------------------------------------------------------------------

/** Every defined domain with its state and basic figures. */
export async function domainList(link: VirtLink): Promise<DomainSummary[]> {
  return link.call(async (hv) => {
    const doms = await hv.connectListAllDomains();
    return Promise.all(doms.map(async (d) => {
      const [name, uuid, info, id] = await Promise.all([hv.domainGetName(d), hv.domainGetUUIDString(d), hv.domainGetInfo(d), hv.domainGetID(d).catch(() => -1)]);
      return {
        uuid, name, id: typeof id === 'number' && id > 0 ? id : -1,
        state: domainStateName(info.state), vcpus: info.nrVirtCpu, memoryKiB: info.memory, maxMemoryKiB: info.maxMem, cpuTimeNs: Number(info.cpuTime ?? 0),
      } satisfies DomainSummary;
    }));
  });
}

/** One domain's state (binding, no process). */
export async function domainState(link: VirtLink, name: string): Promise<DomainStateName> {
  return link.withDomain(name, async (hv, d) => domainStateName((await hv.domainGetInfo(d)).state));
}

/** Domain XML (live while running; `inactive` for the persistent definition). */
export async function domainGetXml(link: VirtLink, name: string, opts: { inactive?: boolean } = {}): Promise<string> {
  return link.withDomain(name, (hv, d) => hv.domainGetXMLDesc(d, opts.inactive ? 2 : 0));
}

/** Everything a detail view shows about one domain. */
export async function domainGet(link: VirtLink, name: string): Promise<DomainInfo> {
  const [summary, xml, dominfo, snaps] = await Promise.all([
    link.withDomain(name, async (hv, d) => {
      const [uuid, info, id] = await Promise.all([hv.domainGetUUIDString(d), hv.domainGetInfo(d), hv.domainGetID(d).catch(() => -1)]);
      return {
        uuid, name, id: typeof id === 'number' && id > 0 ? id : -1, state: domainStateName(info.state), vcpus: info.nrVirtCpu,
        memoryKiB: info.memory, maxMemoryKiB: info.maxMem, cpuTimeNs: Number(info.cpuTime ?? 0),
      } satisfies DomainSummary;
    }),
    domainGetXml(link, name),
    link.virsh(virshArgs('dominfo', { domain: name })).then(parseDomInfo),
    link.virsh(virshArgs('snapshot-list', { domain: name }, ['--name'])).then((t) => t.split('\n').filter((l) => l.trim()).length).catch(() => 0),
  ]);
  return {
    ...summary,
    persistent: dominfo.Persistent !== 'no',
    autostart: dominfo.Autostart === 'enable',
    managedSave: dominfo['Managed save'] === 'yes',
    snapshots: snaps,
    details: parseDomainXml(xml),
  };
}

/** Names of the running (or, with `all`, every defined) domains, through virsh alone. */
export async function domainNames(virsh: Virsh, all: boolean): Promise<string[]> {
  const out = await virsh(virshArgs('list', {}, all ? ['--all', '--name'] : ['--name']));
  return out.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** A domain's XML through virsh alone. */
export async function domainXmlText(virsh: Virsh, name: string): Promise<string> {
  return virsh(virshArgs('dumpxml', { domain: name }));
}

/** A domain's state as virsh words it ("running", "shut off"), through virsh alone. */
export async function domainStateText(virsh: Virsh, name: string): Promise<string> {
  return (await virsh(virshArgs('domstate', { domain: name }))).trim();
}

// ---- definition ---------------------------------------------------------------

/** Define a domain from XML; returns its name. */
export async function domainDefine(link: VirtLink, xml: string): Promise<string> {
  return link.call(async (hv) => hv.domainGetName(await hv.domainDefineXML(xml)));
}

/** Define a domain from a spec (see xml/create.ts); returns its name. */
export async function domainCreate(link: VirtLink, spec: DomainSpec): Promise<string> {
  return domainDefine(link, domainXml(spec));
}

/** Change a defined domain (takes effect at its next start); returns the new XML. */
export async function domainUpdate(link: VirtLink, name: string, changes: Omit<DomainChanges, 'newUuid' | 'newMacs' | 'name'>): Promise<string> {
  const xml = updateDomainXml(await domainGetXml(link, name, { inactive: true }), changes);
  await domainDefine(link, xml);
  return xml;
}

/**
 * Clone a shut-off domain: new name, UUID and MACs. Every disk it owns is
 * copied with vol-clone in its own pool on this connection (a file disk
 * stays a file disk, on the new volume's path); read-only and CD-ROM
 * images are shared. A writable disk that is not a volume of a pool here
 * is refused, with the reason, before anything is copied; a failure takes
 * back the volumes made so far (vol-delete). Returns the clone's name and
 * its volumes (POOL/VOLUME).
 */
export async function domainClone(link: VirtLink, name: string, newName: string, changes: Pick<DomainChanges, 'memoryMiB' | 'vcpus' | 'description' | 'title'> = {}): Promise<{ name: string; volumes: string[] }> {
  const problem = domainNameProblem(newName);
  if (problem) throw new Error(`domain name ${JSON.stringify(newName)}: ${problem}`);
  if ((await domainState(link, name)) !== 'shutoff') throw new WrongStateError(`${name} must be shut off to be cloned`);
  const xml = await domainGetXml(link, name, { inactive: true });
  const lookup = new DiskLookup(link.virsh, link.uri);
  const disks: { disk: DomainDisk; storage: DiskStorage }[] = [];
  for (const disk of parseDomainXml(xml).disks.filter((d) => d.device === 'disk' && !d.readonly)) disks.push({ disk, storage: await lookup.disk(disk, 'copy') });
  const refusals = disks.map((d) => d.storage.problem).filter((p): p is string => Boolean(p));
  if (refusals.length) throw new WrongStateError(`cannot clone ${name}: ${refusals.join('; ')}`);
  const diskPaths: Record<string, string> = {};
  const diskVolumes: Record<string, { pool: string; volume: string }> = {};
  const created: VolumeRef[] = [];
  try {
    for (const [i, { disk, storage }] of disks.entries()) {
      const copy = await volumeClone(link.virsh, storage.volume!, cloneVolumeName(newName, i, disk.target, storage.volume!.name, disk.format));
      created.push(copy);
      if (disk.type === 'file') diskPaths[disk.target] = copy.path;
      else diskVolumes[disk.target] = { pool: copy.pool, volume: copy.name };
    }
    await domainDefine(link, updateDomainXml(xml, { ...changes, name: newName, newUuid: true, newMacs: true, diskPaths, diskVolumes }));
    return { name: newName, volumes: created.map((v) => `${v.pool}/${v.name}`) };
  } catch (err) {
    for (const v of created) await volumeDelete(link.virsh, v).catch(() => undefined);
    throw err;
  }
}

// ---- lifecycle ------------------------------------------------------------------

/** Start (boot) a defined domain. */
export async function domainStart(link: VirtLink, name: string): Promise<void> {
  await link.withDomain(name, (hv, d) => hv.domainCreate(d));
}

/**
 * Start a defined, shut-off domain from another XML of it (same name and
 * UUID): libvirt runs it with this definition and keeps its persistent one
 * for the next start (a before-hook's rewrite holds for this run only).
 */
export async function domainStartWithXml(link: VirtLink, xml: string): Promise<void> {
  await link.call((hv) => hv.domainCreateXML(xml));
}

/** Ask the guest to shut down (ACPI); returns once asked, not once it is off. */
export async function domainShutdown(link: VirtLink, name: string): Promise<void> {
  await link.withDomain(name, (hv, d) => hv.domainShutdown(d));
}

/** Ask the guest to reboot. */
export async function domainReboot(link: VirtLink, name: string): Promise<void> {
  await link.virsh(virshArgs('reboot', { domain: name }));
}

/** Power off at once (pull the plug). */
export async function domainDestroy(link: VirtLink, name: string): Promise<void> {
  await link.withDomain(name, (hv, d) => hv.domainDestroy(d));
}

export async function domainSuspend(link: VirtLink, name: string): Promise<void> {
  await link.withDomain(name, (hv, d) => hv.domainSuspend(d));
}

export async function domainResume(link: VirtLink, name: string): Promise<void> {
  await link.withDomain(name, (hv, d) => hv.domainResume(d));
}

/** Save the running domain's memory to a file and stop it. */
export async function domainSave(link: VirtLink, name: string, file: string): Promise<void> {
  await link.withDomain(name, (hv, d) => hv.domainSave(d, file));
}

/** Start a domain again from a file written by domainSave. */
export async function domainRestore(link: VirtLink, file: string): Promise<void> {
  await link.call((hv) => hv.domainRestore(file));
}

/** Save the running domain's memory in libvirt's managed save image and stop it; the next start resumes from it. */
export async function domainManagedSave(link: VirtLink, name: string): Promise<void> {
  await link.virsh(virshArgs('managedsave', { domain: name }), { timeoutMs: 600_000 });
}

/** Change the running domain's description now (the definition is changed by domainUpdate). */
export async function domainSetLiveDescription(link: VirtLink, name: string, description: string): Promise<void> {
  await link.virsh(virshArgs('desc', { domain: name, 'new-desc': description }, ['--live']));
}

export async function domainSetAutostart(link: VirtLink, name: string, on: boolean): Promise<void> {
  await link.virsh(virshArgs('autostart', { domain: name }, on ? [] : ['--disable']));
}

/** The program and arguments that attach the terminal to the domain's serial console (for runInteractive). */
export function domainConsoleCommand(uri: string, name: string): { command: string; args: string[] } {
  return { command: 'virsh', args: virshArgv(uri, virshArgs('console', { domain: name }, ['--force'])) };
}

/** Wait until the domain is in one of `states` (polls the binding every 200 ms); resolves with the state. */
export async function domainWaitState(link: VirtLink, name: string, states: readonly DomainStateName[], timeoutMs: number): Promise<DomainStateName> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await domainState(link, name);
    if (states.includes(s)) return s;
    if (Date.now() > until) throw new Error(`${name} is ${s}, not ${states.join('/')} after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---- delete -------------------------------------------------------------------

/**
 * Remove the definition. Snapshot metadata, a managed save image and UEFI
 * variables go with it. With `removeStorage` the disks it owns go too, on
 * this connection only: a pool volume with vol-delete; a file hostdeck
 * removes itself only on a local URI and in a pool it manages
 * (`managedPools`). Any other disk refuses the whole delete, with the
 * reason, before anything is removed or undefined. A disk another domain
 * uses is kept. CD-ROMs and read-only images stay.
 */
export async function domainUndefine(link: VirtLink, name: string, opts: { removeStorage?: boolean; managedPools?: readonly string[] } = {}): Promise<UndefineResult> {
  if (!opts.removeStorage) {
    await undefineDefinition(link, name);
    return { removed: [], shared: [] };
  }
  const state = await domainState(link, name);
  if (state !== 'shutoff' && state !== 'crashed') throw new WrongStateError(`${name} is ${state}: it must be shut off before its disks are removed`);
  const plan = await domainDiskRemovalPlan(link, name, opts.managedPools);
  if (plan.refusals.length) throw new WrongStateError(diskRefusalMessage(name, plan.refusals));
  await undefineDefinition(link, name);
  const removed: string[] = [];
  const failed: string[] = [];
  for (const d of plan.remove) {
    try {
      await diskRemove(link.virsh, d);
      removed.push(d.source);
    } catch (err) {
      failed.push(`${d.source} (${(err as Error).message})`);
    }
  }
  if (failed.length) throw new Error(`${name} was deleted, but these disks could not be removed: ${failed.join(', ')}`);
  return { removed, shared: plan.shared.map((x) => ({ disk: x.disk.source, usedBy: x.usedBy })) };
}

/** What domainUndefine with `removeStorage` would remove, keep and refuse; changes nothing. */
export async function domainDiskRemovalPlan(link: VirtLink, name: string, managedPools: readonly string[] = []): Promise<DiskRemovalPlan> {
  const disks = ownedDisks(parseDomainXml(await domainGetXml(link, name, { inactive: true })).disks);
  const lookup = new DiskLookup(link.virsh, link.uri, managedPools);
  const storage: DiskStorage[] = [];
  for (const d of disks) storage.push(await lookup.disk(d, 'remove'));
  return diskRemovalPlan(storage, disks.length ? await otherDomainsDisks(link, name) : []);
}

/** The disks of every other domain: its persistent definition, and the live one while it runs (a disk attached live counts). */
async function otherDomainsDisks(link: VirtLink, name: string): Promise<DomainDisks[]> {
  // A domain removed since the list was read uses nothing; any other failure stops the delete.
  const gone = (err: unknown) => { if (/no domain named|not found|no domain with matching/i.test(String((err as Error).message))) return ''; throw err; };
  const out: DomainDisks[] = [];
  for (const other of await domainList(link)) {
    if (other.name === name) continue;
    const xmls = [await domainGetXml(link, other.name, { inactive: true }).catch(gone), other.id > 0 ? await domainGetXml(link, other.name).catch(gone) : ''];
    out.push({ domain: other.name, disks: xmls.filter(Boolean).flatMap((x) => parseDomainXml(x).disks) });
  }
  return out;
}

/** Undefine with whatever else the definition holds (snapshot metadata, managed save, nvram). */
async function undefineDefinition(link: VirtLink, name: string): Promise<void> {
  try {
    await link.withDomain(name, (hv, d) => hv.domainUndefine(d));
    return;
  } catch (err) {
    if (isConnectionError(err) || /no domain named|not found/i.test(String((err as Error).message))) throw err;
    // Snapshots, managed save or nvram block the plain undefine: virsh has the flags.
  }
  await link.virsh(virshArgs('undefine', { domain: name }, ['--snapshots-metadata', '--managed-save', '--nvram']));
}
