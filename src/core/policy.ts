// The one decision whether a principal may take an action now. The console
// shows the reason on a disabled key, the CLI and the API refuse with it: all
// three ask this function, through the door.
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
}

/** Why `principal` may not take `action`, or undefined when it may. */
export function refusal(_principal: Principal, action: ActionDef, state: PolicyState): string | undefined {
  if (!action.mutates) return undefined;
  if (state.readOnly) return 'read-only mode: hostdeck was started with --read-only (or HOSTDECK_READ_ONLY=1)';
  if (action.engineOwned) return state.engineLock();
  return undefined;
}
