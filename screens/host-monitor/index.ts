// The host monitor as data, for screens/index.ts (the screen is its own chunk, loaded when first opened).
import type { ScreenDef } from '../../src/app/types.ts';

export const hostMonitorScreen: ScreenDef = {
  id: 'host-monitor', title: 'Host monitor', key: 'm', aliases: ['monitor', 'top', 'btop', 'metrics', 'perf'],
  description: 'This host live: CPU per core, memory, load, network and disk throughput, with history charts.',
  load: () => import('./HostMonitor.tsx').then((m) => m.HostMonitor),
};
