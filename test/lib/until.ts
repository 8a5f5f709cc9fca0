// Waiting in tests for something a real process or libvirtd does: poll until
// it holds. The deadline only ends a hung test; nothing is timed.

/** Poll `read` every 100 ms (or `everyMs`) until `ok` holds; returns the value that did. */
export async function until<T>(what: string, read: () => T | Promise<T>, ok: (v: T) => boolean, ms = 60_000, everyMs = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}: last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
