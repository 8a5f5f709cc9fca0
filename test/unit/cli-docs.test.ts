// The man page and bash completion generated from the command data: every
// command and option is there, and text that roff or bash would read as
// their own syntax (a leading dot, a backslash, a quote) arrives as text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bashCompletion, manPage, type CliDocsInput } from '../../src/cli/docs.ts';
import type { Command } from '../../src/cli/registry.ts';

const run = async () => 0;
const commands: Command[] = [
  { noun: 'vm', verb: 'start', summary: '.TH looks like a request \\fB and a backslash', usage: 'NAME', options: { force: { type: 'boolean', description: 'Even when paused' } }, run },
  { noun: 'vm', verb: 'snapshot create', summary: "A snapshot's name", options: { mode: { type: 'string', description: 'Mode', choices: ["it's", 'plain'] } }, run },
  { noun: 'serve', verb: '', summary: 'The host service', run },
];
const input: CliDocsInput = {
  commands,
  globalOptions: { db: { type: 'string', description: 'State database', value: 'PATH' }, json: { type: 'boolean', description: 'JSON' } },
  optionsOf: (c) => ({ ...(c.options ?? {}), db: { type: 'string', description: 'State database', value: 'PATH' }, json: { type: 'boolean', description: 'JSON' } }),
  version: '1.2.3',
  exitStatus: '0 on success',
  date: '2026-12-08',
};

describe('the CLI docs generated from the commands', () => {
  it('the man page lists each command with its own options, escaping roff', () => {
    const page = manPage(input);
    assert.match(page, /^\.TH HOSTDECK 1 "2026-12-08" "hostdeck 1\.2\.3"/);
    assert.match(page, /\\fBhostdeck vm start\\fR \\fINAME\\fR\n\\&\.TH looks like a request \\efB and a backslash/);
    assert.match(page, /\\fB\\-\\-force\\fR\nEven when paused/);
    assert.match(page, /\\fBhostdeck serve\\fR\nThe host service/);
    // Global options once, under OPTIONS, not under every command.
    assert.equal(page.match(/\\-\\-db\\fR/g)?.length, 1);
  });

  it('bash completes command words, then options, then an option\'s choices, quotes and all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-completion-'));
    try {
      const file = join(dir, 'hostdeck');
      writeFileSync(file, bashCompletion(input));
      const complete = (...words: string[]) => {
        const r = spawnSync('bash', ['-c', '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _hostdeck; printf "%s\\n" "${COMPREPLY[@]}"', file, ...words], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        return r.stdout.trim().split('\n').filter(Boolean);
      };
      assert.deepEqual(complete('hostdeck', ''), ['vm', 'serve', '--db', '--json']);
      assert.deepEqual(complete('hostdeck', 'vm', ''), ['start', 'snapshot']);
      assert.deepEqual(complete('hostdeck', '--db', '/x', 'vm', 'snapshot', ''), ['create']);
      assert.deepEqual(complete('hostdeck', 'vm', 'start', '--'), ['--force', '--db', '--json', '--help']);
      assert.deepEqual(complete('hostdeck', 'vm', 'snapshot', 'create', '--mode', ''), ["it's", 'plain']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
