// State a screen keeps while it is on the shell's stack. Only the screen on
// top is mounted: a screen covered by another (a VM's detail, a wizard) is
// unmounted, and what the operator set on it (sort, filter, selection) would
// be lost. The shell keeps that state per stack entry, so it comes back when
// the screen on top closes, and drops it when the entry leaves the stack.
import type { ObjectKind } from '../core/catalog.ts';
import { createContext, useContext, useLayoutEffect, useMemo, useState, type Dispatch, type SetStateAction } from 'react';

/** The kept state of every stack entry, by the entry's key and the state's name. */
export class ScreenStates {
  private readonly byOwner = new Map<string, Map<string, unknown>>();
  /** What the operator chose for a screen whichever entry shows it (the VM list's columns): kept until the console ends. */
  readonly session = new Map<string, unknown>();

  has(owner: string, name: string): boolean {
    return this.byOwner.get(owner)?.has(name) ?? false;
  }

  get(owner: string, name: string): unknown {
    return this.byOwner.get(owner)?.get(name);
  }

  set(owner: string, name: string, value: unknown): void {
    let states = this.byOwner.get(owner);
    if (!states) this.byOwner.set(owner, (states = new Map()));
    states.set(name, value);
  }

  /** Forgets every entry not among these (closed screens). */
  retain(owners: readonly string[]): void {
    for (const owner of [...this.byOwner.keys()]) if (!owners.includes(owner)) this.byOwner.delete(owner);
  }
}

export const ScreenStateContext = createContext<{ states: ScreenStates; owner: string } | null>(null);

/** Where a kept value lives: has, get and set of one name. */
interface Keeper { has: () => boolean; get: () => unknown; set: (value: unknown) => void }

/** useState whose value `keeper` holds across mounts (no keeper: plain useState). */
function useKeptState<T>(keeper: Keeper | undefined, initial: T | (() => T)): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState<T>(() => {
    if (keeper?.has()) return keeper.get() as T;
    return typeof initial === 'function' ? (initial as () => T)() : initial;
  });
  useLayoutEffect(() => { keeper?.set(value); }, [keeper, value]);
  return [value, setValue];
}

/**
 * useState whose value the shell keeps for this screen's stack entry: the
 * screen gets it back when it is mounted again (outside the shell, plain useState).
 */
export function useScreenState<T>(name: string, initial: T | (() => T)): [T, Dispatch<SetStateAction<T>>] {
  const ctx = useContext(ScreenStateContext);
  const keeper = useMemo(() => ctx && { has: () => ctx.states.has(ctx.owner, name), get: () => ctx.states.get(ctx.owner, name), set: (v: unknown) => ctx.states.set(ctx.owner, name, v) }, [ctx, name]);
  return useKeptState(keeper ?? undefined, initial);
}

/**
 * useState whose value the shell keeps for the rest of the session under `name`
 * (one value for every opening of the screen; outside the shell, plain useState).
 */
export function useSessionState<T>(name: string, initial: T | (() => T)): [T, Dispatch<SetStateAction<T>>] {
  const ctx = useContext(ScreenStateContext);
  const keeper = useMemo(() => ctx && { has: () => ctx.states.session.has(name), get: () => ctx.states.session.get(name), set: (v: unknown) => ctx.states.session.set(name, v) }, [ctx, name]);
  return useKeptState(keeper ?? undefined, initial);
}

/** The object a screen has selected (a VM, an event): the `:` palette offers the screens for it. */
export interface SelectedObject { kind: ObjectKind; label: string; params: Record<string, unknown> }

const SELECTED = 'shell.selected-object';

/** Declares the object this screen has selected now (none: undefined); kept with the screen's state. */
export function useSelectedObject(object: SelectedObject | undefined): void {
  const ctx = useContext(ScreenStateContext);
  useLayoutEffect(() => { ctx?.states.set(ctx.owner, SELECTED, object); });
}

/** The object the screen of this stack entry has selected. */
export function selectedObjectOf(states: ScreenStates, owner: string): SelectedObject | undefined {
  return states.get(owner, SELECTED) as SelectedObject | undefined;
}
