// The connection service for a hostdeck process (CLI, console): the real
// runner, the state DB and event log, the log file. Environment overrides for
// tests and unusual layouts: HOSTDECK_STORAGE_MOUNT_ROOT (default
// /rhev/data-center/mnt), HOSTDECK_SYSFS_ROOT (/sys), HOSTDECK_STORAGE_KEY
// (the secret key file; default beside the state DB).
import { run } from '../../exec/runner.ts';
import type { Services } from '../../services.ts';
import { createConnectionService, fileLog, type ConnectionService } from './connections.ts';

const cache = new WeakMap<Services, ConnectionService>();

export function connectionServiceFor(services: Services, env: NodeJS.ProcessEnv = process.env): ConnectionService {
  let s = cache.get(services);
  if (!s) {
    s = createConnectionService({
      runner: { run },
      db: services.db,
      events: services.events,
      log: fileLog(services.config.logFile),
      ...(env.HOSTDECK_STORAGE_MOUNT_ROOT ? { mountRoot: env.HOSTDECK_STORAGE_MOUNT_ROOT } : {}),
      ...(env.HOSTDECK_SYSFS_ROOT ? { sysfsRoot: env.HOSTDECK_SYSFS_ROOT, devRoot: `${env.HOSTDECK_SYSFS_ROOT}/../dev` } : {}),
      ...(env.HOSTDECK_STORAGE_KEY ? { keyFile: env.HOSTDECK_STORAGE_KEY } : {}),
    });
    cache.set(services, s);
  }
  return s;
}
