import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCacheDir, KEEP_BUILDS, pruneCompileCache } from '../../src/compile-cache.ts';

describe('compile cache stays bounded across builds', () => {
  it('keeps the running build and the most recently used others; removes older builds and the old flat layout', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hostdeck-cc-'));
    try {
      const made: string[] = [];
      // Six older builds used one hour apart (build-a oldest), plus a directory of the former layout.
      ['a', 'b', 'c', 'd', 'e', 'f'].forEach((id, i) => {
        const d = buildCacheDir(root, id);
        mkdirSync(join(d, 'v24.21.0-x64-964aae3f-0'), { recursive: true });
        writeFileSync(join(d, 'v24.21.0-x64-964aae3f-0', '16c42e01'), 'cache');
        const t = new Date(Date.now() - (7 - i) * 3600_000);
        utimesSync(d, t, t);
        made.push(d);
      });
      mkdirSync(join(root, 'v24.21.0-x64-37e4aec9-0'));
      utimesSync(join(root, 'v24.21.0-x64-37e4aec9-0'), new Date(0), new Date(0));
      // The running build is the oldest of them on disk (e.g. an older checkout started again).
      const current = made[0]!;
      const removed = await pruneCompileCache(root, current);
      const left = readdirSync(root).sort();
      assert.equal(left.length, KEEP_BUILDS);
      assert.deepEqual(left, ['build-a', 'build-e', 'build-f']);
      assert.ok(removed.includes(join(root, 'v24.21.0-x64-37e4aec9-0')));
      // Pruning again changes nothing: the running build is now the most recent.
      assert.deepEqual(await pruneCompileCache(root, current), []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a missing cache root is no error', async () => {
    assert.deepEqual(await pruneCompileCache(join(tmpdir(), 'hostdeck-cc-none', 'x'), join(tmpdir(), 'hostdeck-cc-none', 'x', 'build-z')), []);
  });
});
