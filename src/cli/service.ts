// hostdeck serve (the host service, in the foreground), service status, service stop.
import type { ServiceStatus } from '../core/host-service.ts';
import { formatDuration } from '../domain/duration.ts';
import { CommandError, printTable, untilStopped, type Command, type CommandContext } from './registry.ts';

function noArguments(ctx: CommandContext): void {
  if (ctx.positionals.length) throw new CommandError(`unexpected argument ${JSON.stringify(ctx.positionals[0])}`, 2);
}

/** --interval: seconds, 0.1 to 3600. */
function intervalMs(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  const n = Number(s);
  if (!/^\d+(\.\d+)?$/.test(s) || n < 0.1 || n > 3600) throw new CommandError(`--interval: must be seconds from 0.1 to 3600 (got ${JSON.stringify(s.slice(0, 40))})`, 2);
  return Math.round(n * 1000);
}

const every = (ms?: number) => (ms === undefined ? 'at start' : `every ${ms / 1000} s`);

function statusText(s: ServiceStatus): string {
  if (s.running) return `running (pid ${s.pid}, since ${s.since}, up ${formatDuration(Math.round((Date.now() - Date.parse(s.since!)) / 1000))})`;
  if (s.stale) return `not running (its last run, pid ${s.stale.pid}, ended without stopping; the next hostdeck serve takes its lock over)`;
  return 'not running (start it with hostdeck serve)';
}

export const serviceCommands: Command[] = [
  {
    noun: 'serve',
    verb: '',
    summary: 'Run the host service in the foreground: storage health checks and the other duties hostdeck does while no console is open (one per state DB; stops on SIGTERM or Ctrl-C)',
    options: { interval: { type: 'string', description: 'Run every periodic duty every SECONDS instead of its own interval', value: 'SECONDS' } },
    async run(ctx) {
      noArguments(ctx);
      const everyMs = intervalMs(ctx.options.interval);
      const { stop, done } = untilStopped(ctx);
      try {
        await ctx.core.hostService.serve(ctx.core, {
          stop,
          ...(everyMs ? { everyMs } : {}),
          // On a terminal the log is shown as well; started in the background, the log file has it all.
          ...(process.stderr.isTTY ? { echo: (line: string) => ctx.err(line) } : {}),
        });
      } finally {
        done();
      }
      return 0;
    },
  },
  {
    noun: 'service',
    verb: 'status',
    summary: 'Whether the host service runs (PID, since when), its duties and their last run',
    async run(ctx) {
      noArguments(ctx);
      const s = ctx.core.hostService.status();
      if (ctx.json) { ctx.out(JSON.stringify(s, null, 2)); return 0; }
      ctx.out(`host service: ${statusText(s)}`);
      ctx.out('');
      printTable(ctx, s.duties.map((d) => ({
        duty: d.id,
        schedule: every(d.everyMs),
        'last run': d.last ? d.last.at : 'never',
        result: d.last ? `${d.last.ok ? 'ok' : 'FAILED'}: ${d.last.message}` : '',
      })), ['duty', 'schedule', 'last run', 'result']);
      return 0;
    },
  },
  {
    noun: 'service',
    verb: 'stop',
    summary: 'Stop the host service (SIGTERM; waits until it has stopped)',
    async run(ctx) {
      noArguments(ctx);
      const { pid } = await ctx.core.hostService.stop();
      if (ctx.json) ctx.out(JSON.stringify({ stopped: pid }, null, 2));
      else ctx.out(`Stopped the host service (pid ${pid}).`);
      return 0;
    },
  },
];

