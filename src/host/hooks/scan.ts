// What the hook root holds: for each hook point its directory and the files
// in it, in the order they run, each with the reason it does not run (the
// rules are in src/domain/hooks.ts; this reads the file system).
import { readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import {
  HOOK_POINTS, hookOrder, hookPermissionProblem, hookScriptProblem, isHookCandidate,
  type HookFileFacts, type HookPoint, type HookPointListing, type HookScript,
} from '../../domain/hooks.ts';

const facts = (s: Stats): HookFileFacts => ({ kind: s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other', mode: s.mode & 0o7777, uid: s.uid });

/** Root and the user hostdeck runs as: who may own a hook. */
const owners = (): number[] => [...new Set([0, process.getuid?.() ?? 0])];

const statOrUndefined = (path: string) => stat(path).catch((e: NodeJS.ErrnoException) => {
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
  throw e;
});

/** Why nothing under the root runs (it is unsafe), or undefined; a root that does not exist holds no hooks. */
async function rootProblem(root: string): Promise<string | undefined> {
  const s = await statOrUndefined(root);
  if (!s) return undefined;
  if (!s.isDirectory()) return `${root} is not a directory`;
  const p = hookPermissionProblem(facts(s), owners());
  return p ? `the hook root ${root} is ${p}` : undefined;
}

async function scanPoint(root: string, point: HookPoint, refusedRoot: string | undefined): Promise<HookPointListing> {
  const dir = `${root}/${point}`;
  const s = await statOrUndefined(dir);
  if (!s) return { point, dir, exists: false, scripts: [] };
  if (!s.isDirectory()) return { point, dir, exists: true, refused: `${dir} is not a directory`, scripts: [] };
  const dirProblem = hookPermissionProblem(facts(s), owners());
  const refused = refusedRoot ?? (dirProblem ? `the directory is ${dirProblem}` : undefined);
  const names = (await readdir(dir)).filter(isHookCandidate).sort(hookOrder);
  const scripts = await Promise.all(names.map(async (name): Promise<HookScript> => {
    const path = `${dir}/${name}`;
    const f = await statOrUndefined(path);
    const problem = f ? hookScriptProblem(name, facts(f), owners()) : { reason: 'a link to nothing', warn: false };
    return { name, path, ...(problem ? { refused: problem } : {}) };
  }));
  return { point, dir, exists: true, ...(refused ? { refused } : {}), scripts };
}

/** The hook points asked for (every one by default), as the file system has them now. */
export async function scanHooks(root: string, points: readonly HookPoint[] = HOOK_POINTS): Promise<HookPointListing[]> {
  const refusedRoot = await rootProblem(root);
  return Promise.all(points.map((p) => scanPoint(root, p, refusedRoot)));
}
