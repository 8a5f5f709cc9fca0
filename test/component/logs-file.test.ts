// The log viewer's file reading on a real 1 GiB log in a temporary directory:
// the last page, the page before it, a jump to a time and a search, each
// exact to the byte; and the edges a real log has (a last line still being
// written, CRLF, multi-byte text, an empty file, lines appended while followed).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, symlinkSync, openSync, rmSync, writeFileSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followFile, offsetAtTime, readBefore, readFrom, searchFile, type FileLine } from '../../src/host/logs/tail.ts';
import { lineTime } from '../../src/domain/logs.ts';
import { resolveLogFile } from '../../src/host/logs/sources.ts';

const LINE = 128;
const BLOCK_LINES = 8192; // 1 MiB
const BLOCKS = 1024; // 1 GiB
const BASE = Date.parse('2026-01-01T00:00:00.000Z');

/** Line `i` of block `b`: its time is BASE + b seconds, every line 128 bytes. */
function line(b: number, i: number, word = 'info'): string {
  const head = `${new Date(BASE + b * 1000).toISOString()} host app[1]: ${word} block ${String(b).padStart(6, '0')} line ${String(i).padStart(5, '0')} `;
  return `${head.padEnd(LINE - 1, 'x')}\n`;
}

/** A 1 GiB log written a 1 MiB block at a time: one template block, its time and block number patched per block. */
function writeBigLog(path: string): void {
  const template = Buffer.from(Array.from({ length: BLOCK_LINES }, (_, i) => line(0, i)).join(''));
  const fd = openSync(path, 'w');
  try {
    for (let b = 0; b < BLOCKS; b++) {
      const ts = new Date(BASE + b * 1000).toISOString();
      const num = String(b).padStart(6, '0');
      const numAt = template.indexOf('block ') + 6;
      for (let i = 0; i < BLOCK_LINES; i++) { template.write(ts, i * LINE); template.write(num, i * LINE + numAt); }
      // Two planted lines: a needle in block 700 and an error in the last block.
      if (b === 700) template.write(line(700, 5, 'NEEDLE'), 5 * LINE);
      if (b === BLOCKS - 1) template.write(line(b, 100, 'error'), 100 * LINE);
      writeSync(fd, template);
      if (b === 700) template.write(line(700, 5), 5 * LINE);
    }
  } finally {
    closeSync(fd);
  }
}

describe('log file reading on a 1 GiB log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-logs-'));
  const big = join(dir, 'big.log');
  const size = LINE * BLOCK_LINES * BLOCKS;
  before(() => writeBigLog(big));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the file is 1 GiB', () => assert.equal(statSync(big).size, 1024 ** 3));

  it('shows the last page: the last 50 lines, exact to the byte, ending with the file', async () => {
    const page = await readBefore(big, { lines: 50 });
    assert.equal(page.lines.length, 50);
    assert.equal(page.lines.at(-1)!.text, line(BLOCKS - 1, BLOCK_LINES - 1).trimEnd());
    assert.equal(page.lines[0]!.offset, size - 50 * LINE);
    assert.equal(page.start, size - 50 * LINE);
    assert.equal(page.end, size);
    assert.equal(page.atStart, false);
  });

  it('pages back: the page before the last page is the 50 lines above it, with no gap or overlap', async () => {
    const last = await readBefore(big, { lines: 50 });
    const prev = await readBefore(big, { lines: 50, before: last.start });
    assert.equal(prev.lines.length, 50);
    assert.equal(prev.lines.at(-1)!.offset + LINE, last.lines[0]!.offset);
    assert.equal(prev.lines[0]!.text, line(BLOCKS - 1, BLOCK_LINES - 100).trimEnd());
  });

  it('a filter reads back until it has its lines: the one error line in the last block', async () => {
    const page = await readBefore(big, { lines: 1, filter: (t) => t.includes(' error ') });
    assert.deepEqual(page.lines.map((l) => l.offset), [size - BLOCK_LINES * LINE + 100 * LINE]);
  });

  it('jumps to a time: the first line of the block written at that second', async () => {
    const at = await offsetAtTime(big, BASE + 500 * 1000, lineTime);
    assert.equal(at, 500 * BLOCK_LINES * LINE);
    const page = await readFrom(big, { from: at, lines: 3 });
    assert.equal(page.lines[0]!.text, line(500, 0).trimEnd());
    assert.equal(page.end, at + 3 * LINE);
  });

  it('searches the whole file streamed in blocks: counts as grep -c does and gives the match offset', async () => {
    const r = await searchFile(big, /NEEDLE block/);
    assert.equal(r.count, 1);
    assert.equal(r.bytes, size);
    assert.deepEqual(r.matches, [{ offset: (700 * BLOCK_LINES + 5) * LINE, text: line(700, 5, 'NEEDLE').trimEnd() }]);
    const lines = await searchFile(big, /line 0000[0-1] /, { limit: 2 });
    assert.equal(lines.count, 2 * BLOCKS);
    assert.deepEqual(lines.matches.map((m) => m.offset), [0, LINE]);
  });
});

describe('log file reading: the edges of real logs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-logs-edge-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a last line without its newline is shown; CRLF endings are not; an empty file has no lines', async () => {
    const f = join(dir, 'partial.log');
    writeFileSync(f, 'one\r\ntwo\r\nthree (being written)');
    assert.deepEqual((await readBefore(f, { lines: 10 })).lines, [{ offset: 0, text: 'one' }, { offset: 5, text: 'two' }, { offset: 10, text: 'three (being written)' }]);
    const empty = join(dir, 'empty.log');
    writeFileSync(empty, '');
    const page = await readBefore(empty, { lines: 10 });
    assert.deepEqual([page.lines, page.atStart], [[], true]);
  });

  it('offsets are bytes where lines hold multi-byte characters', async () => {
    const f = join(dir, 'utf8.log');
    writeFileSync(f, 'größe ünd ärger\nnaïve café\nthe café again\n');
    const r = await searchFile(f, /café/);
    assert.deepEqual(r.matches.map((m) => m.offset), [Buffer.byteLength('größe ünd ärger\n'), Buffer.byteLength('größe ünd ärger\nnaïve café\n')]);
    assert.deepEqual((await searchFile(f, /caf[eé] /)).matches.map((m) => m.offset), [r.matches[1]!.offset], 'the regex path counts bytes too');
    const page = await readFrom(f, { from: r.matches[1]!.offset, lines: 1 });
    assert.equal(page.lines[0]!.text, 'the café again');
  });

  it('follows a growing file: whole lines appended come in, a half-written one when it is finished', async () => {
    const f = join(dir, 'grow.log');
    writeFileSync(f, 'old\n');
    const got: FileLine[] = [];
    let seen: () => void = () => undefined;
    const stop = followFile(f, 4, (ls) => { got.push(...ls); seen(); }, { intervalMs: 20 });
    try {
      const wait = () => new Promise<void>((r) => { seen = r; });
      let arrived = wait();
      appendFileSync(f, 'new 1\nnew 2\nhalf');
      await arrived;
      assert.deepEqual(got, [{ offset: 4, text: 'new 1' }, { offset: 10, text: 'new 2' }]);
      arrived = wait();
      appendFileSync(f, ' done\n');
      await arrived;
      assert.deepEqual(got.at(-1), { offset: 16, text: 'half done' });
    } finally {
      stop();
    }
  });

  it('a log name resolves inside its directory only: a link out of it or a directory is no log', async () => {
    const logs = join(dir, 'varlog');
    mkdirSync(join(logs, 'libvirt'), { recursive: true });
    writeFileSync(join(logs, 'libvirt', 'libvirtd.log'), 'x\n');
    writeFileSync(join(dir, 'secret'), 'not a log\n');
    symlinkSync(join(dir, 'secret'), join(logs, 'escape.log'));
    assert.equal(await resolveLogFile(logs, 'libvirt/libvirtd.log'), join(logs, 'libvirt', 'libvirtd.log'));
    assert.equal(await resolveLogFile(logs, 'escape.log'), undefined);
    assert.equal(await resolveLogFile(logs, 'libvirt'), undefined);
    assert.equal(await resolveLogFile(logs, '../secret'), undefined);
  });
});
