// hostdeck vm list|show|create|start|shutdown|reboot|stop|pause|resume|save|
// restore|clone|edit|delete|console and hostdeck vm snapshot
// create|list|revert|delete; hostdeck demo. Same use cases, validation and
// events as the console (src/core/vms.ts). Exit status as every
// command's (src/cli/errors.ts).
import { parseDiskSpec, parseMiB, type BootKind, type DiskInput, type FieldError, type GraphicsKind, type OsType, type VmCreateInput } from '../domain/vm-create.ts';
import { FIRMWARES, parseNicSpec, type Firmware, type NicInput } from '../domain/vm-devices.ts';
import { diskText, nicText, snapshotTreeText, vmFirmware } from '../domain/vm-display.ts';
import { diskRefusalMessage } from '../domain/vm-disks.ts';
import { objectNameProblem } from '../domain/names.ts';
import type { VmUseCases } from '../core/vms.ts';
import { cliGuard } from './errors.ts';
import { CommandError, printTable, type Command, type CommandContext } from './registry.ts';

const FIELD_OPTION: [RegExp, string][] = [
  [/^name$/, 'NAME'], [/^vcpus$/, '--vcpus'], [/^memory$/, '--memory'], [/^description$/, '--description'], [/^disks\[/, '--disk'],
  [/^nics\[/, '--nic'], [/^firmware$/, '--firmware'], [/^cpu$/, '--cpu'], [/^osVariant$/, '--os-variant'], [/^cluster$/, '--cluster'], [/^boot$/, '--boot'], [/^iso$/, '--iso'], [/^kernel$/, '--kernel'],
  [/^initrd$/, '--initrd'], [/^cmdline$/, '--cmdline'], [/^machine$/, '--machine'], [/^os$/, '--os'], [/^graphics$/, '--graphics'], [/^snapshot$/, 'SNAPSHOT'], [/^edit$/, 'options'],
  [/^pool$/, '--pool'],
];

/** Options that stand for several fields: the message's label says which ("--disk: disk 2 pool: ..."). */
const LABELLED = new Set(['--disk', '--nic']);

/** A field error as the CLI says it: the option first, then the rule ("--memory: must be more than 0 MiB"). */
export const cliFieldMessage = (e: FieldError): string => fieldMessageBy(FIELD_OPTION, e);

/** A field error named by the first option of `options` whose pattern matches its field. */
function fieldMessageBy(options: readonly [RegExp, string][], e: FieldError): string {
  const opt = options.find(([re]) => re.test(e.field))?.[1];
  if (!opt) return e.message;
  // The rules' messages start with the field's label ("name: must ..."), which the option replaces.
  const i = e.message.indexOf(': ');
  const label = i >= 0 ? e.message.slice(0, i) : '';
  const rule = i >= 0 ? e.message.slice(i + 2) : e.message;
  return LABELLED.has(opt) && label ? `${opt}: ${label}: ${rule}` : `${opt}: ${rule}`;
}

/** Run a service call; its errors become the CLI's (src/cli/errors.ts), field errors named by option. */
const guard = <T>(fn: () => Promise<T>, message: (e: FieldError) => string = cliFieldMessage): Promise<T> => cliGuard(fn, message);

/** vm create's field errors: the first NIC, when --network or --bridge made it, is named by those options and --mac. */
function createFieldMessage(ctx: CommandContext): (e: FieldError) => string {
  const first = ctx.options.network !== undefined ? '--network' : ctx.options.bridge !== undefined ? '--bridge' : undefined;
  if (!first) return cliFieldMessage;
  return (e) => fieldMessageBy([[/^nics\[0\]\.mac$/, '--mac'], [/^nics\[0\]\./, first], ...FIELD_OPTION], e);
}

function vmArg(ctx: CommandContext, what = 'NAME'): string {
  const n = ctx.positionals[0];
  if (!n) throw new CommandError(`${what}: is required (a VM name, see hostdeck vm list)`, 2);
  return checkedName(what, n);
}

/** A VM or snapshot name from the command line, refused before anything runs when it breaks the names' shared rule. */
function checkedName(what: string, name: string): string {
  const problem = objectNameProblem(name);
  if (problem) throw new CommandError(`${what}: ${problem}`, 2);
  return name;
}

async function yesOrAsk(ctx: CommandContext, question: string): Promise<boolean> {
  if (ctx.options.yes) return true;
  if (!ctx.interactive) throw new CommandError(`refusing without a terminal to ask on: add --yes to ${question.replace(/\?$/, '').toLowerCase()}`, 2);
  const a = await ctx.prompt(`${question} [y/N] `);
  return /^y(es)?$/i.test((a ?? '').trim());
}

const MiB = (kib: number) => Math.round(kib / 1024);

function simpleCommand(verb: string, summary: string, fn: (vms: VmUseCases, name: string) => Promise<void>, done: string): Command {
  return {
    noun: 'vm', verb, summary, usage: 'NAME',
    async run(ctx) {
      const name = vmArg(ctx);
      await guard(() => fn(ctx.core.vms, name));
      if (ctx.json) ctx.out(JSON.stringify({ name, result: 'ok', state: await ctx.core.vms.state(name).catch(() => undefined) }, null, 2));
      else ctx.out(`${name}: ${done}`);
      return 0;
    },
  };
}

export function createInputFromOptions(ctx: CommandContext): VmCreateInput {
  const o = ctx.options;
  const name = vmArg(ctx);
  const mem = o.memory === undefined ? 1024 : parseMiB(String(o.memory));
  if (mem === undefined) throw new CommandError(`--memory: "${o.memory}" is not a size (e.g. 512M, 2G; a bare number is MiB)`, 2);
  const disks: DiskInput[] = [];
  for (const d of (o.disk as string[] | undefined) ?? []) {
    const r = parseDiskSpec(d);
    if (typeof r === 'string') throw new CommandError(`--disk: ${r}`, 2);
    disks.push(r);
  }
  if (o.network !== undefined && o.bridge !== undefined) throw new CommandError('--network/--bridge: give one of them, not both', 2);
  if (o.mac !== undefined && o.network === undefined && o.bridge === undefined) throw new CommandError('--mac: needs --network or --bridge', 2);
  // --network/--bridge (with --mac) is the first NIC, each --nic one more.
  const nics: NicInput[] = o.network !== undefined ? [{ kind: 'network', source: String(o.network), mac: o.mac as string | undefined }]
    : o.bridge !== undefined ? [{ kind: 'bridge', source: String(o.bridge), mac: o.mac as string | undefined }] : [];
  for (const spec of (o.nic as string[] | undefined) ?? []) {
    const r = parseNicSpec(spec);
    if (typeof r === 'string') throw new CommandError(`--nic: ${r}`, 2);
    nics.push(r);
  }
  const boot = (o.boot as BootKind | undefined) ?? (o.kernel ? 'kernel' : o.iso ? 'cdrom' : 'disk');
  return {
    name, vcpus: (o.vcpus as number | undefined) ?? 1, memoryMiB: mem, description: o.description as string | undefined, disks, nics, boot,
    iso: o.iso as string | undefined, kernel: o.kernel as string | undefined, initrd: o.initrd as string | undefined, cmdline: o.cmdline as string | undefined,
    osType: (o.os as OsType | undefined) ?? 'linux', machine: (o.machine as string | undefined) ?? 'pc', graphics: (o.graphics as GraphicsKind | undefined) ?? 'vnc',
    firmware: o.firmware as Firmware | undefined, cpu: o.cpu as string | undefined, osVariant: o['os-variant'] as string | undefined,
    ...(o.cluster !== undefined ? { cluster: o.cluster as string } : {}),
  };
}

const vmCommands: Command[] = [
  {
    noun: 'vm', verb: 'list', summary: 'List VMs with their state, vCPUs and memory',
    async run(ctx) {
      const doms = await guard(() => ctx.core.vms.list());
      doms.sort((a, b) => a.name.localeCompare(b.name));
      printTable(ctx, doms.map((d) => ({ name: d.name, state: d.state, id: d.id > 0 ? d.id : '-', vcpus: d.vcpus, memory: `${MiB(d.maxMemoryKiB)} MiB` })), ['name', 'state', 'id', 'vcpus', 'memory'],
        doms.map((d) => ({ name: d.name, uuid: d.uuid, state: d.state, id: d.id > 0 ? d.id : null, vcpus: d.vcpus, memoryMiB: MiB(d.maxMemoryKiB) })));
      return 0;
    },
  },
  {
    noun: 'vm', verb: 'show', summary: 'Show one VM: state, hardware, disks, NICs, console and display access, pending changes', usage: 'NAME',
    async run(ctx) {
      const name = vmArg(ctx);
      const { vm, pending, display } = await guard(() => ctx.core.vms.show(name));
      if (ctx.json) {
        ctx.out(JSON.stringify({ name: vm.name, uuid: vm.uuid, state: vm.state, vcpus: vm.details.vcpus, cpu: vm.details.cpu ?? null, firmware: vmFirmware(vm.details.os), memoryMiB: MiB(vm.details.memoryKiB), autostart: vm.autostart, persistent: vm.persistent, savedState: vm.managedSave, snapshots: vm.snapshots, description: vm.details.description ?? null, machine: vm.details.os.machine, boot: vm.details.os.boot, kernel: vm.details.os.kernel ?? null, disks: vm.details.disks, interfaces: vm.details.interfaces, display, pendingUntilNextBoot: pending }, null, 2));
        return 0;
      }
      const row = (k: string, v: string) => ctx.out(`${k.padEnd(13)} ${v}`);
      row('name', vm.name);
      row('state', `${vm.state}${vm.managedSave ? ' (saved state: start restores it)' : ''}`);
      row('vCPUs', String(vm.details.vcpus));
      row('memory', `${MiB(vm.details.memoryKiB)} MiB`);
      if (pending.length) row('pending', `${pending.join(', ')} (pending until next boot)`);
      row('autostart', vm.autostart ? 'on' : 'off');
      row('machine', `${vm.details.os.machine ?? '-'} (${vm.details.type})`);
      row('boot', vm.details.os.kernel ? `kernel ${vm.details.os.kernel}` : vm.details.os.boot.join(', ') || '-');
      row('firmware', vmFirmware(vm.details.os));
      row('CPU', vm.details.cpu ?? 'QEMU default');
      if (vm.details.description) row('description', vm.details.description);
      for (const d of vm.details.disks) row(`disk ${d.target}`, diskText(d));
      for (const n of vm.details.interfaces) row('nic', nicText(n));
      row('console', `serial: hostdeck vm console ${name} (Ctrl-] leaves)`);
      for (const g of display) {
        row(g.type, g.port ? `${g.listen}:${g.port}` : `${g.listen} (${g.note})`);
        if (g.command) row('', g.command);
        if (g.tunnel) row('', `from elsewhere: ${g.tunnel}`);
      }
      row('snapshots', String(vm.snapshots));
      return 0;
    },
  },
  {
    noun: 'vm', verb: 'create', summary: 'Create a VM (validated first; on failure nothing is left behind)', usage: 'NAME',
    options: {
      vcpus: { type: 'number', description: 'Virtual CPUs (default 1, at most the host\'s logical CPUs)', value: 'N' },
      memory: { type: 'string', description: 'Memory, e.g. 512M or 2G; a bare number is MiB (default 1G)', value: 'SIZE' },
      disk: { type: 'list', description: 'New volume pool=P,size=10G[,format=qcow2|raw] or existing pool=P,volume=V, either with [,bus=virtio|sata|scsi|ide] (default virtio, sata for --os windows; scsi adds a virtio-scsi controller, ide only where the machine type has it) (repeatable)', value: 'SPEC' },
      nic: { type: 'list', description: 'A NIC: network=NET (libvirt network), bridge=BR (host bridge) or profile=PROFILE (a logical network\'s vNIC profile, NETWORK/PROFILE when names repeat; see hostdeck network profile list), then [,model=virtio|e1000e|rtl8139] (default virtio) [,mac=MAC] (repeatable; MACs must differ)', value: 'SPEC' },
      network: { type: 'string', description: 'The first NIC on a libvirt network (virtio; more with --nic)', value: 'NET' },
      bridge: { type: 'string', description: 'The first NIC on a host bridge (virtio; more with --nic)', value: 'BRIDGE' },
      mac: { type: 'string', description: 'MAC address of the --network/--bridge NIC (default: libvirt assigns one)', value: 'MAC' },
      firmware: { type: 'string', description: 'Firmware (default bios); uefi needs OVMF on the host (Debian package ovmf)', choices: [...FIRMWARES] },
      cpu: { type: 'string', description: 'CPU: host-model (default), host-passthrough (needs KVM) or a CPU model from virsh domcapabilities (e.g. Nehalem)', value: 'CPU' },
      cluster: { type: 'string', description: 'The cluster the VM joins (default Default); its CPU type is the VM\'s CPU unless --cpu is given', value: 'CLUSTER' },
      'os-variant': { type: 'string', description: 'OS variant from osinfo-query os (e.g. debian12), kept in the VM\'s metadata; needs osinfo on the host', value: 'ID' },
      boot: { type: 'string', description: 'Boot from (default: kernel with --kernel, cdrom with --iso, else disk)', choices: ['disk', 'cdrom', 'network', 'kernel'] },
      iso: { type: 'string', description: 'ISO for CD-ROM boot: a path or POOL/VOLUME', value: 'ISO' },
      kernel: { type: 'string', description: 'Kernel for direct kernel boot', value: 'PATH' },
      initrd: { type: 'string', description: 'Initrd for direct kernel boot', value: 'PATH' },
      cmdline: { type: 'string', description: 'Kernel command line for direct kernel boot', value: 'TEXT' },
      os: { type: 'string', description: 'OS type (windows gets SATA disks)', choices: ['linux', 'windows', 'other'] },
      machine: { type: 'string', description: 'QEMU machine type (default pc)', value: 'TYPE' },
      graphics: { type: 'string', description: 'Graphical console (default vnc); the serial console is always there', choices: ['vnc', 'spice', 'none'] },
      description: { type: 'string', description: 'Free text shown with the VM', value: 'TEXT' },
      start: { type: 'boolean', description: 'Start the VM once defined' },
      'dry-run': { type: 'boolean', description: 'Validate and print the summary; create nothing' },
      template: { type: 'string', description: "Make it from this template (with --thin or --clone); the template's hardware are the defaults the options above override", value: 'TEMPLATE' },
      'template-version': { type: 'string', description: 'The template version: a number, a version name or latest (default)', value: 'VERSION' },
      thin: { type: 'boolean', description: "Disks as thin overlays on the template's images (the template cannot be removed while the VM exists)" },
      clone: { type: 'boolean', description: "Disks as full, independent copies of the template's images" },
    },
    async run(ctx) {
      if (ctx.options.template !== undefined || ctx.options.thin || ctx.options.clone) return (await import('./template.ts')).createVmFromTemplate(ctx);
      const input = createInputFromOptions(ctx);
      if (ctx.options['dry-run']) {
        const errors = await guard(() => ctx.core.vms.validateCreate(input));
        if (errors.length) throw new CommandError(errors.map(createFieldMessage(ctx)), 2);
        const { createSummary } = await import('../domain/vm-create.ts');
        if (ctx.json) ctx.out(JSON.stringify({ valid: true, input }, null, 2));
        else for (const [k, v] of createSummary(input)) ctx.out(`${k.padEnd(13)} ${v}`);
        return 0;
      }
      const r = await guard(() => ctx.core.vms.create(input, { start: Boolean(ctx.options.start), onStep: ctx.json ? undefined : (t) => ctx.err(t) }), createFieldMessage(ctx));
      if (ctx.json) ctx.out(JSON.stringify({ name: r.name, volumes: r.volumes, started: r.started }, null, 2));
      else ctx.out(`${r.name}: created${r.volumes.length ? ` with ${r.volumes.join(', ')}` : ''}${r.started ? ' and started' : ''}`);
      return 0;
    },
  },
  simpleCommand('start', 'Start (boot) a VM; a VM with saved state resumes it', (v, n) => v.start(n), 'started'),
  {
    noun: 'vm', verb: 'shutdown', summary: 'Ask the guest to shut down (ACPI) and wait for it', usage: 'NAME',
    options: {
      timeout: { type: 'number', description: 'Seconds to wait before giving up (default 60)', value: 'S', min: 1, max: 3600 },
      force: { type: 'boolean', description: 'Force it off when it has not shut down by then' },
    },
    async run(ctx) {
      const name = vmArg(ctx);
      const timeoutMs = ((ctx.options.timeout as number | undefined) ?? 60) * 1000;
      try {
        await guard(() => ctx.core.vms.shutdown(name, { timeoutMs }));
        ctx.out(ctx.json ? JSON.stringify({ name, state: 'shutoff', forced: false }) : `${name}: shut down`);
        return 0;
      } catch (e) {
        if (!ctx.options.force || !/did not shut down/.test((e as Error).message)) throw e;
        ctx.err(`${(e as Error).message}: forcing it off (--force)`);
        await guard(() => ctx.core.vms.forceOff(name));
        ctx.out(ctx.json ? JSON.stringify({ name, state: 'shutoff', forced: true }) : `${name}: forced off`);
        return 0;
      }
    },
  },
  simpleCommand('reboot', 'Ask the guest to reboot', (v, n) => v.reboot(n), 'rebooting'),
  {
    noun: 'vm', verb: 'stop', summary: 'Force a VM off at once (pull the plug; unsaved guest data is lost)', usage: 'NAME', options: { yes: { type: 'boolean', description: 'Do not ask' } },
    async run(ctx) {
      const name = vmArg(ctx);
      if (!(await yesOrAsk(ctx, `Force ${name} off? Unsaved data in the guest is lost?`))) { ctx.err('cancelled'); return 1; }
      await guard(() => ctx.core.vms.forceOff(name));
      ctx.out(ctx.json ? JSON.stringify({ name, state: 'shutoff' }) : `${name}: forced off`);
      return 0;
    },
  },
  simpleCommand('pause', 'Pause a running VM (it keeps its memory)', (v, n) => v.pause(n), 'paused'),
  simpleCommand('resume', 'Resume a paused VM', (v, n) => v.resume(n), 'running'),
  simpleCommand('save', 'Save the memory of a VM to disk and stop it (restore brings it back)', (v, n) => v.save(n), 'saved (stopped; restore resumes it)'),
  simpleCommand('restore', 'Resume a VM from its saved state', (v, n) => v.restore(n), 'restored'),
  {
    noun: 'vm', verb: 'edit', summary: 'Change vCPUs, memory, description or autostart (on a running VM: pending until next boot)', usage: 'NAME',
    options: {
      vcpus: { type: 'number', description: 'Virtual CPUs', value: 'N' },
      memory: { type: 'string', description: 'Memory, e.g. 512M or 2G', value: 'SIZE' },
      description: { type: 'string', description: 'Description ("" clears it)', value: 'TEXT', allowEmpty: true },
      autostart: { type: 'string', description: 'Start with the host', choices: ['on', 'off'] },
    },
    async run(ctx) {
      const name = vmArg(ctx);
      const o = ctx.options;
      let memoryMiB: number | undefined;
      if (o.memory !== undefined) {
        memoryMiB = parseMiB(String(o.memory));
        if (memoryMiB === undefined) throw new CommandError(`--memory: "${o.memory}" is not a size (e.g. 512M, 2G)`, 2);
      }
      const edit = { vcpus: o.vcpus as number | undefined, memoryMiB, description: o.description as string | undefined };
      const any = edit.vcpus !== undefined || edit.memoryMiB !== undefined || edit.description !== undefined;
      if (!any && o.autostart === undefined) throw new CommandError('options: nothing to change (give --vcpus, --memory, --description or --autostart)', 2);
      let pending: string[] = [];
      if (any) pending = (await guard(() => ctx.core.vms.edit(name, edit))).pending;
      if (o.autostart !== undefined) await guard(() => ctx.core.vms.setAutostart(name, o.autostart === 'on'));
      if (ctx.json) ctx.out(JSON.stringify({ name, pendingUntilNextBoot: pending }, null, 2));
      else ctx.out(`${name}: changed${pending.length ? `; pending until next boot: ${pending.join(', ')}` : ''}`);
      return 0;
    },
  },
  {
    noun: 'vm', verb: 'clone', summary: 'Copy a shut-off VM under a new name, disks included', usage: 'NAME NEW-NAME',
    async run(ctx) {
      const name = vmArg(ctx);
      const newName = ctx.positionals[1];
      if (newName === undefined) throw new CommandError('NEW-NAME: is required', 2);
      checkedName('NEW-NAME', newName);
      // The clone's name is its second argument.
      const r = await cliGuard(() => ctx.core.vms.clone(name, newName), (e) => fieldMessageBy([[/^name$/, 'NEW-NAME'], ...FIELD_OPTION], e));
      ctx.out(ctx.json ? JSON.stringify(r, null, 2) : `${name}: cloned as ${r.name}${r.volumes.length ? ` (disks ${r.volumes.join(', ')})` : ''}`);
      return 0;
    },
  },
  {
    noun: 'vm', verb: 'delete', summary: 'Delete a VM that is not running; its disks are kept unless --remove-disks', usage: 'NAME',
    options: {
      'remove-disks': { type: 'boolean', description: 'Also remove the disks the VM owns (they are listed first)' },
      yes: { type: 'boolean', description: 'Do not ask' },
    },
    async run(ctx) {
      const name = vmArg(ctx);
      const remove = Boolean(ctx.options['remove-disks']);
      const plan = await guard(() => ctx.core.vms.deletePlan(name, { removeDisks: remove }));
      if (plan.refused) throw new CommandError(`cannot delete ${name}: ${plan.refused}`, 1);
      if (plan.diskRefusals?.length) throw new CommandError(diskRefusalMessage(name, plan.diskRefusals), 1);
      const shared = new Map((plan.shared ?? []).map((x) => [x.disk, x.usedBy]));
      const going = plan.disks.filter((d) => !shared.has(d.what));
      if (!ctx.json) {
        if (remove) { ctx.err(going.length ? `Deleting ${name} removes these disks:` : `${name} has no disks of its own to remove.`); for (const d of going) ctx.err(`  ${d.target}  ${d.what}`); }
        else if (plan.disks.length) ctx.err(`Deleting ${name}; its disks are kept: ${plan.disks.map((d) => d.what).join(', ')}`);
        for (const [disk, users] of shared) ctx.err(`  kept: ${disk} (used by ${users.join(', ')})`);
      }
      if (!(await yesOrAsk(ctx, `Delete ${name}${remove && going.length ? ` and remove ${going.length} disk(s)` : ''}?`))) { ctx.err('cancelled'); return 1; }
      const r = await guard(() => ctx.core.vms.delete(name, { removeDisks: remove }));
      ctx.out(ctx.json ? JSON.stringify({ name, removed: r.removed, kept: remove ? r.shared.map((x) => x.disk) : plan.disks.map((d) => d.what) }, null, 2) : `${name}: deleted${r.removed.length ? `; removed ${r.removed.join(', ')}` : ''}`);
      return 0;
    },
  },
  {
    noun: 'vm', verb: 'console', summary: 'Attach to the serial console of a VM (Ctrl-] leaves)', usage: 'NAME',
    async run(ctx) {
      const name = vmArg(ctx);
      // The VM first: a name that is not there is the error to report, terminal or not.
      await guard(() => ctx.core.vms.get(name));
      if (!ctx.interactive) throw new CommandError('the console needs a terminal (standard input must be a TTY)', 2);
      ctx.err(`Connected to the serial console of ${name}; Ctrl-] leaves.`);
      return await guard(() => ctx.core.vms.console(name));
    },
  },
  {
    noun: 'vm', verb: 'snapshot create', summary: 'Take a snapshot (with memory while running, or --disk-only); without SNAPSHOT libvirt names it, as virsh does', usage: 'NAME [SNAPSHOT]',
    options: {
      description: { type: 'string', description: 'Free text kept with the snapshot', value: 'TEXT' },
      'disk-only': { type: 'boolean', description: 'Disks only, as external overlay files (works on raw disks; cannot be reverted by libvirt before 9.9)' },
    },
    async run(ctx) {
      const name = vmArg(ctx);
      const snap = checkedName('SNAPSHOT', ctx.positionals[1] ?? '');
      const taken = await guard(() => ctx.core.snapshots.create(name, { name: snap, description: ctx.options.description as string | undefined, mode: ctx.options['disk-only'] ? 'disk-only' : 'full' }));
      ctx.out(ctx.json ? JSON.stringify({ name, snapshot: taken }) : `${name}: snapshot ${taken} taken`);
      return 0;
    },
  },
  {
    noun: 'vm', verb: 'snapshot list', summary: 'List the snapshots of a VM (--tree: as virsh snapshot-list --tree)', usage: 'NAME',
    options: { tree: { type: 'boolean', description: 'Draw the parent/child tree' } },
    async run(ctx) {
      const name = vmArg(ctx);
      const { list, rows } = await guard(() => ctx.core.snapshots.list(name));
      if (ctx.options.tree && !ctx.json) { process.stdout.write(snapshotTreeText(list)); return 0; }
      printTable(ctx, rows.map((r) => ({ name: `${'  '.repeat(r.depth)}${r.name}`, current: r.current ? '*' : '', state: r.state, created: Number.isNaN(r.createdAt) ? '-' : new Date(r.createdAt).toISOString().replace('T', ' ').slice(0, 19), parent: r.parent ?? '' })),
        ['name', 'current', 'state', 'created', 'parent'],
        rows.map((r) => ({ name: r.name, parent: r.parent ?? null, current: r.current, state: r.state, createdAt: Number.isNaN(r.createdAt) ? null : new Date(r.createdAt).toISOString(), depth: r.depth })));
      return 0;
    },
  },
  {
    noun: 'vm', verb: 'snapshot revert', summary: 'Go back to a snapshot (the VM takes its state)', usage: 'NAME SNAPSHOT', options: { yes: { type: 'boolean', description: 'Do not ask' } },
    async run(ctx) {
      const name = vmArg(ctx);
      const snap = ctx.positionals[1];
      if (snap === undefined) throw new CommandError('SNAPSHOT: is required', 2);
      checkedName('SNAPSHOT', snap);
      if (!(await yesOrAsk(ctx, `Revert ${name} to ${snap}? Changes since the snapshot are lost?`))) { ctx.err('cancelled'); return 1; }
      await guard(() => ctx.core.snapshots.revert(name, snap));
      ctx.out(ctx.json ? JSON.stringify({ name, snapshot: snap, state: await ctx.core.vms.state(name) }) : `${name}: reverted to ${snap}`);
      return 0;
    },
  },
  {
    noun: 'vm', verb: 'snapshot delete', summary: 'Delete a snapshot (its children move to its parent) or with --children its subtree', usage: 'NAME SNAPSHOT',
    options: { children: { type: 'boolean', description: 'Delete its children too' }, yes: { type: 'boolean', description: 'Do not ask' } },
    async run(ctx) {
      const name = vmArg(ctx);
      const snap = ctx.positionals[1];
      if (snap === undefined) throw new CommandError('SNAPSHOT: is required', 2);
      checkedName('SNAPSHOT', snap);
      if (!(await yesOrAsk(ctx, `Delete snapshot ${snap} of ${name}${ctx.options.children ? ' and its children' : ''}?`))) { ctx.err('cancelled'); return 1; }
      await guard(() => ctx.core.snapshots.delete(name, snap, { children: Boolean(ctx.options.children) }));
      ctx.out(ctx.json ? JSON.stringify({ name, deleted: snap }) : `${name}: snapshot ${snap} deleted`);
      return 0;
    },
  },
];

const demoCommands: Command[] = [
  {
    noun: 'demo', verb: '', summary: 'Create a few tiny demo VMs (two running) so the console shows a living host; --remove takes them away',
    options: {
      count: { type: 'number', description: 'How many (default 3)', value: 'N', min: 1, max: 6 },
      remove: { type: 'boolean', description: 'Remove the demo VMs and their disks (only those hostdeck demo created)' },
      list: { type: 'boolean', description: 'List the demo VMs' },
      pool: { type: 'string', description: 'Storage pool for their disks (default: "default", created at /var/lib/libvirt/images when missing)', value: 'POOL' },
    },
    async run(ctx) {
      if (ctx.options.remove && ctx.options.list) throw new CommandError('--remove/--list: give one of them', 2);
      if (ctx.options.pool !== undefined) checkedName('--pool', String(ctx.options.pool));
      if (ctx.options.list) {
        const names = await guard(() => ctx.core.demo.list());
        printTable(ctx, names.map((n) => ({ name: n })), ['name'], names);
        return 0;
      }
      if (ctx.options.remove) {
        const r = await guard(() => ctx.core.demo.remove());
        ctx.out(ctx.json ? JSON.stringify(r, null, 2) : r.removed.length ? `removed ${r.removed.join(', ')}` : 'no demo VMs');
        return 0;
      }
      const r = await guard(() => ctx.core.demo.create({ count: (ctx.options.count as number | undefined) ?? 3, pool: ctx.options.pool as string | undefined, onStep: ctx.json ? undefined : (t) => ctx.err(t) }));
      ctx.out(ctx.json ? JSON.stringify(r, null, 2) : `demo VMs: ${r.created.join(', ') || 'none created'}${r.existing.length ? ` (already there: ${r.existing.join(', ')})` : ''}; remove them with: hostdeck demo --remove`);
      return 0;
    },
  },
];

export const lifecycleCommands: Command[] = [...vmCommands, ...demoCommands];

/** Exported for tests: the create input the CLI builds from options. */
export type { DiskInput };
