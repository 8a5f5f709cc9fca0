// The one decision whether a principal may take an action now. The console
// shows the reason on a disabled key, the CLI and the API refuse with it: all
// three ask this function, through the door.
import type { Access, AccessAnswer } from './access.ts';
import type { ActionDef } from './catalog.ts';
import type { Principal } from './principal.ts';

export interface PolicyState {
  /** Read-only mode (--read-only, HOSTDECK_READ_ONLY=1): no action that changes the host. */
  readOnly: boolean;
  /**
   * Why VM actions belong to a registered engine, or undefined. Asked once per
   * action on every frame of the key bar: cheap, yet never behind a change
   * (another process may register), so a cached answer must know when to read again.
   */
  engineLock: () => string | undefined;
  /** The permissions of identities that logged in (access.ts); without it, nobody is refused for want of a permit. */
  access?: Access;
}

/**
 * Whether the permissions of this principal are checked at all: hostdeck's
 * own work never is, nor root on the host's own console and CLI (no identity:
 * admin@internal, SuperUser on system from the first start).
 */
export const isChecked = (p: Principal): boolean => p.channel !== 'system' && p.identity !== undefined;

/**
 * Why `principal` may not take `action`, or undefined when it may: read-only
 * mode and the engine lock first (they refuse everyone), then the principal's
 * permissions on the object, when the door asked them (`access`).
 */
export function refusal(_principal: Principal, action: ActionDef, state: PolicyState, access?: AccessAnswer): string | undefined {
  if (action.mutates && state.readOnly) return 'read-only mode: hostdeck was started with --read-only (or HOSTDECK_READ_ONLY=1)';
  const locked = action.mutates && action.engineOwned ? state.engineLock() : undefined;
  if (locked) return locked;
  return access && !access.allowed ? access.reason : undefined;
}
