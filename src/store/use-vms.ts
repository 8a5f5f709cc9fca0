// React bindings of the monitoring stores.
import { useSyncExternalStore } from 'react';
import type { HostMetricsState, HostMetricsStore } from './host-metrics.ts';
import type { VmStore, VmStoreState } from './vms.ts';

export function useVmStore(store: VmStore): VmStoreState {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

export function useHostMetrics(store: HostMetricsStore): HostMetricsState {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
