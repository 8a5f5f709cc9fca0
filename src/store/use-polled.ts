// React binding of a polled store.
import { useSyncExternalStore } from 'react';
import type { PolledState, PolledStore } from './poller.ts';

export function usePolled<T>(store: PolledStore<T>): PolledState<T> {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
