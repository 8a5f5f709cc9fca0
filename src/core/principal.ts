// Who takes an action and through which front end: every use case is called
// for a principal, and its event names both.
import type { Channel } from '../manager/events.ts';

export type { Channel };

export interface Principal {
  /** The operator as the event log names them (login name, or "sudo-user (as root)"). */
  user: string;
  channel: Channel;
}

/** The principal for work hostdeck does on its own (boot-time reconnect, health checks). */
export function systemPrincipal(user = 'hostdeck'): Principal {
  return { user, channel: 'system' };
}
