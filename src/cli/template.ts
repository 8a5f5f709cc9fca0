// hostdeck template list|show|create|edit|remove, and `vm create --template`
// (a VM from a template, thin or clone). Same use cases and rules as the
// Templates screen (src/core/templates.ts); an error names the option.
import type { FieldError } from '../domain/errors.ts';
import { formatBytes } from '../domain/size.ts';
import type { TemplateOverrides, TemplateMode } from '../domain/templates.ts';
import type { TemplateView } from '../core/templates.ts';
import { cliGuard } from './errors.ts';
import { CommandError, printTable, type Command, type CommandContext } from './registry.ts';
import { cliFieldMessage, createInputFromOptions } from './vm.ts';
import { confirm } from './storage-domain.ts';

const OPTION: Record<string, string> = {
  name: '--name', base: '--base', 'version-name': '--version-name', vm: '--vm', 'storage-domain': '--storage-domain', description: '--description',
  seal: '--seal', version: '--version', template: 'TEMPLATE', edit: 'options', 'template-version': '--template-version', mode: '--thin/--clone',
};

/** vm create names the template by option. */
const VM_OPTION: Record<string, string> = { ...OPTION, template: '--template' };

/** A field error as the CLI says it: "--storage-domain: no storage domain ...". */
function optionMessage(e: FieldError, options = OPTION): string {
  const opt = options[e.field];
  if (!opt) return e.message;
  return e.message.startsWith(`${e.field}: `) ? `${opt}: ${e.message.slice(e.field.length + 2)}` : `${opt}: ${e.message}`;
}

const guard = <T>(fn: () => Promise<T>): Promise<T> => cliGuard(fn, (e) => optionMessage(e));

function templateArg(ctx: CommandContext): string {
  const v = ctx.positionals[0]?.trim();
  if (!v) throw new CommandError('TEMPLATE: is required (a template name, see hostdeck template list)', 2);
  if (ctx.positionals.length > 1) throw new CommandError(`unexpected argument ${JSON.stringify(ctx.positionals[1])}`, 2);
  return v;
}

function noArgs(ctx: CommandContext): void {
  if (ctx.positionals.length) throw new CommandError(`unexpected argument ${JSON.stringify(ctx.positionals[0])}`, 2);
}

const hwText = (t: TemplateView) => `${t.hardware.vcpus} vCPU, ${t.hardware.memoryMiB} MiB`;

function row(t: TemplateView) {
  return {
    name: t.name, version: t.version, 'version name': t.versionName || '-', status: t.status, disks: t.disks.length, size: t.disks.length ? formatBytes(t.disks.reduce((n, d) => n + d.sizeBytes, 0)) : '-',
    hardware: hwText(t), domain: t.storageDomain ?? '-', vms: t.vms.length, sealed: t.sealed ? 'yes' : 'no',
  };
}

/** Which create-input fields the user gave on the command line (the rest come from the template). */
const GIVEN: [string, keyof TemplateOverrides][] = [
  ['vcpus', 'vcpus'], ['memory', 'memoryMiB'], ['description', 'description'], ['network', 'nics'], ['bridge', 'nics'], ['nic', 'nics'], ['boot', 'boot'], ['iso', 'iso'],
  ['kernel', 'kernel'], ['initrd', 'initrd'], ['cmdline', 'cmdline'], ['os', 'osType'], ['machine', 'machine'], ['graphics', 'graphics'], ['firmware', 'firmware'],
  ['cpu', 'cpu'], ['os-variant', 'osVariant'], ['cluster', 'cluster'],
];

/** `hostdeck vm create NAME --template T [--template-version N|latest] --thin|--clone [overrides]`. */
export async function createVmFromTemplate(ctx: CommandContext): Promise<number> {
  const o = ctx.options;
  const template = typeof o.template === 'string' ? o.template : '';
  if (!template) throw new CommandError('--template: is required with --thin or --clone (a template name, see hostdeck template list)', 2);
  if (o.thin && o.clone) throw new CommandError('--thin/--clone: give one of them, not both', 2);
  if (!o.thin && !o.clone) throw new CommandError('--thin/--clone: one is required with --template (thin: overlays on the template\'s images; clone: a full copy)', 2);
  const mode: TemplateMode = o.thin ? 'thin' : 'clone';
  const full = createInputFromOptions(ctx);
  const overrides: TemplateOverrides = { disks: full.disks };
  for (const [opt, field] of GIVEN) if (o[opt] !== undefined) (overrides as Record<string, unknown>)[field] = (full as unknown as Record<string, unknown>)[field];
  const req = { name: full.name, template, version: o['template-version'] as string | undefined, mode, overrides };
  const fieldMessage = (e: FieldError) => (VM_OPTION[e.field] && e.field !== 'name' ? optionMessage(e, VM_OPTION) : cliFieldMessage(e));
  const t = await cliGuard(() => ctx.core.templates(), fieldMessage);
  if (o['dry-run']) {
    const errors = await cliGuard(() => t.validateVm(req), fieldMessage);
    if (errors.length) throw new CommandError(errors.map(fieldMessage), 2);
    const input = await t.vmInput(req);
    const { createSummary } = await import('../domain/vm-create.ts');
    if (ctx.json) ctx.out(JSON.stringify({ valid: true, mode, input }, null, 2));
    else for (const [k, v] of createSummary(input)) ctx.out(`${k.padEnd(13)} ${v}`);
    return 0;
  }
  const r = await cliGuard(() => t.createVm(req, { start: Boolean(o.start), onStep: ctx.json ? undefined : (s) => ctx.err(s) }), fieldMessage);
  if (ctx.json) ctx.out(JSON.stringify({ name: r.name, template, mode, volumes: r.volumes, started: r.started }, null, 2));
  else ctx.out(`${r.name}: created from template ${template} (${mode})${r.volumes.length ? ` with ${r.volumes.join(', ')}` : ''}${r.started ? ' and started' : ''}`);
  return 0;
}

export const templateCommands: Command[] = [
  {
    noun: 'template', verb: 'list', summary: 'List the templates and their versions (Blank is always there)',
    async run(ctx) {
      noArgs(ctx);
      const list = await guard(async () => (await ctx.core.templates()).list());
      printTable(ctx, list.map(row), ['name', 'version', 'version name', 'status', 'disks', 'size', 'hardware', 'domain', 'vms'], list);
      return 0;
    },
  },
  {
    noun: 'template', verb: 'show', summary: 'Show a template: every version, its hardware, disks and the VMs made from it', usage: 'TEMPLATE',
    async run(ctx) {
      const key = templateArg(ctx);
      const versions = await guard(async () => (await ctx.core.templates()).show(key));
      if (ctx.json) { ctx.out(JSON.stringify(versions, null, 2)); return 0; }
      for (const t of versions) {
        const line = (k: string, v: string) => ctx.out(`${k.padEnd(12)} ${v}`);
        line('name', `${t.name} version ${t.version}${t.versionName ? ` (${t.versionName})` : ''}${t.status === 'creating' ? ' [creating]' : ''}`);
        if (t.description) line('description', t.description);
        line('hardware', `${hwText(t)}, CPU ${t.hardware.cpu ?? 'host-model'}, ${(t.hardware.firmware ?? 'bios').toUpperCase()}, machine ${t.hardware.machine}, ${t.hardware.osType}${t.hardware.osVariant ? ` (${t.hardware.osVariant})` : ''}`);
        line('boot', t.hardware.boot === 'kernel' ? `kernel ${t.hardware.kernel ?? ''}` : t.hardware.boot);
        for (const n of t.hardware.nics) line('nic', `${n.kind} ${n.source}, ${n.model ?? 'virtio'}`);
        for (const d of t.disks) line(`disk ${d.idx + 1}`, `${d.path} (${d.format}, ${formatBytes(d.sizeBytes)}, ${d.bus})`);
        if (t.storageDomain) line('domain', t.storageDomain);
        if (t.sourceVm) line('made from', `VM ${t.sourceVm}${t.sealed ? ', sealed' : ''} at ${t.createdAt}`);
        line('VMs', t.vms.length ? t.vms.map((v) => `${v.vmName} (${v.mode})`).join(', ') : 'none');
        ctx.out('');
      }
      return 0;
    },
  },
  {
    noun: 'template', verb: 'create', summary: 'Make a template (or, with --base, a new version of one) from a shut-off VM: its disks copied into read-only images',
    options: {
      vm: { type: 'string', description: 'The shut-off VM to make it from', value: 'VM' },
      name: { type: 'string', description: "The template's name: letters, digits, '.', '-' and '_', at most 40", value: 'NAME' },
      base: { type: 'string', description: 'Make a new version of this template (instead of --name)', value: 'TEMPLATE' },
      'version-name': { type: 'string', description: 'The new version\'s name (with --base)', value: 'NAME' },
      'storage-domain': { type: 'string', description: 'The data storage domain its images go on', value: 'DOMAIN' },
      description: { type: 'string', description: 'Free text, one line, at most 200 characters', value: 'TEXT' },
      seal: { type: 'boolean', description: "Take the guest's identity out of the images (virt-sysprep; refused where it is not installed)" },
    },
    async run(ctx) {
      noArgs(ctx);
      const o = ctx.options;
      const t = await guard(async () => (await ctx.core.templates()).create({
        name: o.name as string | undefined, base: o.base as string | undefined, versionName: o['version-name'] as string | undefined, vm: (o.vm as string | undefined) ?? '',
        storageDomain: (o['storage-domain'] as string | undefined) ?? '', description: o.description as string | undefined, seal: Boolean(o.seal),
      }, { onStep: ctx.json ? undefined : (s) => ctx.err(s) }));
      if (ctx.json) ctx.out(JSON.stringify(t, null, 2));
      else ctx.out(`Made template ${t.name} version ${t.version}${t.versionName ? ` (${t.versionName})` : ''}: ${t.disks.length} image${t.disks.length === 1 ? '' : 's'}, ${t.hardware.vcpus} vCPU, ${t.hardware.memoryMiB} MiB.`);
      return 0;
    },
  },
  {
    noun: 'template', verb: 'edit', summary: "Rename a template (every version) or change a version's description", usage: 'TEMPLATE',
    options: {
      name: { type: 'string', description: 'The new name', value: 'NAME' },
      description: { type: 'string', description: 'The new description (of --version, else the latest)', value: 'TEXT' },
      version: { type: 'string', description: 'Which version\'s description: a number, a version name or latest', value: 'VERSION' },
    },
    async run(ctx) {
      const key = templateArg(ctx);
      const o = ctx.options;
      const t = await guard(async () => (await ctx.core.templates()).edit(key, { name: o.name as string | undefined, description: o.description as string | undefined, version: o.version as string | undefined }));
      ctx.out(ctx.json ? JSON.stringify(t, null, 2) : `Changed template ${t.name} version ${t.version}.`);
      return 0;
    },
  },
  {
    noun: 'template', verb: 'remove', summary: 'Remove a template (or one --version) and delete its images; refused while thin VMs depend on it', usage: 'TEMPLATE',
    options: {
      version: { type: 'string', description: 'Remove only this version (a number or a version name)', value: 'VERSION' },
      yes: { type: 'boolean', description: 'Do not ask' },
    },
    async run(ctx) {
      const key = templateArg(ctx);
      const version = ctx.options.version as string | undefined;
      if (!(await confirm(ctx, `Remove ${version !== undefined ? `version ${version} of ` : ''}template ${key} and delete its images?`))) { ctx.err('cancelled'); return 1; }
      const r = await guard(async () => (await ctx.core.templates()).remove(key, { version }));
      if (ctx.json) ctx.out(JSON.stringify({ removed: r.removed.map((t) => ({ name: t.name, version: t.version, id: t.id })) }, null, 2));
      else ctx.out(`Removed ${r.removed.map((t) => `${t.name} version ${t.version}`).join(', ')} and ${r.removed.reduce((n, t) => n + t.disks.length, 0)} image(s).`);
      return 0;
    },
  },
];
