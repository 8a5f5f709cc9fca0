// The binary's entry: turn on V8's on-disk compile cache before anything else
// is loaded (start-up is dominated by compiling the bundle), then run the CLI.
import module from 'node:module';
import { buildCacheDir, pruneCompileCache } from './compile-cache.ts';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`hostdeck needs Node.js 22 or newer; this is ${process.version} (${process.execPath}).\n./scripts/console installs Node 24 into .runtime/ and runs hostdeck with it.\n`);
  process.exit(1);
}

// Set by scripts/build.mjs: a hash of the bundle, so each build has its own cache directory.
declare const HOSTDECK_BUILD_ID: string | undefined;
const buildId = typeof HOSTDECK_BUILD_ID === 'string' ? HOSTDECK_BUILD_ID : 'dev';
try {
  const root = process.env.HOSTDECK_COMPILE_CACHE ?? (process.getuid?.() === 0 ? '/var/cache/hostdeck/compile' : undefined);
  if (root) {
    const dir = buildCacheDir(root, buildId);
    module.enableCompileCache?.(dir);
    // After the first frame (a console) or never (a short CLI command exits first).
    setTimeout(() => void pruneCompileCache(root, dir), 5000).unref();
  } else {
    module.enableCompileCache?.();
  }
} catch {
  /* an unwritable cache only costs speed */
}
const { main } = await import('./cli.tsx');
process.exitCode = await main(process.argv.slice(2));
