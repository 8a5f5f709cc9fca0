// `virsh` through the runner, for what @unraid/libvirt does not have (bulk
// stats, events, snapshots, pools, networks, reboot, autostart). Pure
// helpers for virsh's table output live here too.
import { run, type RunResult } from '../exec/runner.ts';

export class VirshError extends Error {
  constructor(message: string, public readonly result: RunResult) {
    super(message);
    this.name = 'VirshError';
  }
}

/** virsh's "error: ..." lines, without the prefix and the log noise. */
export function virshErrorMessage(stderr: string, fallback = 'virsh failed'): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const errs = lines.filter((l) => l.startsWith('error:')).map((l) => l.replace(/^error:\s*/, ''));
  // "failed to connect to the hypervisor" is followed by the reason; keep both.
  const msg = (errs.length ? errs : lines.filter((l) => !/^\d{4}-\d\d-\d\d .*: (info|warning) :/.test(l))).join(': ');
  return msg || fallback;
}

/** Run `virsh -c <uri> ...args`; throws VirshError with virsh's own message on failure. */
export async function virsh(uri: string, args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<string> {
  const r = await run('virsh', ['-c', uri, ...args], { timeoutMs: opts.timeoutMs ?? 30_000, env: { LC_ALL: 'C' } });
  if (r.exitCode !== 0 || r.timedOut) {
    const what = r.timedOut ? `virsh ${args[0] ?? ''} timed out` : virshErrorMessage(r.stderr || r.stdout, `virsh ${args[0] ?? ''} exited with code ${r.exitCode}`);
    throw new VirshError(what, r);
  }
  return r.stdout;
}

/**
 * Parse one of virsh's tables (list, net-list, pool-list --details,
 * snapshot-list --parent). Columns are found from the header's offsets, so
 * empty cells and values with single spaces ("2026-11-23 22:41:18 +0000",
 * "100.00 GiB") parse correctly. Keys are the header names in lower case.
 */
export function parseVirshTable(text: string): Record<string, string>[] {
  const lines = text.split('\n');
  const sep = lines.findIndex((l) => /^-{3,}\s*$/.test(l.trim()) && l.trim().length > 3);
  if (sep < 1) return [];
  const header = lines[sep - 1]!;
  const cols: { name: string; start: number }[] = [];
  const re = /\S+(?: \S+)*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header))) cols.push({ name: m[0].toLowerCase(), start: m.index });
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(sep + 1)) {
    if (!line.trim()) continue;
    const row: Record<string, string> = {};
    cols.forEach((c, i) => {
      const end = i + 1 < cols.length ? cols[i + 1]!.start : undefined;
      row[c.name] = line.slice(c.start, end).trim();
    });
    rows.push(row);
  }
  return rows;
}

const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, PiB: 1024 ** 5, EiB: 1024 ** 6 };

/** "100.00 GiB" -> bytes (virsh's human sizes); undefined when unparsable. */
export function parseVirshSize(text: string): number | undefined {
  const m = /^([\d.]+)\s*(B|KiB|MiB|GiB|TiB|PiB|EiB)$/.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}
