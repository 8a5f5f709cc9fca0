// `hostdeck support bundle` on this machine's real programs: bad --output and
// --max-size values are refused with exit 2 naming the option and nothing is
// written; read-only mode refuses it; a bundle over its size limit keeps the
// tail of its largest part and says so in the index; a program that is not
// installed is recorded as missing and the bundle is still made.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain, type CliRun } from '../lib/cli-main.ts';
import { runOk } from '../../src/exec/runner.ts';
import { hostParts } from '../../src/host/support/parts.ts';
import type { SupportBundle } from '../../src/core/support.ts';

let dir = '';
let out = '';
const env: Record<string, string | undefined> = {};
const setEnv = (k: string, v: string | undefined) => { env[k] ??= process.env[k]; if (v === undefined) delete process.env[k]; else process.env[k] = v; };

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hostdeck-support-cli-'));
  out = join(dir, 'out');
  mkdirSync(out);
  setEnv('HOSTDECK_LOG', join(dir, 'hostdeck.log'));
});
after(() => {
  for (const [k, v] of Object.entries(env)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  rmSync(dir, { recursive: true, force: true });
});

const hostdeck = (...argv: string[]): Promise<CliRun> => runMain(join(dir, 'state.db'), 'test:///default', argv);

describe('hostdeck support bundle', () => {
  const bad: [string, string[], RegExp][] = [
    ['a relative --output', ['--output', 'bundle.tar.gz'], /^hostdeck: --output: must be an absolute path of a new file ending in \.tar\.gz or \.tgz/m],
    ['an --output in a directory that does not exist', ['--output', '/nonexistent-dir/b.tar.gz'], /^hostdeck: --output: the directory \/nonexistent-dir does not exist/m],
    ['an --output that exists', ['--output', '__EXISTING__'], /^hostdeck: --output: .*exists; hostdeck does not replace a file/m],
    ['a --max-size that is no size', ['--max-size', 'big'], /^hostdeck: --max-size: must be a size from 1\.0 MiB to 4\.0 GiB/m],
    ['a --max-size under 1 MiB', ['--max-size', '100K'], /^hostdeck: --max-size: must be a size/m],
  ];
  for (const [what, args, message] of bad) {
    it(`refuses ${what} with exit 2 and writes nothing`, async () => {
      const existing = join(out, 'existing.tar.gz');
      writeFileSync(existing, 'keep me');
      const before = readdirSync(out).sort();
      const r = await hostdeck('support', 'bundle', ...args.map((a) => (a === '__EXISTING__' ? existing : a)));
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
      assert.deepEqual(readdirSync(out).sort(), before);
      assert.equal(readFileSync(existing, 'utf8'), 'keep me');
    });
  }

  it('is refused in read-only mode (exit 1), nothing written', async () => {
    const r = await hostdeck('support', 'bundle', '--output', join(out, 'ro.tar.gz'), '--read-only');
    assert.equal(r.code, 1);
    assert.match(r.err, /read-only mode/);
    assert.equal(readdirSync(out).includes('ro.tar.gz'), false);
  });

  it('over --max-size keeps the tail of its largest part and marks it trimmed; a program not installed is recorded as missing', async () => {
    // 6 MiB of hostdeck log that gzip cannot shrink, its first and last lines known.
    const lines = ['FIRST-LINE-OF-THE-LOG', ...Array.from({ length: 6 * 1024 * 16 }, () => randomBytes(48).toString('base64')), 'LAST-LINE-OF-THE-LOG'];
    writeFileSync(process.env.HOSTDECK_LOG!, `${lines.join('\n')}\n`);
    // A PATH with every program of the bundle except nmcli and multipath (and tar for the archive).
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const programs = new Set([...hostParts().flatMap((p) => (p.kind === 'command' ? [p.command] : [])), 'tar', 'gzip']);
    for (const p of programs) {
      if (p === 'nmcli' || p === 'multipath') continue;
      for (const d of (process.env.PATH ?? '').split(':')) {
        try { symlinkSync(join(d, p), join(bin, p)); statSync(join(bin, p)); break; } catch { rmSync(join(bin, p), { force: true }); }
      }
    }
    const file = join(out, 'small.tar.gz');
    const path = process.env.PATH;
    setEnv('PATH', bin);
    let r;
    try {
      r = await hostdeck('support', 'bundle', '--output', file, '--max-size', '1M', '--json');
    } finally {
      process.env.PATH = path;
    }
    assert.equal(r.code, 0, r.err);
    const b = JSON.parse(r.out) as SupportBundle;
    assert.equal(b.path, file);
    assert.equal(statSync(file).size, b.bytes);
    assert.ok(b.bytes <= 1024 ** 2, `${b.bytes} bytes`);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const log = b.parts.find((p) => p.path === 'hostdeck/hostdeck.log')!;
    assert.ok(log.trimmed && log.trimmed.originalBytes > 6 * 1024 ** 2, JSON.stringify(log));
    for (const p of ['network/nmcli-device.txt', 'storage/multipath.txt']) assert.equal(b.parts.find((x) => x.path === p)?.status, 'missing', p);

    const x = join(dir, 'x');
    mkdirSync(x);
    await runOk('tar', ['-xzf', file, '-C', x]);
    const kept = readFileSync(join(x, 'small', 'hostdeck', 'hostdeck.log'), 'utf8');
    assert.ok(kept.endsWith('LAST-LINE-OF-THE-LOG\n'));
    assert.equal(kept.includes('FIRST-LINE-OF-THE-LOG'), false);
    const index = readFileSync(join(x, 'small', 'index.txt'), 'utf8');
    assert.match(index, /^hostdeck\/hostdeck\.log\s+ok\s+\d+\s+trimmed \(was \d+\)/m);
    assert.match(index, /^network\/nmcli-device\.txt\s+missing\s+0\s+.*nmcli: not installed/m);

    const human = await hostdeck('support', 'bundle', '--output', join(out, 'human.tar.gz'));
    assert.equal(human.code, 0, human.err);
    assert.match(human.out, new RegExp(`^${join(out, 'human.tar.gz')} \\(\\d+(\\.\\d)? [KM]iB\\)\\nfetch it with: scp \\S+@\\S+:${join(out, 'human.tar.gz')} \\.\\n$`));
  });
});
