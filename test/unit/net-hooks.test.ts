// before_network_setup hooks stop a network apply before anything changes:
// the host's reads are answered by the recorded test host (a stand-in: this
// machine's network is not touched); the hooks are real programs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.tsx';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { onRecordedHost } from '../lib/net-recorded.ts';

describe('network setup hooks (host reads answered from the recorded test host, nothing applied)', () => {
  it('a failing before_network_setup hook stops net apply with its stderr and an event; nothing runs past the reads, the change stays staged, no after-hook runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-nethooks-'));
    const hooks = join(dir, 'hooks');
    const db = join(dir, 'state.db');
    const afterMark = join(dir, 'after-ran');
    const hook = (point: string, body: string) => {
      mkdirSync(join(hooks, point), { recursive: true, mode: 0o755 });
      writeFileSync(join(hooks, point, '10-hook'), `#!/bin/sh\n${body}\n`);
      chmodSync(join(hooks, point, '10-hook'), 0o755);
    };
    const saved = process.env.HOSTDECK_HOOKS_DIR;
    process.env.HOSTDECK_HOOKS_DIR = hooks;
    try {
      hook('before_network_setup', 'echo "change window closed ($HOSTDECK_HOOK_POINT: $HOSTDECK_NETWORK_CHANGE)" >&2\nexit 4');
      hook('after_network_setup', `touch ${afterMark}`);
      let err = '';
      const io = { stdout: () => {}, stderr: (t: string) => { err += t; } };
      assert.equal(await onRecordedHost([], () => main(['net', 'hostname', 'set', 'node2', '--db', db], io)), 0, err);
      const calls: string[] = [];
      const code = await onRecordedHost(calls, () => main(['net', 'apply', '--yes', '--db', db], io), (c) => c.startsWith(hooks));
      assert.equal(code, 1, err);
      assert.match(err, /before_network_setup hook 10-hook: exited with code 4: change window closed \(before_network_setup: Network apply \(\w+\): .*host name .* -> node2\)$/m);
      // Reads, then the hook: no checkpoint, no pending state, no change.
      assert.deepEqual(calls.filter((c) => !/^(ip -j |ip -d -j addr show$|lldpcli |grep |cat -- |nmcli -t -f RUNNING )/.test(c)), [join(hooks, 'before_network_setup', '10-hook')]);
      assert.equal(existsSync(afterMark), false);
      const rows = openDatabase(db);
      try {
        assert.equal(rows.prepare('SELECT count(*) FROM net_staged').pluck().get(), 1);
        const failure = new EventLog(rows, { user: 't', channel: 'cli' }).list().find((e) => e.result === 'failure');
        assert.match(failure?.message ?? '', /^Network apply .* failed: before_network_setup hook 10-hook: exited with code 4: change window closed/);
      } finally {
        rows.close();
      }
    } finally {
      if (saved === undefined) delete process.env.HOSTDECK_HOOKS_DIR; else process.env.HOSTDECK_HOOKS_DIR = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
