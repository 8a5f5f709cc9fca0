// The template use cases: list and show templates and their versions, make
// one (or a new version) from a shut-off VM, rename or describe it, remove it
// (refused while thin VMs depend on its images), and clean up what a copy
// killed half-way left. VMs from a template: template-vms.ts.
//
// A template row is written 'creating' before its images are copied and made
// 'ready' after, so a copy that fails takes back its images and row, and one
// killed meanwhile is found at the next first use (cleanup) by its status and
// its creator process gone; an image no row owns is found by its name.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError, NotFoundError, WrongStateError, type FieldError } from '../domain/errors.ts';
import {
  BLANK_TEMPLATE, hardwareOf, pickVersion, templateBus, templateDescriptionProblem, templateImageName, templateInputProblems, templateNameProblem,
  type Template, type TemplateDisk, type TemplateInput,
} from '../domain/templates.ts';
import { storageDomainRepo, type StorageDomain } from '../manager/repos/storage-domains.ts';
import { templateRepo, type VmTemplateLink } from '../manager/repos/templates.ts';
import { parseDomainXml } from '../virt/xml/parse.ts';
import { osVariants } from '../host/osinfo.ts';
import { canSeal, copyImage, makeReadOnly, processAlive, SEAL_MISSING, sealImage, templateImagesIn, virtualSize } from './template-images.ts';
import { systemPrincipal } from './principal.ts';
import { createTemplateVms } from './template-vms.ts';
import type { CoreContext } from './index.ts';

export type { Template } from '../domain/templates.ts';

/** One template version with the VMs made from it. */
export interface TemplateView extends Template {
  storageDomain: string | null;
  /** The libvirt pool of its storage domain (its images are that pool's volumes). */
  poolName: string | null;
  vms: VmTemplateLink[];
}

const invalid = (field: string, rule: string) => new InvalidInputError([{ field, message: `${field}: ${rule}` }]);

export function createTemplateUseCases(ctx: CoreContext) {
  const repo = templateRepo(ctx.infra.db);
  const domains = storageDomainRepo(ctx.infra.db);
  const virt = () => ctx.infra.virt;
  const imagesDir = (d: StorageDomain) => join(d.path, 'images');
  const refresh = (d: StorageDomain | undefined) => (d ? virt().storagePoolRefresh(d.poolName).catch(() => undefined) : Promise.resolve());
  const domainOf = (t: Template) => (t.storageDomainId ? domains.byKey(t.storageDomainId) : undefined);

  /** The VMs still there that came from these versions (a link whose VM is gone is dropped). */
  const liveLinks = async (ids: readonly string[]): Promise<VmTemplateLink[]> => {
    const links = repo.linksTo(ids);
    if (!links.length) return [];
    const uuids = new Set((await virt().domainList()).map((d) => d.uuid));
    for (const l of links) if (!uuids.has(l.vmUuid)) repo.unlink(l.vmUuid);
    return links.filter((l) => uuids.has(l.vmUuid));
  };

  const deleteImages = async (t: Template) => {
    for (const d of t.disks) await rm(d.path, { force: true });
    await refresh(domainOf(t));
  };

  /**
   * The leftovers of a template copy killed half-way: 'creating' rows whose
   * creator is gone (with their images), and template images no row owns.
   * hostdeck's own work, written as one event; nothing in read-only mode.
   */
  async function cleanup(): Promise<string[]> {
    const door = ctx.door.forPrincipal(systemPrincipal(ctx.door.principal.user));
    if (door.whyNot('template.cleanup')) return [];
    const dead = repo.creating().filter((t) => t.creatorPid === null || !processAlive(t.creatorPid));
    const known = new Set(repo.all().map((t) => t.id));
    const orphans: { file: string; domain: StorageDomain }[] = [];
    // Only active domains: reading an unreachable mount could hang.
    for (const d of domains.all().filter((x) => x.type === 'data' && x.kind === 'file' && x.status === 'active')) {
      for (const img of await templateImagesIn(imagesDir(d))) if (!known.has(img.templateId)) orphans.push({ file: img.file, domain: d });
    }
    if (!dead.length && !orphans.length) return [];
    const what = [...dead.map((t) => `template ${t.name} version ${t.version} left 'creating' (${t.disks.length} image${t.disks.length === 1 ? '' : 's'})`), ...orphans.map((o) => `image ${o.file} no template owns`)];
    await door.act('template.cleanup', { id: '*' }, { message: `Clean up after a template copy killed half-way: ${what.join('; ')}`, severity: 'warning' }, async () => {
      for (const t of dead) await deleteImages(t);
      for (const o of orphans) await rm(o.file, { force: true });
      for (const d of new Set(orphans.map((o) => o.domain))) await refresh(d);
      repo.remove(dead.map((t) => t.id));
    });
    return what;
  }
  let cleaned: Promise<unknown> | undefined;
  /** Every template use case starts here: the first one cleans up after a killed copy. */
  const ready = () => (cleaned ??= cleanup().catch(() => undefined));

  const versionsOrThrow = (key: string, field = 'template'): Template[] => {
    const v = repo.versionsOf(key);
    if (!v.length) throw new NotFoundError(`${field}: no template named ${JSON.stringify(key)} (see hostdeck template list)`);
    return v;
  };
  const viewOf = (t: Template, vms: VmTemplateLink[]): TemplateView => ({ ...t, storageDomain: domainOf(t)?.name ?? null, poolName: domainOf(t)?.poolName ?? null, vms });
  const view = async (t: Template): Promise<TemplateView> => viewOf(t, await liveLinks([t.id]).catch(() => repo.linksTo([t.id])));

  /** The target of a new template's images: an active file data domain. */
  const targetDomain = (key: string): StorageDomain => {
    const d = domains.byKey(key);
    if (!d) throw invalid('storage-domain', `no storage domain ${JSON.stringify(key)} (see hostdeck storage domain list)`);
    if (d.type !== 'data') throw invalid('storage-domain', `${d.name} is an ${d.type} domain: template images go on a data domain`);
    if (d.kind !== 'file') throw invalid('storage-domain', `${d.name} is a block domain: template images go on a file data domain (NFS, POSIX, local directory)`);
    if (d.status !== 'active') throw new WrongStateError(`storage domain ${d.name} is ${d.status}: activate it first`);
    return d;
  };

  /** The source VM: shut off, with disks qemu-img can copy. */
  const sourceVm = async (name: string) => {
    const state = await virt().domainState(name).catch(() => undefined);
    if (!state) throw invalid('vm', `no VM named ${JSON.stringify(name)} (see hostdeck vm list)`);
    if (state !== 'shutoff') throw new WrongStateError(`VM ${name} is ${state}: a template is made from a shut-off VM (shut it down first)`);
    const xml = await virt().domainGetXml(name, { inactive: true });
    const details = parseDomainXml(xml);
    const disks: { path: string; format: 'qcow2' | 'raw'; bus: TemplateDisk['bus'] }[] = [];
    const problems: FieldError[] = [];
    for (const d of details.disks.filter((x) => x.device === 'disk')) {
      const path = d.path ?? (d.pool && d.volume ? await virt().storageVolumePath(d.pool, d.volume).catch(() => undefined) : undefined);
      if (!path) { problems.push({ field: 'vm', message: `vm: disk ${d.target} of ${name} has no file or device to copy` }); continue; }
      const format = d.format ?? 'raw';
      if (format !== 'qcow2' && format !== 'raw') { problems.push({ field: 'vm', message: `vm: disk ${d.target} of ${name} is ${format}: template disks are qcow2 or raw` }); continue; }
      disks.push({ path, format, bus: templateBus(d.bus) });
    }
    if (problems.length) throw new InvalidInputError(problems);
    const os = await osVariants();
    return { hardware: hardwareOf(details, xml, 'list' in os ? os.list : []), disks };
  };

  return {
    cleanup,

    async list(): Promise<TemplateView[]> {
      await ready();
      return ctx.door.act('template.list', { id: '*' }, { message: 'List the templates' }, async () => {
        const all = repo.all();
        const links = await liveLinks(all.map((t) => t.id)).catch(() => repo.linksTo(all.map((t) => t.id)));
        return all.map((t) => viewOf(t, links.filter((l) => l.templateId === t.id)));
      });
    },

    /** Every version of one template, oldest first. */
    async show(key: string): Promise<TemplateView[]> {
      await ready();
      return Promise.all(versionsOrThrow(key).map(view));
    },

    /** One version of a template: a number, a version name, or latest. */
    async version(key: string, version?: string): Promise<Template> {
      await ready();
      const t = pickVersion(versionsOrThrow(key), version);
      if (typeof t === 'string') throw invalid('template-version', `template ${key} ${t}`);
      return t;
    },

    /** Whether a template can be sealed here (virt-sysprep installed). */
    canSeal,

    /**
     * Make a template, or a new version of one (input.base), from a shut-off
     * VM: its disks copied into read-only images on a data domain, its
     * hardware recorded. A failure takes back every image and the row.
     */
    async create(input: TemplateInput, opts: { onStep?: (text: string) => void } = {}): Promise<Template> {
      await ready();
      const step = opts.onStep ?? (() => undefined);
      const problems = templateInputProblems(input, repo.names());
      if (problems.length) throw new InvalidInputError(problems);
      if (input.seal && !(await canSeal())) throw invalid('seal', SEAL_MISSING);
      const base = input.base !== undefined ? versionsOrThrow(input.base, 'base')[0]! : undefined;
      const domain = targetDomain(input.storageDomain);
      const src = await sourceVm(input.vm);
      const id = randomUUID();
      const name = base?.name ?? input.name!;
      const version = base ? repo.nextVersion(base.baseId) : 1;
      const dir = imagesDir(domain);
      const disks: TemplateDisk[] = src.disks.map((d, idx) => {
        const volume = templateImageName(id, idx, d.format);
        return { idx, volume, path: join(dir, volume), format: d.format, bus: d.bus, sizeBytes: 0 };
      });
      const t: Template = {
        id, baseId: base?.baseId ?? id, name, version, versionName: base ? input.versionName! : '', description: input.description ?? '', storageDomainId: domain.id,
        sourceVm: input.vm, hardware: src.hardware, sealed: Boolean(input.seal), status: 'creating', creatorPid: process.pid, createdAt: new Date().toISOString(), disks,
      };
      const what = base ? `version ${version}${t.versionName ? ` (${t.versionName})` : ''} of template ${name}` : `template ${name}`;
      return ctx.door.act('template.create', { id: name }, { message: `Make ${what} from VM ${input.vm} on storage domain ${domain.name}${input.seal ? ', sealed' : ''}` }, async () => {
        repo.insert(t);
        try {
          for (const [i, d] of disks.entries()) {
            step(`copying disk ${i + 1} of ${disks.length} of ${input.vm} to ${d.path}`);
            await copyImage(src.disks[i]!.path, src.disks[i]!.format, d.path, d.format);
            if (input.seal) { step(`sealing ${d.volume}`); await sealImage(d.path, d.format); }
            await makeReadOnly(d.path);
            d.sizeBytes = await virtualSize(d.path, d.format);
          }
          await virt().storagePoolRefresh(domain.poolName);
          repo.markReady(id, disks);
        } catch (e) {
          await deleteImages(t);
          repo.remove([id]);
          throw new Error(`${(e as Error).message} (nothing was left behind)`, { cause: e });
        }
        return repo.byId(id)!;
      });
    },

    /** Rename a template (every version) or change one version's description (the latest when none is named). */
    async edit(key: string, change: { name?: string; description?: string; version?: string }): Promise<Template> {
      await ready();
      const problems: FieldError[] = [];
      if (change.name !== undefined) { const p = templateNameProblem(change.name); if (p) problems.push({ field: 'name', message: `name: ${p}` }); }
      const dp = templateDescriptionProblem(change.description);
      if (dp) problems.push({ field: 'description', message: `description: ${dp}` });
      if (change.name === undefined && change.description === undefined) problems.push({ field: 'edit', message: 'edit: nothing to change (give a name or a description)' });
      if (problems.length) throw new InvalidInputError(problems);
      const versions = versionsOrThrow(key);
      const picked = pickVersion(versions, change.version);
      if (typeof picked === 'string') throw invalid('version', `template ${key} ${picked}`);
      if (change.name !== undefined && versions[0]!.name === BLANK_TEMPLATE) throw new WrongStateError('the Blank template keeps its name');
      if (change.name !== undefined && change.name !== picked.name && repo.names().includes(change.name)) throw invalid('name', `a template named ${change.name} already exists`);
      return ctx.door.act('template.edit', { id: picked.name }, { message: `Change template ${picked.name}${change.name !== undefined ? `: name ${change.name}` : ''}${change.description !== undefined ? `${change.name !== undefined ? ',' : ':'} description of version ${picked.version}` : ''}` }, (scope) => {
        scope.commit(() => repo.edit(picked.baseId, picked.id, change));
        return repo.byId(picked.id)!;
      });
    },

    /**
     * Remove a template (every version) or one version, and delete its
     * images; refused while thin VMs depend on them (named), and for the
     * first version while later ones exist. Clones do not depend on it.
     */
    async remove(key: string, opts: { version?: string } = {}): Promise<{ removed: Template[] }> {
      await ready();
      const versions = versionsOrThrow(key);
      // The input first: a version that does not exist is refused as such, whatever the template.
      const picked = opts.version !== undefined ? pickVersion(versions, opts.version) : undefined;
      if (typeof picked === 'string') throw invalid('version', `template ${key} ${picked}`);
      if (versions[0]!.name === BLANK_TEMPLATE) throw new WrongStateError('the Blank template cannot be removed');
      let targets = versions;
      if (picked) {
        if (picked.version === 1 && versions.length > 1) throw new WrongStateError(`version 1 of template ${picked.name} is its base: remove versions ${versions.slice(1).map((v) => v.version).join(', ')} first, or the whole template`);
        targets = [picked];
      }
      const label = `${opts.version !== undefined ? `version ${targets[0]!.version} of ` : ''}template ${versions[0]!.name}`;
      return ctx.door.act('template.remove', { id: versions[0]!.name }, { message: `Remove ${label} and delete its images` }, async () => {
        const thin = (await liveLinks(targets.map((t) => t.id))).filter((l) => l.mode === 'thin');
        if (thin.length) throw new WrongStateError(`Removing ${label} refused: thin VM${thin.length === 1 ? '' : 's'} ${thin.map((l) => l.vmName).join(', ')} depend${thin.length === 1 ? 's' : ''} on its images (remove them first; clones do not depend on it)`);
        for (const t of targets) await deleteImages(t);
        repo.remove(targets.map((t) => t.id));
        return { removed: targets };
      });
    },

    ...createTemplateVms(ctx, { repo, domains, ready, version: (key, v) => {
      const versions = repo.versionsOf(key);
      if (!versions.length) throw invalid('template', `no template named ${JSON.stringify(key)} (see hostdeck template list)`);
      const t = pickVersion(versions, v);
      if (typeof t === 'string') throw invalid('template-version', `template ${key} ${t}`);
      return t;
    } }),
  };
}

export type TemplateUseCases = ReturnType<typeof createTemplateUseCases>;
