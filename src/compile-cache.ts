// V8's on-disk compile cache, kept bounded: every build writes new files (its
// chunks have new names), so each build gets a directory of its own and only
// the most recently used few are kept.
import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';

/** How many builds keep their compile cache (the running one and the most recently used others, e.g. a second checkout). */
export const KEEP_BUILDS = 3;

/** The cache directory of one build under the cache root. */
export function buildCacheDir(root: string, buildId: string): string {
  return join(root, `build-${buildId}`);
}

/**
 * Marks `current` as just used and removes everything else under `root`
 * except the KEEP_BUILDS - 1 most recently used (older builds, the former flat
 * layout). Returns the removed paths.
 */
export async function pruneCompileCache(root: string, current: string, keep = KEEP_BUILDS): Promise<string[]> {
  const now = new Date();
  await utimes(current, now, now).catch(() => undefined);
  const names = await readdir(root).catch(() => [] as string[]);
  const dirs = await Promise.all(names.map(async (n) => ({ path: join(root, n), mtime: await stat(join(root, n)).then((s) => s.mtimeMs, () => 0) })));
  const old = dirs.filter((d) => d.path !== current).sort((a, b) => b.mtime - a.mtime).slice(Math.max(0, keep - 1));
  await Promise.all(old.map((d) => rm(d.path, { recursive: true, force: true }).catch(() => undefined)));
  return old.map((d) => d.path);
}
