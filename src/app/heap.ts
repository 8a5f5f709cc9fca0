// Heap settings for the long-running console. V8 doubles its young
// generation (up to 2 x 16 MB) whenever a burst of allocation survives, and
// the sampler's ticks are such bursts; the young generation holds little live
// data, so after start-up it stays at the size start-up gave it (a few MB).
// Set at run time, as there is no command line of our own to put it on.
import { setFlagsFromString } from 'node:v8';

export function settleHeap(): void {
  try {
    setFlagsFromString('--semi-space-growth-factor=1');
  } catch {
    /* an unknown flag on another V8 only costs memory */
  }
}
