// The binary's entry: turn on V8's on-disk compile cache before anything else
// is loaded (start-up is dominated by compiling the bundle), then run the CLI.
import module from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`hostdeck needs Node.js 22 or newer; this is ${process.version} (${process.execPath}).\n./scripts/console installs Node 24 into .runtime/ and runs hostdeck with it.\n`);
  process.exit(1);
}

try {
  const dir = process.env.HOSTDECK_COMPILE_CACHE ?? (process.getuid?.() === 0 ? '/var/cache/hostdeck/compile' : undefined);
  module.enableCompileCache?.(dir);
} catch {
  /* an unwritable cache only costs speed */
}
const { main } = await import('./cli.tsx');
process.exitCode = await main(process.argv.slice(2));
