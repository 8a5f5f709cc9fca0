// The Storage connections screen as data, for screens/index.ts.
import type { ScreenDef } from '../../src/app/types.ts';
import { connectionServiceFor } from '../../src/host/storage/service.ts';
import { makeStorageConnectionsScreen } from './StorageConnections.tsx';
import type { ConnectionsScreenDeps } from './use-connections.ts';

/** A ScreenDef with its own service (tests: a temp DB, paths and runner). */
export function createStorageConnectionsScreen(deps: ConnectionsScreenDeps): ScreenDef {
  return {
    id: 'storage-connections',
    title: 'Storage connections',
    key: 'c',
    aliases: ['storage', 'connections', 'nfs', 'iscsi', 'fc', 'san', 'lun', 'luns', 'posix', 'mount'],
    description: 'NFS, iSCSI (CHAP), Fibre Channel, POSIX and local storage: connect, disconnect, LUNs, reconnect at boot.',
    component: makeStorageConnectionsScreen(deps),
  };
}

export const storageConnectionsScreen: ScreenDef = createStorageConnectionsScreen({ service: (s) => connectionServiceFor(s) });
