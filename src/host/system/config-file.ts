// A configuration file replaced safely: the new text written beside it,
// fsynced, renamed over it, the previous file kept as PATH.hostdeck-prev;
// restore() puts the previous one back (or removes a file that was new)
// when the daemon refuses the new one. Through a Target (src/host/net/target.ts),
// so it works on this machine and in a test host alike.
import type { Target } from '../net/target.ts';

export const PREVIOUS_SUFFIX = '.hostdeck-prev';

export interface Replaced {
  /** Whether a previous file existed (and is kept at PATH.hostdeck-prev). */
  hadPrevious: boolean;
  restore(): Promise<void>;
}

export async function replaceConfigFile(t: Target, path: string, text: string, opts: { mode?: string; dirMode?: string } = {}): Promise<Replaced> {
  const dir = path.slice(0, path.lastIndexOf('/')) || '/';
  await t.ok('mkdir', ['-p', ...(opts.dirMode ? ['-m', opts.dirMode] : []), '--', dir]);
  const tmp = `${path}.hostdeck-new`;
  const prev = `${path}${PREVIOUS_SUFFIX}`;
  await t.ok('tee', ['--', tmp], { input: text });
  if (opts.mode) await t.ok('chmod', [opts.mode, '--', tmp]);
  // coreutils sync with a file argument fsyncs that file: the rename never exposes unwritten data after a crash.
  await t.ok('sync', ['--', tmp]);
  const hadPrevious = (await t.run('test', ['-e', path])).exitCode === 0;
  if (hadPrevious) await t.ok('cp', ['-p', '--', path, prev]);
  await t.ok('mv', ['-f', '--', tmp, path]);
  return {
    hadPrevious,
    async restore() {
      if (!hadPrevious) { await t.ok('rm', ['-f', '--', path]); return; }
      await t.ok('cp', ['-p', '--', prev, tmp]);
      await t.ok('mv', ['-f', '--', tmp, path]);
    },
  };
}

/** Remove a file, keeping it as PATH.hostdeck-prev (nothing when it does not exist). */
export async function removeConfigFile(t: Target, path: string): Promise<Replaced> {
  const hadPrevious = (await t.run('test', ['-e', path])).exitCode === 0;
  if (hadPrevious) await t.ok('mv', ['-f', '--', path, `${path}${PREVIOUS_SUFFIX}`]);
  return { hadPrevious, restore: async () => { if (hadPrevious) await t.ok('cp', ['-p', '--', `${path}${PREVIOUS_SUFFIX}`, path]); } };
}
