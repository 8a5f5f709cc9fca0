// Who takes an action and through which front end: every use case is called
// for a principal, and its event names both.
import type { Channel } from '../manager/events.ts';

export type { Channel };

export interface Principal {
  /** The operator as the event log names them (login name, or "sudo-user (as root)"). */
  user: string;
  channel: Channel;
  /**
   * The identity permissions are checked for, "name@domain" (admin@internal,
   * or a user who logged in with --user). Without one: root on the host's own
   * console or CLI, who is admin@internal (root already owns the host).
   */
  identity?: string;
  /** The identity's directory groups ("name@domain"): a permission given to one applies to its members. */
  groups?: readonly string[];
}

/** The identity root on the host's own console and CLI acts as. */
export const ROOT_IDENTITY = 'admin@internal';

/** The principal for work hostdeck does on its own (boot-time reconnect, health checks). */
export function systemPrincipal(user = 'hostdeck'): Principal {
  return { user, channel: 'system' };
}
