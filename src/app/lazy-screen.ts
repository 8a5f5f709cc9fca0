// The component of a screen whose ScreenDef has `load` (its own chunk, loaded
// the first time it opens), or its `component` directly.
import { useEffect, useState } from 'react';
import type { ScreenComponent, ScreenDef } from './types.ts';

type Loaded = { component: ScreenComponent } | { error: string };
const loaded = new WeakMap<ScreenDef, Loaded>();
const loading = new WeakMap<ScreenDef, Promise<Loaded>>();

/** Start loading a screen's module (idempotent); resolves when it is there or failed. */
export function preloadScreen(def: ScreenDef): Promise<Loaded> {
  if (def.component) return Promise.resolve({ component: def.component });
  const done = loaded.get(def);
  if (done) return Promise.resolve(done);
  let p = loading.get(def);
  if (!p) {
    p = def.load().then(
      (component): Loaded => (typeof component === 'function' || (typeof component === 'object' && component !== null) ? { component } : { error: 'the module has no screen component' }),
      (e: unknown): Loaded => ({ error: (e as Error)?.message ?? String(e) }),
    ).then((r) => { loaded.set(def, r); loading.delete(def); return r; });
    loading.set(def, p);
  }
  return p;
}

/** Run `fn` now when the screen's module is there, else once it has loaded (or failed to). */
export function whenLoaded(def: ScreenDef, fn: () => void): Promise<void> | void {
  if (def.component || loaded.has(def)) { fn(); return; }
  return preloadScreen(def).then(() => fn());
}

/** The screen's component once loaded; `undefined` while loading, `{ error }` when it could not load. */
export function useScreenComponent(def: ScreenDef): { component?: ScreenComponent; error?: string } {
  const [, setDone] = useState(0);
  const now = def.component ? { component: def.component } : loaded.get(def);
  const missing = !now;
  useEffect(() => {
    if (!missing) return;
    let live = true;
    void preloadScreen(def).then(() => { if (live) setDone((n) => n + 1); });
    return () => { live = false; };
  }, [def, missing]);
  return now ?? {};
}
