// `hostdeck diagnose`: the preflight and health checks the Diagnostics screen
// shows, one line each with its fix; exit 1 when a check failed.
import { STATUS_WORDS, checkSummary, type CheckResult } from '../domain/diagnostics.ts';
import type { Command } from './registry.ts';

export function formatCheck(c: CheckResult): string[] {
  return [`${STATUS_WORDS[c.status].padEnd(14)} ${c.title}: ${c.detail}`, ...(c.fix ? [`${' '.repeat(15)}fix: ${c.fix}`] : [])];
}

export const diagnoseCommands: Command[] = [
  {
    noun: 'diagnose',
    verb: '',
    summary: 'Run the preflight and health checks (KVM, memory, disks, NIC links, time, DNS, certificates, libvirtd, the host service, storage domains), each with its status and fix; exit 1 when one failed',
    async run(ctx) {
      const checks = await ctx.core.diagnostics.run();
      const s = checkSummary(checks);
      if (ctx.json) ctx.out(JSON.stringify({ summary: { failed: s.failed, warning: s.warning, ok: s.ok }, checks }, null, 2));
      else {
        for (const c of checks) for (const l of formatCheck(c)) ctx.out(l);
        ctx.out(s.line);
      }
      return s.failed ? 1 : 0;
    },
  },
];
