import { NotFoundError } from '../domain/errors.ts';
import { SINCE_RULE, parseSince } from '../domain/duration.ts';
import { SEVERITIES, type EventQuery, type EventRecord, type Severity } from '../core/events.ts';
import { UsageError } from './args.ts';
import { CommandError, pause, printTable, tableHeader, tableLine, tableWidths, untilStopped, type Command, type CommandContext } from './registry.ts';

const COLUMNS = ['id', 'time', 'severity', 'source', 'object', 'user', 'channel', 'message'];

/** How often --follow looks for new events (a query of the highest id, as the Events screen does). */
const FOLLOW_POLL_MS = 500;

const row = (e: EventRecord) => ({ ...e, object: e.objectId ? `${e.objectType ?? ''}:${e.objectId}` : '' });

function sinceOption(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const t = parseSince(v as string, Date.now());
  if (t === undefined) throw new UsageError(`--since: ${SINCE_RULE} (got ${JSON.stringify(String(v).slice(0, 40))})`);
  return new Date(t).toISOString();
}

/**
 * `--follow`: the last events oldest first, then each new one as it is
 * written (by any process), until Ctrl-C, SIGTERM, or the reader of the
 * output goes (noticed at the next event). JSON: one object per line.
 */
async function follow(ctx: CommandContext, query: EventQuery): Promise<number> {
  const events = ctx.core.events;
  const { stop, done } = untilStopped(ctx);
  try {
    let last = events.lastId();
    const first = (await events.list(query)).reverse();
    const widths = tableWidths(first.map(row), COLUMNS);
    const print = (list: EventRecord[]) => {
      for (const e of list) {
        ctx.out(ctx.json ? JSON.stringify(e) : tableLine(row(e), COLUMNS, widths));
        last = Math.max(last, e.id);
      }
    };
    if (!ctx.json) ctx.out(tableHeader(COLUMNS, widths));
    print(first);
    while (!stop.aborted) {
      await pause(FOLLOW_POLL_MS, stop);
      if (stop.aborted || events.lastId() <= last) continue;
      print((await events.list({ ...query, afterId: last, limit: 100_000 })).reverse());
    }
    return 0;
  } finally {
    done();
  }
}

export const eventCommands: Command[] = [
  {
    noun: 'events',
    verb: 'list',
    summary: 'List events, newest first (--follow: oldest first, then new ones as they are written)',
    options: {
      severity: { type: 'string', description: 'Minimum severity', choices: SEVERITIES },
      search: { type: 'string', description: 'Only events whose message, source or object contains TEXT', value: 'TEXT' },
      since: { type: 'string', description: 'Only events at or after TIME: an ISO date or date and time (local unless Z or an offset), or an age such as 10m, 2h, 1d', value: 'TIME' },
      limit: { type: 'number', description: 'At most N events (default 50; with --follow, the last N before the new ones)', value: 'N', min: 1, max: 100000 },
      follow: { type: 'boolean', short: 'f', description: 'Keep printing new events as they are written, until Ctrl-C (like journalctl -f); --json prints one object per line' },
    },
    async run(ctx) {
      const query: EventQuery = {
        minSeverity: ctx.options.severity as Severity | undefined,
        text: ctx.options.search as string | undefined,
        since: sinceOption(ctx.options.since),
        limit: (ctx.options.limit as number | undefined) ?? 50,
      };
      if (ctx.options.follow) return follow(ctx, query);
      printTable(ctx, (await ctx.core.events.list(query)).map(row), COLUMNS);
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
