import type { LogLine } from '../core/logs.ts';
import { GREP_RULE, LINES_RULE, PRIORITY_RULE, SOURCE_RULE, UNIT_RULE } from '../domain/logs.ts';
import { formatBytes } from '../domain/size.ts';
import { cliGuard } from './errors.ts';
import { UsageError } from './args.ts';
import { printTable, untilStopped, type Command, type CommandContext } from './registry.ts';

const fieldMessage = (f: { message: string }) => `--${f.message}`;

async function followOn(ctx: CommandContext, input: Parameters<CommandContext['core']['logs']['read']>[0], print: (l: LogLine) => void): Promise<number> {
  const page = await cliGuard(() => ctx.core.logs.read(input), fieldMessage);
  for (const l of page.lines) print(l);
  const { stop, done } = untilStopped(ctx);
  const end = await cliGuard(() => ctx.core.logs.follow(input, page, (ls) => { for (const l of ls) print(l); }), fieldMessage);
  try {
    await new Promise<void>((resolve) => { if (stop.aborted) resolve(); else stop.addEventListener('abort', () => resolve(), { once: true }); });
    return 0;
  } finally {
    end();
    done();
  }
}

export const logCommands: Command[] = [
  {
    noun: 'logs',
    verb: '',
    summary: "Show the last lines of a log: the journal where journald runs (else /var/log/syslog), a file under /var/log, hostdeck's own log or a VM's libvirt log; filter, search, follow",
    options: {
      source: { type: 'string', description: `Which log: ${SOURCE_RULE}`, value: 'SOURCE' },
      unit: { type: 'string', description: `Only this systemd unit's entries (journal); ${UNIT_RULE}`, value: 'UNIT' },
      priority: { type: 'string', description: `Only lines at this priority or more severe (files: the level word a line carries, none counts as info); ${PRIORITY_RULE}`, value: 'PRIORITY' },
      since: { type: 'string', description: 'Only lines at or after TIME: an ISO date or date and time, or an age such as 10m, 2h, 1d', value: 'TIME' },
      at: { type: 'string', description: 'Start the page at the first line at or after TIME (the time of an event), instead of ending it at the last line', value: 'TIME' },
      grep: { type: 'string', description: `Only lines matching REGEX; ${GREP_RULE}`, value: 'REGEX' },
      lines: { type: 'string', short: 'n', description: `How many lines (default 50); ${LINES_RULE}`, value: 'N' },
      search: { type: 'string', description: 'Read the whole log for lines matching REGEX: print the first --lines of them with their byte offsets, then how many there are', value: 'REGEX' },
      follow: { type: 'boolean', short: 'f', description: 'Keep printing new lines as they are written, until Ctrl-C (--json: one object per line)' },
      sources: { type: 'boolean', description: 'List the logs this host has, as --source names them' },
    },
    async run(ctx) {
      const o = ctx.options;
      const input = {
        source: o.source as string | undefined, unit: o.unit as string | undefined, priority: o.priority as string | undefined,
        since: o.since as string | undefined, grep: o.grep as string | undefined, lines: o.lines as string | undefined,
      };
      const modes = ['sources', 'search', 'follow', 'at'].filter((k) => o[k] !== undefined && o[k] !== false);
      if (modes.length > 1) throw new UsageError(`--${modes[1]}: cannot be combined with --${modes[0]}`);
      if (o.sources) {
        const list = await cliGuard(() => ctx.core.logs.sources(), fieldMessage);
        if (ctx.json) ctx.out(JSON.stringify(list, null, 2));
        else printTable(ctx, list.map((s) => ({ source: s.id, kind: s.kind, size: s.bytes === undefined ? '' : formatBytes(s.bytes), path: s.path ?? '' })), ['source', 'kind', 'size', 'path']);
        return 0;
      }
      if (o.search !== undefined) {
        const s = await cliGuard(() => ctx.core.logs.search({ ...input, pattern: o.search as string }), (f) => (f.field === 'pattern' ? `--search: ${f.message.replace(/^pattern: /, '')}` : fieldMessage(f)));
        if (ctx.json) { ctx.out(JSON.stringify(s, null, 2)); return 0; }
        for (const m of s.matches) ctx.out(`${String(m.offset ?? '').padStart(12)}  ${m.text}`);
        ctx.out(`${s.count} matching line${s.count === 1 ? '' : 's'} in ${s.source}${s.bytes ? ` (${formatBytes(s.bytes)} read)` : ''}`);
        return 0;
      }
      const print = (l: LogLine) => ctx.out(ctx.json ? JSON.stringify(l) : l.text);
      if (o.follow) return followOn(ctx, input, print);
      const page = await cliGuard(() => ctx.core.logs.read({ ...input, at: o.at as string | undefined }), fieldMessage);
      if (ctx.json) ctx.out(JSON.stringify(page, null, 2));
      else for (const l of page.lines) print(l);
      return 0;
    },
  },
];
