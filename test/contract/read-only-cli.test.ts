// Read-only mode binds every front end, not only the console's keys:
// `hostdeck --read-only ...` and HOSTDECK_READ_ONLY=1 refuse each command that
// changes something (exit 1 with the reason, a refusal in the event log) and
// nothing changes; commands that only read still run. Run as a program.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/manager/db.ts';

const root = new URL('../..', import.meta.url).pathname;
let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'hostdeck-read-only-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

function hostdeck(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args, '--db', join(dir, 'state.db')], {
      cwd: root, env: { ...process.env, HOSTDECK_READ_ONLY: '', HOSTDECK_LOG: join(dir, 'hostdeck.log'), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d; });
    child.stderr.on('data', (d: Buffer) => { err += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

function rows<T>(sql: string): T[] {
  const db = openDatabase(join(dir, 'state.db'));
  try { return db.prepare(sql).all() as T[]; } finally { db.close(); }
}
const events = () => rows<{ message: string; result: string | null; channel: string }>('SELECT message, result, channel FROM events ORDER BY id');

const VM_CREATE = ['vm', 'create', 'rotest', '--memory', '64M', '--boot', 'network', '--network', 'default', '-c', 'test:///default'];
const REFUSED: { name: string; argv: string[]; unchanged: () => unknown[] }[] = [
  { name: 'vm create', argv: VM_CREATE, unchanged: () => events().filter((e) => /rotest/.test(e.message) && e.result !== 'failure') },
  { name: 'storage connection add', argv: ['storage', 'connection', 'add', 'localfs', '--path', '/srv/ro-test', '--name', 'ro1'], unchanged: () => rows('SELECT * FROM storage_connections') },
  { name: 'net hostname set', argv: ['net', 'hostname', 'set', 'rohost'], unchanged: () => rows('SELECT * FROM net_staged').concat(events().filter((e) => /rohost/.test(e.message) && e.result !== 'failure')) },
  { name: 'net dns set', argv: ['net', 'dns', 'set', '--server', '192.0.2.53'], unchanged: () => events().filter((e) => /192\.0\.2\.53/.test(e.message) && e.result !== 'failure') },
];

for (const [how, extraArgs, env] of [['--read-only', ['--read-only'], {}], ['HOSTDECK_READ_ONLY=1', [], { HOSTDECK_READ_ONLY: '1' }]] as const) {
  describe(`${how}: every command that changes something is refused by the core`, () => {
    for (const c of REFUSED) {
      it(`${c.name}: exit 1 naming read-only mode, one refusal event, nothing changed`, async () => {
        const before = events().length;
        const r = await hostdeck(how === '--read-only' ? [extraArgs[0]!, ...c.argv] : c.argv, env);
        assert.equal(r.code, 1, `${c.name}: ${r.err}${r.out}`);
        assert.match(r.err, /read-only mode/);
        const added = events().slice(before);
        assert.equal(added.length, 1, JSON.stringify(added));
        assert.equal(added[0]!.result, 'failure');
        assert.match(added[0]!.message, /refused: read-only mode/);
        assert.equal(added[0]!.channel, 'cli');
        assert.deepEqual(c.unchanged(), []);
      });
    }
    it('a command that only reads still runs', async () => {
      const r = await hostdeck([...extraArgs, 'vm', 'list', '-c', 'test:///default', '--json'], env);
      assert.equal(r.code, 0, r.err);
      assert.ok(!(JSON.parse(r.out) as { name: string }[]).some((v) => v.name === 'rotest'));
    });
  });
}
