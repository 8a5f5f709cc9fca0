// NFS connections: mounted as vdsm does, at /rhev/data-center/mnt/<server:path
// with '/' as '_'>, with oVirt's options soft,nosharecache,timeo=100,retrans=3
// (an outage fails in about a minute instead of hanging), the version and the
// operator's extra options.
import type { RunResult } from '../../exec/runner.ts';
import { NFS_DEFAULT_OPTIONS, type NfsParams } from '../../domain/storage/connection.ts';
import { StorageError } from './errors.ts';
import type { MountSpec } from './mount.ts';

import { DEFAULT_MOUNT_ROOT, nfsMountPath } from './mount-path.ts';

export { DEFAULT_MOUNT_ROOT, nfsMountPath };

export function nfsMountOptions(p: NfsParams): string[] {
  const o: string[] = [...NFS_DEFAULT_OPTIONS];
  if (p.version !== 'auto') o.push(`vers=${p.version}`);
  if (p.options) o.push(...p.options.split(','));
  return o;
}

export function nfsMountSpec(p: NfsParams, mountRoot?: string): MountSpec {
  return { source: p.path, target: nfsMountPath(p, mountRoot), fstype: 'nfs', options: nfsMountOptions(p), timeoutMs: 120_000 };
}

/** mount.nfs's failures in words an operator can act on. */
export function explainNfsFailure(p: NfsParams, r: RunResult): StorageError | undefined {
  const t = `${r.stderr}\n${r.stdout}`;
  if (/access denied|permission denied/i.test(t)) return new StorageError('auth', `the NFS server ${p.server} refused to export ${p.export} to this host (access denied by server): check the export's client list`);
  if (/No such file or directory/i.test(t) && /mount(\.nfs)?:/i.test(t)) return new StorageError('not-found', `the NFS server ${p.server} has no export ${p.export} (for NFSv4 the path is relative to the server's NFSv4 root)`);
  if (/Connection refused|Connection timed out|No route to host|Network is unreachable|timed out|server is down/i.test(t)) return new StorageError('unreachable', `the NFS server ${p.server} does not answer: ${t.trim().split('\n').pop()}`);
  if (/Protocol not supported|requested NFS version or transport protocol is not supported/i.test(t)) return new StorageError('failed', `the NFS server ${p.server} does not offer NFS version ${p.version}`);
  if (/bad option|wrong fs type/i.test(t)) return new StorageError('missing-tool', `the NFS client (nfs-common, mount.nfs and the nfs kernel module) is not available on this host: ${t.trim().split('\n')[0]}`);
  return undefined;
}
