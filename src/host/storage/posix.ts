// POSIX file system connections: any mount spec (device, server:/path,
// //server/share) with a file system type and options, at
// /rhev/data-center/mnt/<spec with '/' as '_'> like vdsm's posixfs.
import type { RunResult } from '../../exec/runner.ts';
import type { PosixParams } from '../../domain/storage/connection.ts';
import { StorageError } from './errors.ts';
import type { MountSpec } from './mount.ts';
import { posixMountPath } from './mount-path.ts';

export { posixMountPath };

export function posixMountSpec(p: PosixParams, mountRoot?: string): MountSpec {
  return { source: p.spec, target: posixMountPath(p, mountRoot), fstype: p.vfsType, options: p.options ? p.options.split(',') : [], timeoutMs: 120_000 };
}

export function explainPosixFailure(p: PosixParams, r: RunResult): StorageError | undefined {
  const t = `${r.stderr}\n${r.stdout}`;
  if (/does not exist|No such file or directory|special device .* does not exist/i.test(t)) return new StorageError('not-found', `${p.spec} does not exist on this host`);
  if (/unknown filesystem type/i.test(t)) return new StorageError('missing-tool', `this kernel does not know the file system type ${p.vfsType}`);
  if (/wrong fs type|bad superblock|bad option/i.test(t)) return new StorageError('failed', `${p.spec} could not be mounted as ${p.vfsType} (wrong type, a damaged file system or a bad option): ${t.trim().split('\n')[0]}`);
  return undefined;
}
