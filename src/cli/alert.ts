// hostdeck alert list                       (the open alerts, the worst first)
// hostdeck alert threshold list|set|reset   (the thresholds: defaults, global and per-scope settings)
// The host service (`hostdeck serve`) evaluates the thresholds; these read
// what it found and change what it looks for, through the core's door.
import type { FieldError } from '../domain/errors.ts';
import type { OpenAlert, ThresholdView } from '../core/alerts.ts';
import { printTable, type Command, type CommandContext } from './registry.ts';
import { positional, tooMany } from './storage-domain.ts';
import { guard, optionMessageBy, reply, str } from './manager.ts';

/** Field -> [the words its rule starts with, the option or argument]. */
const OPTION: Record<string, [string, string]> = {
  name: ['name', 'NAME'], value: ['value', '--value'], forMinutes: ['for-minutes', '--for-minutes'], scope: ['scope', '--scope'],
};
const message = (e: FieldError) => optionMessageBy(OPTION, e);
const NAME_HINT = 'a threshold name (hostdeck alert threshold list)';
const SCOPE = { type: 'string', description: 'global (default), storage-domain:NAME or network:NAME where the threshold allows it', value: 'SCOPE' } as const;

const num = (ctx: CommandContext, k: string) => ctx.options[k] as number | undefined;

const thresholdRow = (t: ThresholdView) => ({
  name: t.name, scope: t.scope, level: t.level, value: t.value === null ? '-' : `${t.value}${t.unit === 'percent' ? ' %' : ` ${t.unit}`}`,
  'for-min': String(t.forMinutes), 'clear-at': t.clearAt === null ? '-' : String(t.clearAt), set: t.isDefault ? 'default' : 'set',
});
const alertRow = (a: OpenAlert) => ({ level: a.level, rule: a.rule, object: `${a.objectType} ${a.objectName.replace(/^\S+ /, '')}`, since: a.raisedAt.slice(0, 19).replace('T', ' '), state: a.clearing ? 'clearing' : 'open', message: a.message });

export const alertCommands: Command[] = [
  {
    noun: 'alert', verb: 'list', summary: 'The open alerts the host service raised, the worst first (critical, then the oldest)',
    async run(ctx) {
      tooMany(ctx, 0);
      const open = await guard(() => ctx.core.alerts.list(), message);
      if (!open.length && !ctx.json) { ctx.out('No open alerts.'); return 0; }
      printTable(ctx, open.map(alertRow), ['level', 'rule', 'object', 'since', 'state', 'message'], open);
      return 0;
    },
  },
  {
    noun: 'alert', verb: 'threshold list', summary: 'Every alert threshold: its value, window, clear level, and whether it is the default or set (per scope)',
    async run(ctx) {
      tooMany(ctx, 0);
      const ts = await guard(() => ctx.core.alerts.thresholds(), message);
      printTable(ctx, ts.map(thresholdRow), ['name', 'scope', 'level', 'value', 'for-min', 'clear-at', 'set'], ts);
      return 0;
    },
  },
  {
    noun: 'alert', verb: 'threshold set', usage: 'NAME',
    summary: 'Set an alert threshold (globally or for one storage domain or network): its value, its window, or both',
    options: {
      value: { type: 'number', description: 'Percent 1..100, GiB more than 0, or days 1..3650, by the threshold (a state takes none)', value: 'N' },
      'for-minutes': { type: 'number', description: 'How long the condition must hold to raise, and be gone to clear: 1..1440 minutes', value: 'M' },
      scope: SCOPE,
    },
    async run(ctx) {
      const name = positional(ctx, 0, 'NAME', NAME_HINT);
      tooMany(ctx, 1);
      const input = { name, value: num(ctx, 'value'), forMinutes: num(ctx, 'for-minutes'), scope: str(ctx, 'scope') };
      const t = await guard(() => ctx.core.alerts.set(input), message);
      return reply(ctx, t, `Alert threshold ${t.name} (${t.scope}): ${t.text}.`);
    },
  },
  {
    noun: 'alert', verb: 'threshold reset', usage: 'NAME', summary: 'Put an alert threshold back to its default (a scope\'s back to the global one)',
    options: { scope: SCOPE },
    async run(ctx) {
      const name = positional(ctx, 0, 'NAME', NAME_HINT);
      tooMany(ctx, 1);
      const t = await guard(() => ctx.core.alerts.reset(name, str(ctx, 'scope')), message);
      return reply(ctx, t, `Alert threshold ${t.name} (${t.scope}) is back to ${t.text}.`);
    },
  },
];
