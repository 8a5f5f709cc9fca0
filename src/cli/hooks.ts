// `hostdeck hooks list`: every hook point with its scripts in the order they
// run, and for a script that does not run, why (refused: a hook runs as root).
import { hookRows } from '../domain/hooks.ts';
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
      const rows = hookRows(l.points).map(({ point, script, status }) => ({ point, script, status }));
      if (!ctx.json) ctx.out(`hooks ${l.enabled ? 'on' : 'off (HOSTDECK_HOOKS=off)'}: ${l.root}, each may run ${l.timeoutS} s`);
      printTable(ctx, rows, ['point', 'script', 'status'], l);
      return 0;
    },
  },
];
