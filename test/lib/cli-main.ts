// hostdeck's CLI run inside the test's process (its `main`), on a state DB of
// the test's own and a libvirt URI: the exit code and what it printed.
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.tsx';

export interface CliRun { code: number; out: string; err: string }

export async function runMain(db: string, uri: string, argv: readonly string[], onOut?: (text: string) => void): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main([...argv, '-c', uri, '--db', db], { stdout: (t) => { out += t; onOut?.(t); }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

/**
 * A test file's own scratch directory for its CLI runs: the state DB and the
 * log file (HOSTDECK_LOG points there while the file runs, then is restored),
 * made before its tests and removed after; `hostdeck` runs the CLI on it
 * with libvirt's test driver.
 */
export function scratchCli(prefix: string) {
  const s = { dir: '', dbPath: () => join(s.dir, 'state.db'), hostdeck: (...argv: string[]) => runMain(join(s.dir, 'state.db'), 'test:///default', argv) };
  let logBefore: string | undefined;
  before(() => {
    s.dir = mkdtempSync(join(tmpdir(), prefix));
    logBefore = process.env.HOSTDECK_LOG;
    process.env.HOSTDECK_LOG = join(s.dir, 'hostdeck.log');
  });
  after(() => {
    if (logBefore === undefined) delete process.env.HOSTDECK_LOG; else process.env.HOSTDECK_LOG = logBefore;
    rmSync(s.dir, { recursive: true, force: true });
  });
  return s;
}
