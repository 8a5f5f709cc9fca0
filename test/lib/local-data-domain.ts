// The storage the template and pool tests and benchmarks put images on: a
// local-directory data domain (connection `<tag>-local`, domain
// `<tag>-data`) in a scratch directory, made through the core as an
// operator would, and its libvirt pool taken away afterwards.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../src/core/index.ts';
import type { StorageDomain } from '../../src/core/storage-domains.ts';
import { virshTry } from './lifecycle.ts';

export async function localDataDomain(core: Pick<Core, 'storageConnections' | 'storageDomains'>, dir: string, tag: string): Promise<StorageDomain> {
  // QEMU (uid libvirt-qemu) reads the images through these directories.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'data'), { mode: 0o755 });
  await core.storageConnections.add({ type: 'localfs', name: `${tag}-local`, path: join(dir, 'data') });
  await core.storageConnections.connect(`${tag}-local`);
  return core.storageDomains.create({ name: `${tag}-data`, type: 'data', connectionId: `${tag}-local` });
}

/** Stop and forget the domain's libvirt pool (its files go with the scratch directory). */
export async function removeDomainPool(domain: Pick<StorageDomain, 'poolName'> | undefined): Promise<void> {
  if (!domain) return;
  await virshTry('pool-destroy', domain.poolName);
  await virshTry('pool-undefine', domain.poolName);
}
