// A new VM from a template version: thin (its disks are qcow2 overlays backed
// by the template's images, which it then depends on) or clone (full,
// independent copies). The template's hardware are the defaults, the
// overrides win; the create itself is vmCreate's (validation, the door, the
// rollback that also takes back the overlays or copies made for it).
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError, WrongStateError } from '../domain/errors.ts';
import { newVolumeName, type FieldError, type VmCreateInput } from '../domain/vm-create.ts';
import { TEMPLATE_MODES, vmInputFromTemplate, type Template, type TemplateMode, type TemplateOverrides } from '../domain/templates.ts';
import type { StorageDomainRepo } from '../manager/repos/storage-domains.ts';
import type { TemplateRepo } from '../manager/repos/templates.ts';
import { parseDomainXml } from '../virt/xml/parse.ts';
import { copyImage } from './template-images.ts';
import { vmCreate, vmValidateCreate, type CreateOptions, type CreateResult, type FromTemplate } from './vm-create.ts';
import type { CoreContext } from './index.ts';

export interface VmFromTemplate {
  name: string;
  template: string;
  /** A version number, a version name, or latest (the default). */
  version?: string;
  mode: TemplateMode;
  overrides?: TemplateOverrides;
}

interface Deps {
  repo: TemplateRepo;
  domains: StorageDomainRepo;
  ready: () => Promise<unknown>;
  version: (key: string, version: string | undefined) => Template;
}

export function createTemplateVms(ctx: CoreContext, { repo, domains, ready, version }: Deps) {
  /** The template version, its domain and the create input, or every problem with the request. */
  const resolve = (req: VmFromTemplate) => {
    if (!TEMPLATE_MODES.includes(req.mode)) throw new InvalidInputError([{ field: 'mode', message: `mode: must be thin or clone (got ${JSON.stringify(req.mode)})` }]);
    const t = version(req.template, req.version);
    const domain = t.storageDomainId ? domains.byKey(t.storageDomainId) : undefined;
    if (t.disks.length && !domain) throw new WrongStateError(`template ${t.name}: its storage domain is gone (its images cannot be read)`);
    if (domain && domain.status !== 'active') throw new WrongStateError(`template ${t.name}: its storage domain ${domain.name} is ${domain.status}: activate it first`);
    const input = vmInputFromTemplate(t, domain?.poolName, req.name, req.overrides ?? { disks: [] });
    const volumeOf = (i: number) => newVolumeName(req.name, i, req.mode === 'thin' ? 'qcow2' : t.disks[i]!.format);
    return { t, domain, input, volumeOf };
  };

  /** The new VM's disk names already taken on the template's domain (qemu-img would write over them). */
  const takenNames = ({ t, domain, volumeOf }: ReturnType<typeof resolve>): FieldError[] => (domain ? t.disks.flatMap((_, i) =>
    existsSync(join(domain.path, 'images', volumeOf(i))) ? [{ field: 'name', message: `name: a volume ${volumeOf(i)} already exists on storage domain ${domain.name} (pick another VM name)` }] : []) : []);

  return {
    /** The create input a VM from this template gets (the wizard's summary, `vm create --dry-run`). */
    async vmInput(req: VmFromTemplate): Promise<VmCreateInput> {
      await ready();
      return resolve(req).input;
    },
    async validateVm(req: VmFromTemplate): Promise<FieldError[]> {
      await ready();
      const r = resolve(req);
      return [...(await vmValidateCreate(ctx, r.input)), ...takenNames(r)];
    },

    /** Create a VM from a template; on failure no overlay, copy or domain is left. */
    async createVm(req: VmFromTemplate, opts: Omit<CreateOptions, 'fromTemplate'> = {}): Promise<CreateResult> {
      await ready();
      const r = resolve(req);
      const { t, domain, input, volumeOf } = r;
      // vmCreate checks the rest of the input.
      const taken = takenNames(r);
      if (taken.length) throw new InvalidInputError(taken);
      const fromTemplate: FromTemplate = {
        label: `from template ${t.name} version ${t.version} (${req.mode})`,
        async derive(i, vm, step) {
          const td = t.disks[i];
          if (!td || !domain) return undefined;
          const volume = volumeOf(i);
          const dst = join(domain.path, 'images', volume);
          if (existsSync(dst)) throw new WrongStateError(`${dst} already exists`);
          if (req.mode === 'thin') {
            step(`creating ${volume}, a thin overlay of ${td.volume}`);
            // libvirt makes it and lists it at once, so the create's rollback can delete it.
            await ctx.infra.virt.storageVolumeCreateOverlay(domain.poolName, volume, { path: td.path, format: td.format, sizeBytes: td.sizeBytes });
            return { pool: domain.poolName, volume, format: 'qcow2' };
          }
          step(`copying ${td.volume} to ${volume}`);
          await copyImage(td.path, td.format, dst, td.format);
          // libvirt lists it from now on, so the create's rollback can delete it.
          await ctx.infra.virt.storagePoolRefresh(domain.poolName).catch(async (e: unknown) => {
            await rm(dst, { force: true });
            throw e;
          });
          return { pool: domain.poolName, volume, format: td.format };
        },
        async record(vm) {
          const uuid = parseDomainXml(await ctx.infra.virt.domainGetXml(vm, { inactive: true })).uuid;
          repo.link({ vmUuid: uuid, vmName: vm, templateId: t.id, mode: req.mode, createdAt: new Date().toISOString() });
        },
      };
      return vmCreate(ctx, input, { ...opts, fromTemplate });
    },

    /** Which template a VM came from and how (undefined: not from a template). */
    origin(vmUuid: string) {
      const l = repo.linkOf(vmUuid);
      const t = l && repo.byId(l.templateId);
      return l && t ? { template: t.name, version: t.version, mode: l.mode } : undefined;
    },
  };
}
