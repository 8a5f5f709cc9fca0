// hostdeck cluster property list|set|remove   (the names a cluster allows, with their value rules)
// hostdeck vm property list|set|unset         (a VM's values; its hooks get each as a variable)
// Custom VM properties, as the oVirt engine's UserDefinedVMProperties, per cluster.
import { parseAssignment } from '../domain/custom-properties.ts';
import type { FieldError } from '../domain/errors.ts';
import { UsageError } from './args.ts';
import { printTable, type Command, type CommandContext } from './registry.ts';
import { positional, tooMany } from './storage-domain.ts';
import { guard, reply, str } from './manager.ts';

const CLUSTER = 'CLUSTER';
const clusterHint = 'a cluster name or id';
const VM = 'VM';
const vmHint = 'a VM name';
/** The rules' fields as the CLI takes them: NAME is an argument, the rule --regex. */
const message = (e: FieldError) => (e.field === 'regex' ? e.message.replace(/^regex: /, '--regex: ') : e.field === 'name' ? e.message.replace(/^name: /, 'NAME: ') : e.message);
/** A VM's property error (field "property NAME") under the argument it came in: NAME=VALUE or NAME. */
const valuesMessage = (argument: string) => (e: FieldError) => (e.field.startsWith('property') ? `${argument}: ${e.message}` : message(e));

const rulesOut = (ctx: CommandContext, cluster: string, rules: { name: string; regex: string }[]) =>
  (rules.length || ctx.json ? printTable(ctx, rules, ['name', 'regex'], rules) : ctx.out(`Cluster ${cluster} allows no custom VM property (hostdeck cluster property set).`));

export const customPropertyCommands: Command[] = [
  {
    noun: 'cluster', verb: 'property list', usage: CLUSTER, summary: 'The custom VM properties a cluster allows, with the regular expression each value must match',
    async run(ctx) {
      const c = positional(ctx, 0, CLUSTER, clusterHint);
      tooMany(ctx, 1);
      rulesOut(ctx, c, await guard(() => ctx.core.customProperties.rules(c), message));
      return 0;
    },
  },
  {
    noun: 'cluster', verb: 'property set', usage: `${CLUSTER} NAME`,
    summary: 'Allow a custom VM property in a cluster, or change its rule (values VMs have must still match)',
    options: { regex: { type: 'string', description: 'The regular expression a whole value must match (e.g. "(true|false)", ".*")', value: 'REGEX' } },
    async run(ctx) {
      const c = positional(ctx, 0, CLUSTER, clusterHint);
      const name = positional(ctx, 1, 'NAME', 'a property name: lower-case letters, digits, _');
      tooMany(ctx, 2);
      const regex = str(ctx, 'regex');
      if (regex === undefined) throw new UsageError('--regex: is required (".*" allows any value)');
      const rules = await guard(() => ctx.core.customProperties.setRule(c, { name, regex }), message);
      return reply(ctx, rules, `Cluster ${c} allows custom property ${name}: values matching ${regex}.`);
    },
  },
  {
    noun: 'cluster', verb: 'property remove', usage: `${CLUSTER} NAME`, summary: 'Stop allowing a custom VM property (refused while a VM of the cluster has it)',
    async run(ctx) {
      const c = positional(ctx, 0, CLUSTER, clusterHint);
      const name = positional(ctx, 1, 'NAME', 'a property name');
      tooMany(ctx, 2);
      const rules = await guard(() => ctx.core.customProperties.removeRule(c, name), message);
      return reply(ctx, rules, `Cluster ${c} no longer allows custom property ${name}.`);
    },
  },
  {
    noun: 'vm', verb: 'property list', usage: VM, summary: "A VM's custom properties (its hooks get each as a variable) and the ones its cluster allows",
    async run(ctx) {
      const vm = positional(ctx, 0, VM, vmHint);
      tooMany(ctx, 1);
      const p = await guard(() => ctx.core.customProperties.ofVm(vm), message);
      const rows = p.rules.map((r) => ({ name: r.name, value: p.values[r.name] ?? '-', regex: r.regex }));
      if (ctx.json) return reply(ctx, p, '');
      ctx.out(`VM ${p.vm} is in cluster ${p.cluster}${p.rules.length ? '' : ', which allows no custom property (hostdeck cluster property set)'}.`);
      if (rows.length) printTable(ctx, rows, ['name', 'value', 'regex'], p);
      return 0;
    },
  },
  {
    noun: 'vm', verb: 'property set', usage: `${VM} NAME=VALUE...`, summary: "Set custom properties of a VM, each checked against its cluster's rule (all or none are set)",
    async run(ctx) {
      const vm = positional(ctx, 0, VM, vmHint);
      const pairs = ctx.positionals.slice(1);
      if (!pairs.length) throw new UsageError('NAME=VALUE: give at least one property to set');
      const set: Record<string, string> = {};
      for (const p of pairs) {
        const a = parseAssignment(p);
        if (!a) throw new UsageError(`NAME=VALUE: ${JSON.stringify(p.slice(0, 40))} has no "=" after a name`);
        if (a.name in set) throw new UsageError(`NAME=VALUE: ${a.name} is given twice`);
        set[a.name] = a.value;
      }
      const v = await guard(() => ctx.core.customProperties.setOnVm(vm, { set }), valuesMessage('NAME=VALUE'));
      return reply(ctx, v, `Set ${Object.keys(set).join(', ')} on VM ${vm}; its hooks get ${Object.keys(set).length === 1 ? 'it' : 'them'} from its next action.`);
    },
  },
  {
    noun: 'vm', verb: 'property unset', usage: `${VM} NAME...`, summary: 'Remove custom properties from a VM',
    async run(ctx) {
      const vm = positional(ctx, 0, VM, vmHint);
      const unset = ctx.positionals.slice(1);
      if (!unset.length) throw new UsageError('NAME: give at least one property to unset');
      const v = await guard(() => ctx.core.customProperties.setOnVm(vm, { unset }), valuesMessage('NAME'));
      return reply(ctx, v, `Unset ${unset.join(', ')} on VM ${vm}.`);
    },
  },
];
