// A full disk under the history: the state database sits on a small tmpfs of
// the real kernel, a file fills what is left, and the history duty's rounds
// go on until SQLite finds no room. That round fails saying the file system
// holding the state database is full; the database is intact (integrity
// check, every round written whole or not at all); once space is freed the
// next round is written.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config.ts';
import { createCore } from '../../src/core/index.ts';
import { Services } from '../../src/services.ts';

describe('the history on a full disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-full-'));
  const mnt = join(dir, 'mnt');
  let s: Services | undefined;

  before(() => {
    execFileSync('mkdir', ['-p', mnt]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'hostdeck-full-test', mnt]);
    s = new Services({ ...resolveConfig({ connect: 'test:///default', db: join(mnt, 'state.db') }, {}), logFile: join(dir, 'hostdeck.log'), user: 'tester' }, 'cli');
  });
  after(async () => {
    await s?.close();
    try { execFileSync('umount', [mnt]); } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  /** Writes zeros until the file system has no room left. */
  const fill = (path: string) => {
    const fd = openSync(path, 'w');
    const chunk = Buffer.alloc(16 * 1024);
    try {
      for (;;) writeSync(fd, chunk);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    } finally {
      closeSync(fd);
    }
  };

  it('a round that finds no room fails naming the full file system; the database stays whole; freed space lets the next round in', async () => {
    const core = createCore(s!, { user: 'tester', channel: 'cli' });
    let clock = Math.floor(Date.now() / 1000) - 86_000;
    const sampler = await core.history.newSampler({ now: () => (clock += 60) });
    const db = s!.db;
    const rows = () => ({
      host: db.prepare('SELECT count(*) FROM history_host_minute').pluck().get() as number,
      vm: db.prepare('SELECT count(*) FROM history_vm_minute').pluck().get() as number,
    });
    try {
      await sampler.run();
      const perRound = rows().vm;
      assert.ok(perRound > 0, 'the test driver\'s VMs are sampled');
      fill(join(mnt, 'filler'));
      let written = 1;
      let failure: Error | undefined;
      // The WAL may still have room for a few rounds; each round adds rows until one does not fit.
      for (let i = 0; i < 5000 && !failure; i++) {
        try { await sampler.run(); written++; } catch (e) { failure = e as Error; }
      }
      assert.ok(failure, 'a round failed once the disk was full');
      assert.match(failure.message, new RegExp(`^history not written: the file system holding the state database ${join(mnt, 'state.db')} is full`));
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      assert.deepEqual(rows(), { host: written, vm: written * perRound }, 'each round whole or not at all');

      rmSync(join(mnt, 'filler'));
      await sampler.run();
      assert.deepEqual(rows(), { host: written + 1, vm: (written + 1) * perRound });
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      sampler.close();
    }
  });
});
