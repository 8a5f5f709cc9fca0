// A resource's use cases whose module loads on the first call. The console's
// first frame runs none of them (storage, support bundles, logs, diagnostics,
// snapshots, VM creation), so it should not load, compile and run their code:
// every module that src/core/index.ts imports statically is part of start-up.

/** `T` with every use case returning a promise: a call made before the module is loaded waits for it. */
export type Lazy<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };

/**
 * `load`'s use cases behind an object of the same shape, built on the first
 * call to any of them (once: later calls share the load). A load that fails
 * rejects that call and is tried again on the next one. `eager` members are
 * served as given, without loading: the few a first frame needs at once
 * (a count from the state DB), from small modules of their own.
 */
export function lazyUseCases<T>(load: () => Promise<T>): Lazy<T>;
export function lazyUseCases<T, E extends Partial<T>>(load: () => Promise<T>, eager: E): Lazy<Omit<T, keyof E>> & E;
export function lazyUseCases<T, E extends Partial<T>>(load: () => Promise<T>, eager?: E): Lazy<Omit<T, keyof E>> & E {
  let loading: Promise<T> | undefined;
  const get = () => (loading ??= load().catch((e: unknown) => { loading = undefined; throw e; }));
  const methods = new Map<string, unknown>();
  return new Proxy({} as Lazy<Omit<T, keyof E>> & E, {
    get(_, name) {
      // Not a thenable (`await core.logs` is the object itself), no symbols.
      if (typeof name !== 'string' || name === 'then') return undefined;
      if (eager && Object.hasOwn(eager, name)) return eager[name as keyof E];
      let method = methods.get(name);
      if (!method) {
        method = async (...args: unknown[]) => {
          const u = await get();
          const f = u[name as keyof T] as unknown;
          if (typeof f !== 'function') throw new TypeError(`no use case named ${name}`);
          return (f as (...a: unknown[]) => unknown).apply(u, args);
        };
        methods.set(name, method);
      }
      return method;
    },
  });
}
