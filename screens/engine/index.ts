// The Engine screen as data, for screens/index.ts.
import type { ScreenDef } from '../../src/app/types.ts';
import type { EngineScreenDeps } from './use-engine.ts';

/** A ScreenDef with its own paths and defaults (tests: a temp root and the engine stand-in). */
export function createEngineScreen(deps: EngineScreenDeps): ScreenDef {
  return {
    id: 'engine',
    title: 'Engine',
    key: 'o',
    aliases: ['ovirt', 'register', 'registration', 'management', 'rhv'],
    description: 'Register this host with an oVirt engine; its approval state.',
    // Its own chunk, loaded when the screen first opens.
    load: () => import('./EngineScreen.tsx').then((m) => m.makeEngineScreen(deps)),
  };
}

export const engineScreen: ScreenDef = createEngineScreen({ env: () => ({}) });
