// The event log as the front ends read it: the Events screen, `hostdeck
// events`, and (later) the API. Writing events is the door's job.
import type { EventQuery, EventRecord } from '../manager/events.ts';
import type { CoreContext } from './index.ts';

export { SEVERITIES, type EventQuery, type EventRecord, type Severity } from '../manager/events.ts';

export interface EventUseCases {
  /** Newest first. */
  list(q?: EventQuery): Promise<EventRecord[]>;
  get(id: number): EventRecord | undefined;
  /** Events this process writes, as they are written. */
  subscribe(fn: (e: EventRecord) => void): () => void;
  /** The highest event id: another process (CLI, API) added rows when it changes. */
  lastId(): number;
}

export function createEventUseCases(ctx: CoreContext): EventUseCases {
  const log = ctx.infra.events;
  return {
    list: (q) => ctx.door.act('event.list', { id: '*' }, { message: 'List the events' }, () => log.list(q)),
    get: (id) => log.get(id),
    subscribe: (fn) => log.subscribe(fn),
    lastId: () => log.lastId(),
  };
}
