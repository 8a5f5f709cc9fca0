// The domain service of a hostdeck process: this machine's runner, the
// state DB, the event log, libvirt's URI and storage-conn's connection service.
import * as runner from '../../../exec/runner.ts';
import type { Services } from '../../../services.ts';
import { createDomainService, type DomainConnections, type DomainService } from './service.ts';

const cache = new WeakMap<Services, Promise<DomainService>>();

export function domainServiceFor(services: Services, connections?: DomainConnections): Promise<DomainService> {
  let s = cache.get(services);
  if (!s || connections) {
    s = (async () => createDomainService({
      runner: { run: runner.run, runOk: runner.runOk },
      db: services.db,
      events: services.events,
      uri: services.config.uri,
      connections: connections ?? await connectionsFor(services),
    }))();
    cache.set(services, s);
  }
  return s;
}

async function connectionsFor(services: Services): Promise<DomainConnections> {
  const { connectionServiceFor } = await import('../service.ts');
  return connectionServiceFor(services);
}
