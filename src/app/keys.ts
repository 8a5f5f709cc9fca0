// Key names and the registry of the current screen's bindings. Bindings are
// data (see types.ts); the shell dispatches keys from that data, and the
// footer and the `?` help are generated from it.
import { createContext, useContext, useEffect, useLayoutEffect, useRef } from 'react';
import type { Binding, KeyEntry, KeyTable } from './types.ts';

export { keyLabel, keyName } from '../domain/keys.ts';

/** A binding for a key table entry: the table gives keys and wording, the screen the action and its state. */
export function bind(entry: KeyEntry, binding: Omit<Binding, 'keys' | 'description'> & { description?: string }): Binding {
  return {
    keys: [...entry.keys],
    description: entry.description,
    ...(entry.dangerous ? { dangerous: true } : {}),
    ...(entry.effect ? { effect: entry.effect } : {}),
    ...(entry.group ? { group: entry.group } : {}),
    ...binding,
  };
}

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

/**
 * Keys two entries of a screen's key table answer to in the same view of the
 * screen (an entry without views is in all of them).
 */
export function keyTableConflicts(table: KeyTable): { mode: string; key: string; descriptions: string[] }[] {
  const entries = Object.values(table);
  const modes = [...new Set(entries.flatMap((e) => e.modes ?? []))];
  return (modes.length ? modes : ['']).flatMap((mode) => {
    const inMode = entries.filter((e) => !e.modes || e.modes.includes(mode));
    return bindingConflicts(inMode.map((e) => ({ keys: [...e.keys], description: e.description, action: () => {} }))).map((c) => ({ mode, ...c }));
  });
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
