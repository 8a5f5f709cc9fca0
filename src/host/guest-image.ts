// The tiny guest image (scripts/guest/build.sh: Debian's cloud kernel + a
// busybox initramfs) that the demo VMs and the test guests boot.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOk } from '../exec/runner.ts';

/** scripts/guest/build.sh, found upward from this module (source tree or dist/ bundle). */
export function guestBuildScript(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'scripts/guest/build.sh');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  return undefined;
}

/** Build (or reuse) the tiny guest image; returns its kernel and initrd. */
export async function tinyGuestImage(): Promise<{ kernel: string; initrd: string }> {
  const script = guestBuildScript();
  if (!script) throw new Error('scripts/guest/build.sh not found next to hostdeck');
  // The script is the program started (its shebang picks the interpreter); it takes no user value.
  const r = await runOk(script, ['--print-dir'], { timeoutMs: 600_000 });
  const dir = r.stdout.trim().split('\n').pop()!;
  return { kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img') };
}

/** The guest's marker line (for tests and the demo's own check). */
export function guestMarker(dir: string): string {
  return readFileSync(join(dir, 'marker'), 'utf8').trim();
}
