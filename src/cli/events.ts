import { NotFoundError } from '../domain/errors.ts';
import { SEVERITIES, type Severity } from '../core/events.ts';
import { CommandError, printTable, type Command } from './registry.ts';

export const eventCommands: Command[] = [
  {
    noun: 'events',
    verb: 'list',
    summary: 'List events, newest first',
    options: {
      severity: { type: 'string', description: 'Minimum severity', choices: SEVERITIES },
      search: { type: 'string', description: 'Only events whose message, source or object contains TEXT', value: 'TEXT' },
      limit: { type: 'number', description: 'At most N events (default 50)', value: 'N', min: 1, max: 100000 },
    },
    async run(ctx) {
      const events = await ctx.core.events.list({
        minSeverity: ctx.options.severity as Severity | undefined,
        text: ctx.options.search as string | undefined,
        limit: (ctx.options.limit as number | undefined) ?? 50,
      });
      printTable(ctx, events.map((e) => ({ ...e, object: e.objectId ? `${e.objectType ?? ''}:${e.objectId}` : '' })), ['id', 'time', 'severity', 'source', 'object', 'user', 'channel', 'message']);
      return 0;
    },
  },
  {
    noun: 'events',
    verb: 'show',
    summary: 'Show one event in full',
    usage: 'ID',
    async run(ctx) {
      const raw = ctx.positionals[0];
      if (!raw || !/^\d+$/.test(raw)) throw new CommandError('ID: must be a positive whole number (an event id from `hostdeck events list`)', 2);
      const e = ctx.core.events.get(Number(raw));
      if (!e) throw new NotFoundError(`ID: no event with id ${raw} (see hostdeck events list)`);
      if (ctx.json) ctx.out(JSON.stringify(e, null, 2));
      else for (const [k, v] of Object.entries(e)) ctx.out(`${k.padEnd(14)} ${v ?? '-'}`);
      return 0;
    },
  },
];
