// The host's mode for the header and the dashboard: unconfigured, standalone
// (this host is its own manager) or registered to an oVirt engine.
import type { Services } from '../services.ts';
import { getSetting } from './db.ts';

export type HostModeName = 'unconfigured' | 'standalone' | 'registered';

export interface HostMode { mode: HostModeName; label: string; engine?: string; engineState?: string }

export function hostMode(services: Services): HostMode {
  const db = services.db;
  const engine = getSetting(db, 'engine.address');
  if (engine) {
    const st = getSetting(db, 'engine.state') ?? 'pending approval';
    return { mode: 'registered', label: `engine ${engine}: ${st}`, engine, engineState: st };
  }
  if (getSetting(db, 'mode') === 'standalone') return { mode: 'standalone', label: 'standalone' };
  return { mode: 'unconfigured', label: 'unconfigured' };
}
