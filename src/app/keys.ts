// Key names and the registry of the current screen's bindings. Bindings are
// data (see types.ts); the shell dispatches keys from that data, and the
// footer and the `?` help are generated from it.
import { createContext, useContext, useEffect, useLayoutEffect, useRef } from 'react';
import type { Binding } from './types.ts';

export { keyLabel, keyName } from '../domain/keys.ts';

/** Bindings that may run now: enabled and, in read-only mode, not dangerous. */
export function effectiveBindings(bindings: readonly Binding[], readOnly: boolean): Binding[] {
  return bindings.filter((b) => b.when !== false && !(readOnly && b.dangerous));
}

/** The binding a key press selects, if any (first match wins). */
export function findBinding(bindings: readonly Binding[], name: string): Binding | undefined {
  return bindings.find((b) => b.keys.includes(name));
}

/**
 * Keys that more than one binding that can run at the same time answers to:
 * the first would win and the other could never run.
 */
export function bindingConflicts(bindings: readonly Binding[]): { key: string; descriptions: string[] }[] {
  const byKey = new Map<string, string[]>();
  for (const b of bindings) {
    if (b.when === false) continue;
    for (const k of b.keys) byKey.set(k, [...(byKey.get(k) ?? []), b.description]);
  }
  return [...byKey].filter(([, d]) => d.length > 1).map(([key, descriptions]) => ({ key, descriptions }));
}

export interface BindingRegistry {
  set: (owner: string, bindings: Binding[]) => void;
  clear: (owner: string) => void;
}

export const BindingContext = createContext<{ registry: BindingRegistry; owner: string } | null>(null);

/**
 * Declare the current screen's bindings. The latest array is registered on
 * every render (cheap), so bindings can close over fresh state.
 */
export function useBindings(bindings: Binding[]): void {
  const ctx = useContext(BindingContext);
  const ref = useRef(bindings);
  ref.current = bindings;
  // A layout effect registers during the commit, so a key that arrives right
  // after a frame is drawn always finds the bindings of that frame.
  useLayoutEffect(() => {
    ctx?.registry.set(ctx.owner, ref.current);
  });
  const registry = ctx?.registry;
  const owner = ctx?.owner;
  useEffect(() => () => { if (registry && owner !== undefined) registry.clear(owner); }, [registry, owner]);
}
