// Work that waits for the console's first frame and must run before
// anything after it changes V8's flags (src/app/heap.ts does; a V8 code
// cache made after that would not be taken at the next start): the bundle's
// vendor script registers its code cache writer here (vendor-loader.ts).
const hooks: (() => void)[] = [];

export function atFirstFrame(fn: () => void): void {
  hooks.push(fn);
}

/** Called once, right after the first complete frame is on screen. */
export function firstFrameDrawn(): void {
  for (const fn of hooks.splice(0)) {
    try { fn(); } catch { /* a hook's failure only costs speed */ }
  }
}
