// hostdeck's CLI run inside the test's process (its `main`), on a state DB of
// the test's own and a libvirt URI: the exit code and what it printed.
import { main } from '../../src/cli.tsx';

export interface CliRun { code: number; out: string; err: string }

export async function runMain(db: string, uri: string, argv: readonly string[], onOut?: (text: string) => void): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main([...argv, '-c', uri, '--db', db], { stdout: (t) => { out += t; onOut?.(t); }, stderr: (t) => { err += t; } });
  return { code, out, err };
}
