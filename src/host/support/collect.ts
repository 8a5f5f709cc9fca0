// Fill a staging directory with a bundle's parts: each program through the
// runner (an argument array, a time limit), each file read from its end when
// it is large, every text redacted before it is written. A program that is
// not installed or a file that does not exist is an index entry saying so,
// never a failure of the bundle.
import { open, readdir, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { run } from '../../exec/runner.ts';
import { redactText } from '../../domain/redact.ts';
import { DEFAULT_PART_TIMEOUT_MS, MAX_PART_BYTES, type IndexEntry, type Part, type PartStatus } from './parts.ts';

export interface CollectProgress {
  /** The part just finished. */
  part: string;
  done: number;
  total: number;
}

type Leaf = Exclude<Part, { kind: 'dir' }>;

/** A directory part as one file part per matching file (or one missing entry when the directory is not there). */
async function expand(parts: readonly Part[]): Promise<(Leaf | IndexEntry)[]> {
  const out: (Leaf | IndexEntry)[] = [];
  for (const p of parts) {
    if (p.kind !== 'dir') { out.push(p); continue; }
    let names: string[];
    try {
      names = (await readdir(p.dir, { withFileTypes: true })).filter((d) => d.isFile() && p.match.test(d.name)).map((d) => d.name).sort();
    } catch (e) {
      out.push({ path: `${p.under}/`, source: p.dir, status: 'missing', note: `cannot read ${p.dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, bytes: 0, redactions: 0 });
      continue;
    }
    for (const n of names) out.push({ kind: 'file', path: `${p.under}/${n}`, file: join(p.dir, n) });
  }
  return out;
}

/** The last `max` bytes of a string's UTF-8 form, from a line start when one is near. */
export function tailOf(text: string, max: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= max) return text;
  return fromLineStart(buf.subarray(buf.length - max));
}

/** Drop the partial first line of a tail cut (when a line break is within its first 4 KiB). */
export function fromLineStart(buf: Buffer): string {
  const nl = buf.subarray(0, 4096).indexOf(0x0a);
  return buf.subarray(nl >= 0 ? nl + 1 : 0).toString('utf8');
}

async function readTail(file: string): Promise<{ text: string; size: number }> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const want = Math.min(size, MAX_PART_BYTES);
    // /proc files report size 0: read them to their end.
    if (size === 0) return { text: await fh.readFile('utf8'), size: 0 };
    const buf = Buffer.alloc(want);
    const { bytesRead } = await fh.read(buf, 0, want, size - want);
    const got = buf.subarray(0, bytesRead);
    return { text: want < size ? fromLineStart(got) : got.toString('utf8'), size };
  } finally {
    await fh.close();
  }
}

interface Got { text: string; source: string; status: PartStatus; exitCode?: number; note?: string; originalBytes?: number }

async function fetchPart(p: Leaf): Promise<Got> {
  switch (p.kind) {
    case 'command': {
      const source = [p.command, ...p.args].join(' ');
      const r = await run(p.command, p.args, { timeoutMs: p.timeoutMs ?? DEFAULT_PART_TIMEOUT_MS });
      if (r.spawnError) return { text: '', source, status: 'missing', note: r.spawnError };
      const status: PartStatus = r.timedOut ? 'timeout' : r.exitCode === 0 ? 'ok' : 'failed';
      const err = r.stderr.trim().split('\n').slice(-3).join(' | ');
      const bytes = Buffer.byteLength(r.stdout);
      return { text: tailOf(r.stdout, MAX_PART_BYTES), source, status, exitCode: r.exitCode, ...(err ? { note: err } : {}), ...(bytes > MAX_PART_BYTES ? { originalBytes: bytes } : {}) };
    }
    case 'file':
      try {
        const { text, size } = await readTail(p.file);
        return { text, source: p.file, status: 'ok', ...(size > MAX_PART_BYTES ? { originalBytes: size } : {}) };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return { text: '', source: p.file, status: code === 'ENOENT' ? 'missing' : 'failed', note: `cannot read ${p.file}: ${code ?? (e as Error).message}` };
      }
    case 'text':
      try {
        return { text: await p.produce(), source: p.source, status: 'ok' };
      } catch (e) {
        return { text: '', source: p.source, status: 'failed', note: (e as Error).message };
      }
  }
}

/** Write one part (redacted) under `root` and say how it went. */
async function collectOne(root: string, p: Leaf): Promise<IndexEntry> {
  const got = await fetchPart(p);
  const { text, count } = redactText(got.text);
  const file = join(root, p.path);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  if (got.status === 'ok' || text.length > 0) await writeFile(file, text, { mode: 0o600 });
  const note = got.note === undefined ? undefined : redactText(got.note).text;
  return {
    path: p.path,
    source: redactText(got.source).text,
    status: got.status,
    ...(got.exitCode !== undefined ? { exitCode: got.exitCode } : {}),
    ...(note ? { note } : {}),
    bytes: Buffer.byteLength(text),
    redactions: count,
    ...(got.originalBytes !== undefined ? { trimmed: { originalBytes: got.originalBytes } } : {}),
  };
}

/** Collect every part into `root`, `concurrency` at a time; the entries in the parts' order. */
export async function collectParts(root: string, parts: readonly Part[], opts: { onProgress?: (p: CollectProgress) => void; concurrency?: number } = {}): Promise<IndexEntry[]> {
  const items = await expand(parts);
  const entries: IndexEntry[] = new Array<IndexEntry>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i]!;
      entries[i] = 'kind' in item ? await collectOne(root, item) : item;
      opts.onProgress?.({ part: entries[i].path, done: ++done, total: items.length });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 3) }, worker));
  return entries;
}
