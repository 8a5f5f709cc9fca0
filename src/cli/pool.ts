// hostdeck pool list|show|create|edit|remove|grow|shrink|take|return: VM
// pools (src/core/pools.ts), the same use cases and rules as the Pools
// screen; an error names the option and the rule.
import type { FieldError } from '../domain/errors.ts';
import type { PoolType } from '../domain/pools.ts';
import type { PoolView } from '../core/pools.ts';
import { cliGuard } from './errors.ts';
import { CommandError, printTable, type Command, type CommandContext } from './registry.ts';
import { confirm } from './storage-domain.ts';

const OPTION: Record<string, string> = {
  name: '--name', template: '--template', 'template-version': '--template-version', cluster: '--cluster', size: '--size', prestarted: '--prestarted',
  'max-per-user': '--max-per-user', type: '--type', description: '--description', user: '--for', count: 'COUNT', pool: 'POOL', vm: 'VM', edit: 'options',
};

/** A field error as the CLI says it: "--size: must be a whole number ...". */
function optionMessage(e: FieldError, options = OPTION): string {
  const opt = options[e.field];
  if (!opt) return e.message;
  return e.message.startsWith(`${e.field}: `) ? `${opt}: ${e.message.slice(e.field.length + 2)}` : `${opt}: ${e.message}`;
}
const guard = <T>(fn: () => Promise<T>, options = OPTION): Promise<T> => cliGuard(fn, (e) => optionMessage(e, options));
/** pool create names the new pool by its argument. */
const CREATE_OPTION: Record<string, string> = { ...OPTION, name: 'POOL' };

function args(ctx: CommandContext, names: readonly string[]): string[] {
  const got = ctx.positionals.map((p) => p.trim());
  names.forEach((n, i) => { if (!got[i]) throw new CommandError(`${n}: is required${n === 'POOL' ? ' (a pool name, see hostdeck pool list)' : ''}`, 2); });
  if (got.length > names.length) throw new CommandError(`unexpected argument ${JSON.stringify(got[names.length])}`, 2);
  return got;
}

/** A whole-number argument (COUNT): the rule in the message, exit 2. */
function count(v: string): number {
  if (!/^\d{1,6}$/.test(v)) throw new CommandError(`COUNT: must be a whole number from 1 (got ${JSON.stringify(v)})`, 2);
  return Number(v);
}

const num = (v: unknown) => (v === undefined ? undefined : (v as number));
const str = (v: unknown) => (v === undefined ? undefined : String(v));

const row = (p: PoolView) => ({
  name: p.name, template: `${p.template} (${p.templateVersion})`, cluster: p.cluster ?? '-', type: p.type, size: p.size, prestarted: p.prestarted,
  running: p.running, assigned: p.assigned, 'per user': p.maxPerUser,
});

function showPool(ctx: CommandContext, p: PoolView): void {
  const line = (k: string, v: string) => ctx.out(`${k.padEnd(12)} ${v}`);
  line('name', p.name);
  if (p.description) line('description', p.description);
  line('template', `${p.template} version ${p.templateVersion}`);
  line('cluster', p.cluster ?? '-');
  line('type', `${p.type}${p.type === 'automatic' ? ' (a VM its user shuts down goes back to the pool)' : ''}`);
  line('size', `${p.size} (${p.prestarted} prestarted, at most ${p.maxPerUser} per user)`);
  for (const v of p.vms) line(v.name, `${v.state}${v.user ? `, ${v.user} since ${v.assignedAt}` : ', free'}`);
}

const poolOptions = {
  template: { type: 'string', description: 'The template its VMs are thin VMs of', value: 'TEMPLATE' },
  'template-version': { type: 'string', description: 'A version number, a version name, or latest (the default)', value: 'VERSION' },
  cluster: { type: 'string', description: 'The cluster its VMs are in (default: Default)', value: 'CLUSTER' },
  size: { type: 'number', description: 'How many VMs (at least 1)', value: 'N' },
  prestarted: { type: 'number', description: 'How many the host service keeps running with no user (0 to the size; default 0)', value: 'N' },
  'max-per-user': { type: 'number', description: 'How many VMs one user may take (at least 1; default 1)', value: 'N' },
  type: { type: 'string', description: 'automatic (a VM goes back when its user shuts it down; the default) or manual', value: 'TYPE' },
  description: { type: 'string', description: 'Free text, one line, at most 200 characters', value: 'TEXT' },
} as const;

export const poolCommands: Command[] = [
  {
    noun: 'pool', verb: 'list', summary: 'List the VM pools: template, size, prestarted, running and assigned VMs',
    async run(ctx) {
      args(ctx, []);
      const list = await guard(() => ctx.core.pools.list());
      printTable(ctx, list.map(row), ['name', 'template', 'cluster', 'type', 'size', 'prestarted', 'running', 'assigned', 'per user'], list);
      return 0;
    },
  },
  {
    noun: 'pool', verb: 'show', summary: 'Show a VM pool and its VMs: state, user and since when', usage: 'POOL',
    async run(ctx) {
      const [key] = args(ctx, ['POOL']);
      const p = await guard(() => ctx.core.pools.show(key!));
      if (ctx.json) ctx.out(JSON.stringify(p, null, 2));
      else showPool(ctx, p);
      return 0;
    },
  },
  {
    noun: 'pool', verb: 'create', summary: 'Create a VM pool: SIZE thin, stateless VMs POOL-1..N from a template (all or none)', usage: 'POOL',
    options: poolOptions,
    async run(ctx) {
      const [name] = args(ctx, ['POOL']);
      const o = ctx.options;
      if (o.size === undefined) throw new CommandError('--size: is required (how many VMs, at least 1)', 2);
      const p = await guard(() => ctx.core.pools.create({
        name: name!, template: str(o.template) ?? '', templateVersion: str(o['template-version']), cluster: str(o.cluster), size: num(o.size)!,
        prestarted: num(o.prestarted), maxPerUser: num(o['max-per-user']), type: str(o.type) as PoolType | undefined, description: str(o.description),
      }, { onStep: ctx.json ? undefined : (s) => ctx.err(s) }), CREATE_OPTION);
      if (ctx.json) ctx.out(JSON.stringify(p, null, 2));
      else ctx.out(`Created pool ${p.name}: ${p.vms.map((v) => v.name).join(', ')} (${p.prestarted} kept running by the host service).`);
      return 0;
    },
  },
  {
    noun: 'pool', verb: 'edit', summary: "Change a pool's name, prestarted count, per-user maximum, type or description (size: grow, shrink)", usage: 'POOL',
    options: { name: { type: 'string', description: 'The new name (its VMs keep theirs)', value: 'NAME' }, prestarted: poolOptions.prestarted, 'max-per-user': poolOptions['max-per-user'], type: poolOptions.type, description: poolOptions.description },
    async run(ctx) {
      const [key] = args(ctx, ['POOL']);
      const o = ctx.options;
      const p = await guard(() => ctx.core.pools.edit(key!, { name: str(o.name), prestarted: num(o.prestarted), maxPerUser: num(o['max-per-user']), type: str(o.type) as PoolType | undefined, description: str(o.description) }));
      ctx.out(ctx.json ? JSON.stringify(p, null, 2) : `Changed pool ${p.name}.`);
      return 0;
    },
  },
  {
    noun: 'pool', verb: 'grow', summary: 'Add COUNT VMs to a pool (all or none)', usage: 'POOL COUNT',
    async run(ctx) {
      const [key, n] = args(ctx, ['POOL', 'COUNT']);
      const p = await guard(() => ctx.core.pools.grow(key!, count(n!), { onStep: ctx.json ? undefined : (s) => ctx.err(s) }));
      ctx.out(ctx.json ? JSON.stringify(p, null, 2) : `Pool ${p.name} has ${p.size} VMs.`);
      return 0;
    },
  },
  {
    noun: 'pool', verb: 'shrink', summary: 'Remove COUNT unassigned, stopped VMs of a pool (assigned or running ones stay)', usage: 'POOL COUNT',
    options: { yes: { type: 'boolean', description: 'Do not ask' } },
    async run(ctx) {
      const [key, n] = args(ctx, ['POOL', 'COUNT']);
      const c = count(n!);
      if (!(await confirm(ctx, `Remove ${c} VM${c === 1 ? '' : 's'} of pool ${key} and their disks?`))) { ctx.err('cancelled'); return 1; }
      const p = await guard(() => ctx.core.pools.shrink(key!, c));
      ctx.out(ctx.json ? JSON.stringify(p, null, 2) : `Pool ${p.name} has ${p.size} VM${p.size === 1 ? '' : 's'}: ${p.vms.map((v) => v.name).join(', ')}.`);
      return 0;
    },
  },
  {
    noun: 'pool', verb: 'remove', summary: 'Remove a pool and its VMs; refused while one runs, unless --stop-first', usage: 'POOL',
    options: { 'stop-first': { type: 'boolean', description: 'Power the running VMs off first (stateless: their runs are discarded)' }, yes: { type: 'boolean', description: 'Do not ask' } },
    async run(ctx) {
      const [key] = args(ctx, ['POOL']);
      const stopFirst = Boolean(ctx.options['stop-first']);
      if (!(await confirm(ctx, `Remove pool ${key} and every VM of it${stopFirst ? ', powering the running ones off' : ''}?`))) { ctx.err('cancelled'); return 1; }
      const r = await guard(() => ctx.core.pools.remove(key!, { stopFirst }));
      ctx.out(ctx.json ? JSON.stringify(r, null, 2) : `Removed pool ${key} and ${r.removed.length} VM${r.removed.length === 1 ? '' : 's'}.`);
      return 0;
    },
  },
  {
    noun: 'pool', verb: 'take', summary: 'Give a VM of the pool to a user (a prestarted one first; started if needed)', usage: 'POOL',
    // --for, not --user: --user is who runs the command (the global login).
    options: { for: { type: 'string', description: 'Who gets it', value: 'NAME' } },
    async run(ctx) {
      const [key] = args(ctx, ['POOL']);
      const user = str(ctx.options.for);
      if (user === undefined) throw new CommandError('--for: is required (who takes the VM)', 2);
      const r = await guard(() => ctx.core.pools.take(key!, user));
      ctx.out(ctx.json ? JSON.stringify({ pool: key, user, ...r }, null, 2) : `${r.vm}: given to ${user}${r.started ? ' and started' : ' (running)'}.`);
      return 0;
    },
  },
  {
    noun: 'pool', verb: 'return', summary: 'Give a pool VM back: powered off (its run discarded), free for the next user', usage: 'VM',
    async run(ctx) {
      const [vm] = args(ctx, ['VM']);
      const r = await guard(() => ctx.core.pools.giveBack(vm!));
      ctx.out(ctx.json ? JSON.stringify(r, null, 2) : `${r.vm}: back in pool ${r.pool}${r.user ? ` (from ${r.user})` : ''}.`);
      return 0;
    },
  },
];
