// The Pools screen as data, for screens/index.ts.
import type { ScreenDef } from '../../src/app/types.ts';
import type { PoolsDeps } from './Pools.tsx';

/** A ScreenDef with its own dependencies (tests: a stand-in API). */
export function createPoolsScreen(deps: PoolsDeps = {}): ScreenDef {
  return {
    id: 'vm-pools',
    title: 'VM pools',
    aliases: ['pool', 'vm-pool', 'vm-pools', 'vmpool'],
    description: 'VM pools: stateless thin VMs from a template that users take and give back; grow, shrink, remove.',
    // Its own chunk, loaded when the screen first opens.
    load: () => import('./Pools.tsx').then((m) => m.makePoolsScreen(deps)),
  };
}

export const poolsScreen: ScreenDef = createPoolsScreen();
