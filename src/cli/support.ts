import { formatBytes } from '../domain/size.ts';
import { MAX_SIZE_RULE, OUTPUT_RULE } from '../domain/support.ts';
import { cliGuard } from './errors.ts';
import { problem, type Command } from './registry.ts';

export const supportCommands: Command[] = [
  {
    noun: 'support',
    verb: 'bundle',
    summary: 'Write a support bundle: a tar.gz of system facts, hostdeck\'s events, settings and log, libvirt logs and domain XML, network and storage state, dmesg and the journal, secrets redacted',
    options: {
      output: { type: 'string', description: `Where to write it (default /var/tmp/hostdeck-support-HOST-TIME.tar.gz); ${OUTPUT_RULE}`, value: 'PATH' },
      'max-size': { type: 'string', description: `Largest archive (default 50M): above it the largest parts keep only their tail; ${MAX_SIZE_RULE}`, value: 'SIZE' },
    },
    async run(ctx) {
      const b = await cliGuard(() => ctx.core.support.bundle({ output: ctx.options.output as string | undefined, maxSize: ctx.options['max-size'] as string | undefined }), (f) => `--${f.message}`);
      if (ctx.json) {
        ctx.out(JSON.stringify(b, null, 2));
        return 0;
      }
      ctx.out(`${b.path} (${formatBytes(b.bytes)})`);
      ctx.out(`fetch it with: ${b.scp}`);
      for (const p of b.parts.filter((x) => x.trimmed)) problem(ctx, `${p.path}: trimmed to its last ${formatBytes(p.bytes)} of ${formatBytes(p.trimmed!.originalBytes)} (size limit)`);
      const missing = b.parts.filter((x) => x.status === 'missing').map((x) => x.path);
      if (missing.length) problem(ctx, `not on this host (recorded in the index): ${missing.join(', ')}`);
      return 0;
    },
  },
];
