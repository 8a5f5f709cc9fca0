// The core's network use cases over a given state DB and event log, pointed
// at a runner and a state directory of the test's choosing (a recorded host,
// a QEMU test host): what createCore builds for this host, elsewhere.
import { createNetworkUseCases, type NetworkEnv, type NetworkUseCases } from '../../src/core/network.ts';
import type { Db } from '../../src/manager/db.ts';
import type { EventLog } from '../../src/manager/events.ts';
import { testDoor } from './door.ts';

export function netUseCases(deps: { db: Db; events: EventLog; readOnly?: boolean } & NetworkEnv): NetworkUseCases {
  const { db, events, readOnly, ...env } = deps;
  const door = testDoor(events, { readOnly: Boolean(readOnly) });
  return createNetworkUseCases({ infra: { db, events, config: { dbPath: env.targetDbPath ?? ':memory:' } }, door }, env);
}
