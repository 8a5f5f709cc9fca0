// `hostdeck hooks list`: every hook point with its scripts in the order they
// run, and for a script that does not run, why (refused: a hook runs as root).
import { UsageError } from './args.ts';
import type { Command } from './registry.ts';
import { printTable } from './registry.ts';

export const hookCommands: Command[] = [
  {
    noun: 'hooks',
    verb: 'list',
    summary: 'List the hook points (before_/after_ an action) and their scripts in the order they run; a script that does not run says why',
    async run(ctx) {
      if (ctx.positionals.length) throw new UsageError(`hooks list: takes no arguments (got ${JSON.stringify(ctx.positionals[0]!.slice(0, 40))})`);
      const l = await ctx.core.hooks.list();
      const rows = l.points.flatMap((p) => {
        const status = (why?: string) => (why ? `refused: ${why}` : 'runs');
        if (!p.exists) return [{ point: p.point, script: '-', status: 'no directory' }];
        if (!p.scripts.length) return [{ point: p.point, script: '-', status: p.refused ? status(p.refused) : 'empty' }];
        return p.scripts.map((s) => ({ point: p.point, script: s.name, status: p.refused ? status(p.refused) : s.refused ? `${s.refused.warn ? 'refused' : 'skipped'}: ${s.refused.reason}` : 'runs' }));
      });
      if (!ctx.json) ctx.out(`hooks ${l.enabled ? 'on' : 'off (HOSTDECK_HOOKS=off)'}: ${l.root}, each may run ${l.timeoutS} s`);
      printTable(ctx, rows, ['point', 'script', 'status'], l);
      return 0;
    },
  },
];
