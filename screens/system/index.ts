// The System screen as data, for screens/index.ts (its own chunk, loaded when first opened).
import type { ScreenDef } from '../../src/app/types.ts';

export const systemScreen: ScreenDef = {
  id: 'system', title: 'System', aliases: ['time', 'timezone', 'ntp', 'ssh', 'root-password', 'remote-log'],
  description: "The node's own settings: time zone, NTP servers and sync, the clock, SSH (port, password and root login, root's keys), the root password, remote logging.",
  load: () => import('./System.tsx').then((m) => m.System),
};
