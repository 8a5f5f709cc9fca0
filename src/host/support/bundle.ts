// Build a support bundle: collect the parts into a staging directory beside
// the output, write the index, pack it with tar and gzip (through the
// runner), and, while the archive is above the size limit, cut the largest
// parts and pack again. The archive appears at the output path only when
// whole (a hard link of the finished file, which also refuses to replace a
// file that appeared meanwhile), readable by its owner only.
import { chmod, link, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { runOk } from '../../exec/runner.ts';
import { collectParts, type CollectProgress } from './collect.ts';
import { capFor, trimToCap } from './fit.ts';
import type { IndexEntry, Part } from './parts.ts';

export interface BundleRequest {
  /** Absolute path of the .tar.gz to create; its directory exists, the file does not. */
  output: string;
  maxBytes: number;
  parts: readonly Part[];
  onProgress?: (p: CollectProgress) => void;
}

export interface BundleResult {
  path: string;
  bytes: number;
  entries: IndexEntry[];
}

/** How many times the parts are cut and packed again before the limit is declared unreachable. */
const MAX_PACKS = 6;
/** Room kept for the index files and tar's headers when the budget for the parts is worked out. */
const INDEX_ROOM = 64 * 1024;

/** The bundle's top directory (and the file's usual name without .tar.gz): the host and the time. */
export function bundleName(hostname: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `hostdeck-support-${hostname.replace(/[^A-Za-z0-9.-]/g, '_')}-${stamp}`;
}

/** The index as people read it: one line per part. */
export function indexText(entries: readonly IndexEntry[]): string {
  const rows = entries.map((e) => [e.path, e.status, String(e.bytes), e.trimmed ? `trimmed (was ${e.trimmed.originalBytes})` : '', e.redactions ? `${e.redactions} redacted` : '', e.source, e.note ?? '']);
  const head = ['PART', 'STATUS', 'BYTES', 'TRIMMED', 'SECRETS', 'SOURCE', 'NOTE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ').trimEnd()).join('\n') + '\n';
}

async function writeIndex(root: string, entries: readonly IndexEntry[]): Promise<void> {
  await writeFile(join(root, 'index.json'), `${JSON.stringify({ parts: entries }, null, 2)}\n`, { mode: 0o600 });
  await writeFile(join(root, 'index.txt'), indexText(entries), { mode: 0o600 });
}

export async function createBundle(req: BundleRequest): Promise<BundleResult> {
  const stage = await mkdtemp(join(dirname(req.output), '.hostdeck-support-'));
  try {
    const name = basename(req.output).replace(/\.tar\.gz$|\.tgz$/, '') || 'hostdeck-support';
    const root = join(stage, name);
    const entries = await collectParts(root, req.parts, { onProgress: req.onProgress });
    const packed = join(stage, 'bundle.tar.gz');
    let bytes = 0;
    for (let pack = 1; ; pack++) {
      await writeIndex(root, entries);
      await rm(packed, { force: true });
      await runOk('tar', ['--create', '--gzip', '--file', packed, '--directory', stage, '--', name], { timeoutMs: 10 * 60_000 });
      bytes = (await stat(packed)).size;
      if (bytes <= req.maxBytes) break;
      if (pack === MAX_PACKS) throw new Error(`the bundle is still ${bytes} bytes after cutting its largest parts ${MAX_PACKS - 1} times (limit ${req.maxBytes})`);
      // Cut the parts in proportion to how far over the archive is, a little more to land under.
      const raw = entries.reduce((s, e) => s + e.bytes, 0);
      const cap = capFor(entries.map((e) => e.bytes), Math.floor(raw * (req.maxBytes / bytes) * 0.9) - INDEX_ROOM);
      await trimToCap(root, entries, cap ?? 0);
    }
    await chmod(packed, 0o600);
    await link(packed, req.output);
    return { path: req.output, bytes, entries };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
