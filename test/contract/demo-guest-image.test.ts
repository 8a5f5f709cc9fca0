// hostdeck demo builds its tiny guest with scripts/guest/build.sh: the script
// is started as the program itself (its shebang picks the interpreter), so the
// runner never records a shell started by name.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { observe, type RunRecord } from '../../src/exec/runner.ts';
import { guestBuildScript, tinyGuestImage } from '../../src/host/guest-image.ts';
import { isShell } from '../lib/hostile.ts';

describe('demo guest image', () => {
  it('runs scripts/guest/build.sh itself (no shell started by name) and returns the kernel and initrd it built', async () => {
    const calls: RunRecord[] = [];
    const stop = observe((r) => { if (r.exitCode === undefined) calls.push(r); });
    let img: { kernel: string; initrd: string };
    try {
      img = await tinyGuestImage();
    } finally {
      stop();
    }
    assert.deepEqual(calls.map((c) => [c.command, ...c.args]), [[guestBuildScript(), '--print-dir']]);
    assert.ok(!calls.some((c) => isShell(c.command)), 'no shell is started');
    assert.ok(existsSync(img.kernel) && existsSync(img.initrd), `${img.kernel} and ${img.initrd} exist`);
  });
});
