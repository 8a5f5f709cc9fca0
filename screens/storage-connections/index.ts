// The Storage connections screen as data, for screens/index.ts.
import type { ScreenDef } from '../../src/app/types.ts';
import type { ConnectionsScreenDeps } from './use-connections.ts';

/**
 * A ScreenDef with its own connection use cases (tests: a temp DB, paths and
 * runner). The screen and, given as a function, its dependencies are their
 * own chunks, loaded when the screen first opens.
 */
export function createStorageConnectionsScreen(deps: ConnectionsScreenDeps | (() => Promise<ConnectionsScreenDeps>)): ScreenDef {
  return {
    id: 'storage-connections',
    title: 'Storage connections',
    key: 'c',
    aliases: ['storage', 'connections', 'nfs', 'iscsi', 'fc', 'san', 'lun', 'luns', 'posix', 'mount'],
    description: 'NFS, iSCSI (CHAP), Fibre Channel, POSIX and local storage: connect, disconnect, LUNs, reconnect at boot.',
    load: async () => {
      const [ui, resolved] = await Promise.all([import('./StorageConnections.tsx'), typeof deps === 'function' ? deps() : deps]);
      return ui.makeStorageConnectionsScreen(resolved);
    },
  };
}

export const storageConnectionsScreen: ScreenDef = createStorageConnectionsScreen({ service: (core) => core.storageConnections });
