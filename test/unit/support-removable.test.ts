// Copying a support bundle to a USB disk, against a fake /sys/block tree and
// mount table (this machine has no removable disk): which mounts are
// offered, and the copy through the core with its event, refusing any other
// directory and never replacing a file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removableMounts } from '../../src/host/support/removable.ts';
import { createSupportUseCases } from '../../src/core/support.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';
import { testDoor } from '../lib/door.ts';
import { testServices } from '../lib/services.ts';

const s = testServices();
const sys = join(s.dir, 'sys-block');
const usb = join(s.dir, 'media usb');
const roots = { sysBlock: sys, mounts: join(s.dir, 'mounts') };

before(() => {
  const disk = (name: string, removable: string, parts: string[] = []) => {
    mkdirSync(join(sys, name), { recursive: true });
    writeFileSync(join(sys, name, 'removable'), `${removable}\n`);
    for (const p of parts) mkdirSync(join(sys, name, p));
  };
  disk('vda', '0', ['vda1']);
  disk('sdb', '1', ['sdb1', 'holders']);
  disk('sr0', '1');
  mkdirSync(usb);
  writeFileSync(roots.mounts, [
    '/dev/vda1 / ext4 rw,relatime 0 0',
    `/dev/sdb1 ${usb.replace(/ /g, '\\040')} vfat rw,nosuid 0 0`,
    'proc /proc proc rw 0 0',
  ].join('\n'));
});
after(() => s.cleanup());

describe('support bundle to a removable disk (fake /sys/block and mount table)', () => {
  it('offers only mounted filesystems of removable disks, with the mount table\'s escapes undone', async () => {
    assert.deepEqual(await removableMounts(roots), [{ disk: 'sdb', device: '/dev/sdb1', mountPoint: usb, fsType: 'vfat' }]);
  });

  it('copies the bundle there (one event), and refuses another directory or an existing file', async () => {
    const support = createSupportUseCases({ infra: s, door: testDoor(s.events) }, { removable: roots });
    const bundle = join(s.dir, 'b.tar.gz');
    writeFileSync(bundle, 'bundle bytes');
    const copied = await support.copyToRemovable(bundle, usb);
    assert.deepEqual(copied, { path: join(usb, 'b.tar.gz'), bytes: 12 });
    assert.equal(readFileSync(copied.path, 'utf8'), 'bundle bytes');
    assert.match(s.events.list({ limit: 1 })[0]!.message, /^Copy support bundle b\.tar\.gz to .*media usb$/);

    const again = await support.copyToRemovable(bundle, usb).catch((e: unknown) => e);
    assert.match(fieldErrorsOf(again)?.[0]?.message ?? '', /^mount point: .* exists; hostdeck does not replace a file/);
    const elsewhere = await support.copyToRemovable(bundle, s.dir).catch((e: unknown) => e);
    assert.match(fieldErrorsOf(elsewhere)?.[0]?.message ?? '', /^mount point: .* is not a mounted removable disk/);
  });
});
