// The monitoring refresh interval, one for the VM and the host figures: + and
// - on the VM list, the VM detail and the host monitor step it.
import { nextRefresh } from '../domain/vm-figures.ts';
import type { Stores } from './host.ts';

/**
 * Steps the interval from the stores' current one, not from a rendered copy:
 * keys that arrive together (a burst of +++) each take one step.
 */
export function stepRefresh(stores: Pick<Stores, 'vms' | 'hostMetrics'>, dir: 1 | -1): void {
  const ms = nextRefresh(stores.vms.getSnapshot().intervalMs, dir);
  stores.vms.setIntervalMs(ms);
  stores.hostMetrics.setIntervalMs(ms);
}
