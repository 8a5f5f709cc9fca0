// A door for a use case a test builds outside a core (its own runner, paths
// or recorded host): the event log's user and channel, refusing nothing
// unless the test asks for read-only mode or an engine lock.
import { createDoor, type Door } from '../../src/core/door.ts';
import type { PolicyState } from '../../src/core/policy.ts';
import type { EventLog } from '../../src/manager/events.ts';

export function testDoor(events: EventLog, state: Partial<PolicyState> = {}): Door {
  return createDoor({ user: events.user, channel: events.channel }, events, { readOnly: false, engineLock: () => undefined, ...state });
}
