// Running one hook point's scripts: each through the runner (its program
// path, no arguments, no shell) as the leader of its own process group,
// killed whole when it runs out of time, with the domain XML in a private
// temporary file a before-hook may rewrite.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../exec/runner.ts';
import { HOOK_DOMXML_ENV, HOOK_DOMXML_MAX_BYTES, HookError, hookOutputTail, type HookPointListing } from '../../domain/hooks.ts';

export interface HookPointRun {
  listing: HookPointListing;
  /** hostdeck's variables for the hook (point, VM name and UUID, custom properties). */
  env: Record<string, string>;
  timeoutMs: number;
  /** The domain (or hot-plugged device) XML handed to the hooks in the file named by _hook_domxml. */
  domxml?: string;
  /** What that XML is, as messages name it (default "domain XML"). */
  xmlName?: string;
  /** Why a rewritten XML cannot be used, or undefined (before-hooks only: an after-hook's rewrite is not read). */
  checkXml?: (xml: string) => string | undefined;
  /** A before-hook's failure stops the action (thrown); an after-hook's is reported and the next one runs. */
  stopOnFailure: boolean;
}

export interface HookPointResult {
  /** Scripts that ran, in order. */
  ran: string[];
  /** After-hooks that failed (before-hooks throw instead). */
  failures: HookError[];
  /** The domain XML after the hooks, when one of them changed it. */
  rewritten?: string;
}

const MiB = 1024 * 1024;

function failureOf(r: Awaited<ReturnType<typeof run>>, timeoutMs: number): string | undefined {
  if (r.spawnError) return `could not be started: ${r.spawnError}`;
  if (r.timedOut) return `did not finish within ${timeoutMs / 1000} s: it was killed with every process of its group`;
  if (r.exitCode !== 0) {
    const tail = hookOutputTail(r.stderr);
    return `exited with ${r.exitCode < 0 ? 'a signal' : `code ${r.exitCode}`}${tail ? `: ${tail}` : ' (nothing on its standard error)'}`;
  }
  return undefined;
}

export async function runHookPoint(p: HookPointRun): Promise<HookPointResult> {
  const scripts = p.listing.refused ? [] : p.listing.scripts.filter((s) => !s.refused);
  const result: HookPointResult = { ran: [], failures: [] };
  if (!scripts.length) return result;
  const dir = p.domxml === undefined ? undefined : await mkdtemp(join(tmpdir(), 'hostdeck-hook-'));
  const file = dir && join(dir, 'domxml');
  try {
    if (file) await writeFile(file, p.domxml!, { mode: 0o600 });
    let current = p.domxml;
    for (const s of scripts) {
      const env = { ...p.env, ...(file ? { [HOOK_DOMXML_ENV]: file } : {}) };
      const r = await run(s.path, [], { env, timeoutMs: p.timeoutMs, processGroup: true, cwd: '/' });
      result.ran.push(s.name);
      let problem = failureOf(r, p.timeoutMs);
      if (!problem && file && p.checkXml) {
        const size = (await stat(file).catch(() => undefined))?.size;
        const what = p.xmlName ?? 'domain XML';
        if (size === undefined) problem = `removed the ${what} file ${HOOK_DOMXML_ENV} names`;
        else if (size > HOOK_DOMXML_MAX_BYTES) problem = `its ${what} is refused: ${(size / MiB).toFixed(1)} MiB is larger than the ${HOOK_DOMXML_MAX_BYTES / MiB} MiB limit`;
        else {
          const xml = await readFile(file, 'utf8');
          const bad = xml === current ? undefined : p.checkXml(xml);
          if (bad) problem = `its ${what} is refused: ${bad}`;
          else current = xml;
        }
      }
      if (!problem) continue;
      const err = new HookError(p.listing.point, s.name, problem);
      if (p.stopOnFailure) throw err;
      result.failures.push(err);
    }
    if (current !== p.domxml) result.rewritten = current;
    return result;
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
