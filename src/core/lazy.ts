// A resource's use cases whose module loads on the first call. The console's
// first frame runs none of them (support bundles, logs, diagnostics,
// snapshots, VM creation), so it should not load, compile and run their code:
// every module that src/core/index.ts imports statically is part of start-up.

/** Use cases of which every member is a function returning a promise: a call can wait for the module. */
export type AsyncUseCases<T> = { [K in keyof T]: (...args: never[]) => Promise<unknown> };

/**
 * `load`'s use cases behind an object of the same shape, built on the first
 * call to any of them (once: later calls share the load). A load that fails
 * rejects that call and is tried again on the next one.
 */
export function lazyUseCases<T extends AsyncUseCases<T>>(load: () => Promise<T>): T {
  let loading: Promise<T> | undefined;
  const get = () => (loading ??= load().catch((e: unknown) => { loading = undefined; throw e; }));
  const methods = new Map<string, unknown>();
  return new Proxy({} as T, {
    get(_, name) {
      // Not a thenable (`await core.logs` is the object itself), no symbols.
      if (typeof name !== 'string' || name === 'then') return undefined;
      let method = methods.get(name);
      if (!method) {
        method = (...args: unknown[]) => get().then((u) => {
          const f = u[name as keyof T] as unknown;
          if (typeof f !== 'function') throw new TypeError(`no use case named ${name}`);
          return (f as (...a: unknown[]) => Promise<unknown>).apply(u, args);
        });
        methods.set(name, method);
      }
      return method;
    },
  });
}
