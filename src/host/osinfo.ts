// The OS variants libosinfo knows (`osinfo-query os`), as virt-install and
// virt-manager offer them: a VM records its variant in its metadata so tools
// pick the right defaults for that guest.
import { run } from '../exec/runner.ts';
import type { OsVariants } from '../domain/vm-devices.ts';

/** The rows of `osinfo-query --fields=short-id,name,id os` (a table with '|' between columns and a ruler under the title). */
export function parseOsinfoQuery(text: string): { shortId: string; name: string; id: string }[] {
  return text.split('\n').slice(2).map((l) => l.split('|').map((c) => c.trim()))
    .filter((c) => c.length === 3 && c[0] && c[2])
    .map(([shortId, name, id]) => ({ shortId: shortId!, name: name!, id: id! }));
}

let cached: Promise<OsVariants> | undefined;

/** The OS variants of this host's osinfo database, or why there are none (read once a process). */
export function osVariants(): Promise<OsVariants> {
  cached ??= run('osinfo-query', ['--fields=short-id,name,id', 'os'], { timeoutMs: 10_000 }).then((r) => {
    if (r.spawnError) return { missing: 'osinfo is not installed on this host (osinfo-query, from libosinfo-bin)' };
    if (r.exitCode !== 0) return { missing: `osinfo-query failed: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? `exit ${r.exitCode}`}` };
    const list = parseOsinfoQuery(r.stdout);
    return list.length ? { list } : { missing: 'the osinfo database on this host lists no OS (osinfo-db)' };
  });
  return cached;
}
