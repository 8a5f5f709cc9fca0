// The bundle's React, ink and yoga (dist/vendor.cjs, built by
// scripts/build.mjs) run as one classic script through node:vm, with a V8
// code cache made after the console has drawn: Node's compile cache keeps
// only what V8 compiled before a module ran, and React and ink compile most
// of their functions while drawing the first frame, at every start. The
// cache made here right after the first frame (in Node's compile cache
// directory, so per build and Node version) holds them too. Only the bundle loads this module; tests and
// `tsx src/cli.tsx` import the packages themselves.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, getCompileCacheDir } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { trace } from '../trace.ts';
import { atFirstFrame } from './first-frame-hooks.ts';

export interface Vendor {
  ink: Record<string, unknown>;
  react: Record<string, unknown>;
  jsxRuntime: Record<string, unknown>;
  yogaInit: () => Promise<void>;
}

function load(): { vendor: Vendor; script: Script; cacheFile?: string; hadCache: boolean } {
  const file = fileURLToPath(new URL('./vendor.cjs', import.meta.url));
  const source = readFileSync(file, 'utf8');
  // HOSTDECK_NO_VENDOR_CODE_CACHE=1: neither read nor made (to weigh it, scripts/bench/startup-techniques.bench.mjs).
  const dir = process.env.HOSTDECK_NO_VENDOR_CODE_CACHE === '1' ? undefined : getCompileCacheDir?.();
  const cacheFile = dir ? join(dir, 'hostdeck-vendor.v8cache') : undefined;
  let cachedData: Buffer | undefined;
  try { if (cacheFile) cachedData = readFileSync(cacheFile); } catch { /* first start of this build */ }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const wrapper = script.runInThisContext() as (e: object, r: NodeJS.Require, m: { exports: object }, f: string, d: string) => void;
  const mod = { exports: {} };
  wrapper(mod.exports, createRequire(file), mod, file, dirname(file));
  const hadCache = Boolean(cachedData) && !script.cachedDataRejected;
  trace(`vendor script loaded (${hadCache ? 'from its code cache' : cachedData ? 'code cache rejected' : 'no code cache'})`);
  return { vendor: mod.exports as Vendor, script, cacheFile, hadCache };
}

const loaded = load();
if (loaded.cacheFile && !loaded.hadCache) {
  const { script, cacheFile } = loaded;
  // Right after the first frame: what drawing it compiled is in; V8's flags
  // are still the start's (src/app/heap.ts changes one after the frame, and
  // a cache made then would be refused at the next start).
  atFirstFrame(() => {
    try {
      const tmp = `${cacheFile}.${process.pid}`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch { /* an unwritable cache only costs speed */ }
  });
}
await loaded.vendor.yogaInit();

export const vendor: Vendor = loaded.vendor;
