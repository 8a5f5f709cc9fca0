// Heap settings for the long-running console. V8 doubles its young
// generation (up to 2 x 16 MB) whenever a burst of allocation survives;
// start-up is such a burst, and so are the sampler's ticks, yet the young
// generation holds little live data once the console runs. After the first
// frame the young generation stops growing, and a few seconds later (off
// the first frames' path) one full collection gives back what start-up
// left (V8's "last resort" collection also shrinks the young generation).
// Set at run time, as there is no command line of our own to put it on.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (opts?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async'; flavor?: 'regular' | 'last-resort' }) => void;

export function settleHeap(collectAfterMs = 3000): void {
  try {
    setFlagsFromString('--semi-space-growth-factor=1');
  } catch {
    /* an unknown flag on another V8 only costs memory */
  }
  setTimeout(collect, collectAfterMs).unref();
}

function collect(): void {
  try {
    // --expose-gc at run time: the next new context gets the gc function.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as Gc | undefined;
    setFlagsFromString('--no-expose-gc');
    gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } catch {
    /* an unknown flag on another V8 only costs memory */
  }
}
