// The Logs screen as data, for screens/index.ts (its own chunk, loaded when first opened).
import type { ScreenDef } from '../../src/app/types.ts';

export const logsScreen: ScreenDef = {
  id: 'logs', title: 'Logs', key: 'l', aliases: ['logs', 'journal', 'journalctl', 'syslog', 'messages', 'tail'],
  description: "The journal or /var/log, hostdeck's log and VMs' libvirt logs: filter, follow live, jump to a time.",
  action: 'log.read',
  load: () => import('./Logs.tsx').then((m) => m.Logs),
};
