// The one door every mutating action goes through: the policy decides, the
// action runs, its event is written (who, through which front end, what, on
// which object, the result). A refusal is an event too.
import { ForbiddenError, PermissionDeniedError } from '../domain/errors.ts';
import type { ActionScope, EventLog, Severity } from '../manager/events.ts';
import { actionDef, type ActionDef, type ActionId } from './catalog.ts';
import type { AccessAnswer } from './access.ts';
import { isChecked, refusal, type PolicyState } from './policy.ts';
import type { Principal } from './principal.ts';

export interface ObjectRef {
  /** The object's name or id as events and messages show it. */
  id: string;
}

export interface ActRequest {
  /** What is done, in the event's words ("Start VM web1"); a failure appends its reason. */
  message: string;
  /** Ties this action's events to a larger operation's (an apply and its rollback). */
  correlationId?: string;
  /** The event's object type when it is not the catalog's (a snapshot event filed under its VM). */
  objectType?: string;
  /** The success event's severity when it is not 'info' (an emergency reset is a warning); a failure is an error. */
  severity?: Severity;
}

export interface Door {
  readonly principal: Principal;
  /** Why this principal may not take the action now (the key bar's disabled reason), or undefined. */
  whyNot(action: ActionId): string | undefined;
  /** Refuse (ForbiddenError, with its event) or run fn and write its events. */
  act<T>(action: ActionId, object: ObjectRef, req: ActRequest, fn: (scope: ActionScope) => Promise<T> | T): Promise<T>;
  /** The same door for another principal (hostdeck acting on its own at start, as 'system'). */
  forPrincipal(principal: Principal): Door;
}

export function createDoor(principal: Principal, events: EventLog, state: PolicyState): Door {
  const whyNot = (id: ActionId) => refusal(principal, actionDef(id), state);
  return {
    principal,
    whyNot,
    forPrincipal: (p) => createDoor(p, events, state),
    act(id, object, req, fn) {
      const def: ActionDef = actionDef(id);
      const meta = { source: def.source, objectType: req.objectType ?? def.object, objectId: object.id, message: req.message, user: principal.user, channel: principal.channel, ...(req.correlationId ? { correlationId: req.correlationId } : {}), ...(req.severity ? { severity: req.severity } : {}) };
      const decide = (access?: AccessAnswer) => {
        const reason = refusal(principal, def, state, access);
        if (reason) {
          events.record({ ...meta, message: `${req.message} refused: ${reason}`, result: 'failure', severity: 'warning' });
          const message = `${req.message}: ${reason}`;
          return Promise.reject(access && !access.allowed && reason === access.reason ? new PermissionDeniedError(message, access.permit) : new ForbiddenError(message));
        }
        if (!def.mutates) return Promise.resolve().then(() => fn({ correlationId: '', commit: () => { throw new Error(`${id} reads; it commits nothing`); } }));
        return def.effect === 'db' ? events.change(meta, fn) : events.action(meta, fn);
      };
      // Only an identity that logged in has its permissions looked up (root and hostdeck's own work are never refused by them).
      const access = state.access;
      return access && isChecked(principal) ? access.check(principal, def, object.id).then(decide) : decide();
    },
  };
}
