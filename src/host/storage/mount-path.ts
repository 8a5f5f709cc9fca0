// Where a file connection is mounted, as vdsm lays it out: NFS and POSIX
// under /rhev/data-center/mnt/<spec with '/' as '_'>, a local directory in
// place. Its own small module: the console shows mount paths without loading
// the storage code that mounts them.
import { join } from 'node:path';
import type { ConnectionType, LocalParams, NfsParams, PosixParams } from '../../domain/storage/connection.ts';

export const DEFAULT_MOUNT_ROOT = '/rhev/data-center/mnt';

/** The mount root of a hostdeck process: HOSTDECK_STORAGE_MOUNT_ROOT (tests, unusual layouts), else vdsm's. */
export const processMountRoot = (env: NodeJS.ProcessEnv = process.env): string => env.HOSTDECK_STORAGE_MOUNT_ROOT || DEFAULT_MOUNT_ROOT;

/** vdsm's mount directory name for a server:/path (slashes become '_'; '_' is doubled first). */
export function escapeMountName(remote: string): string {
  return remote.replace(/_/g, '__').replace(/\//g, '_');
}

export const nfsMountPath = (p: NfsParams, mountRoot = DEFAULT_MOUNT_ROOT): string => join(mountRoot, escapeMountName(p.path));
export const posixMountPath = (p: PosixParams, mountRoot = DEFAULT_MOUNT_ROOT): string => join(mountRoot, escapeMountName(p.spec));

/** A connection's mount path (undefined for block storage: iSCSI, FC). */
export function connectionMountPath(c: { type: ConnectionType; params: unknown }, mountRoot = DEFAULT_MOUNT_ROOT): string | undefined {
  switch (c.type) {
    case 'nfs': return nfsMountPath(c.params as NfsParams, mountRoot);
    case 'posixfs': return posixMountPath(c.params as PosixParams, mountRoot);
    case 'localfs': return (c.params as LocalParams).path;
    default: return undefined;
  }
}
