// The Storage domains screen as data, for screens/index.ts.
import type { ScreenDef } from '../../src/app/types.ts';
import type { StorageDomainsDeps } from './StorageDomains.tsx';

/** A ScreenDef with its own dependencies (tests: a stand-in API). */
export function createStorageDomainsScreen(deps: StorageDomainsDeps = {}): ScreenDef {
  return {
    id: 'storage-domains',
    title: 'Storage domains',
    key: 's',
    aliases: ['sd', 'storage-domains', 'volumes', 'iso', 'pools', 'upload'],
    description: 'Storage domains of the data center: status, capacity, volumes, ISO upload, maintenance.',
    // Its own chunk, loaded when the screen first opens.
    load: () => import('./StorageDomains.tsx').then((m) => m.makeStorageDomainsScreen(deps)),
  };
}

export const storageDomainsScreen: ScreenDef = createStorageDomainsScreen();
