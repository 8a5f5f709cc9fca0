// hostdeck's process runner (src/exec/runner.ts), pointed at a test host:
// the same run/runOk signatures and results, but the program runs inside
// the host through its agent. Product code that takes its runner as a
// dependency can be exercised against a real test-host kernel from this
// machine, without starting Node + tsx inside (seconds under TCG).
import { RunError, type RunOptions, type RunResult } from '../../../src/exec/runner.ts';
import type { TestHost } from './host.ts';

export interface TestHostRunner {
  run(command: string, args?: readonly string[], opts?: RunOptions): Promise<RunResult>;
  runOk(command: string, args?: readonly string[], opts?: RunOptions): Promise<RunResult>;
}

export function testHostRunner(host: TestHost): TestHostRunner {
  const run = async (command: string, args: readonly string[] = [], opts: RunOptions = {}): Promise<RunResult> => {
    const env = opts.env ? Object.fromEntries(Object.entries(opts.env).filter((e): e is [string, string] => e[1] !== undefined)) : undefined;
    const r = await host.run([command, ...args], { env, cwd: opts.cwd, input: opts.input, timeoutMs: opts.timeoutMs ?? 0 });
    const shown = opts.redact?.length ? args.map((a, i) => (opts.redact?.includes(i) ? '***' : a)) : [...args];
    const spawnError = r.code === 127 && /No such file or directory|not found/.test(r.stderr)
      ? `${command}: not installed (not found on PATH)` : undefined;
    return { command, args: shown, exitCode: r.code, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut, durationMs: r.durationMs, ...(spawnError ? { spawnError } : {}) };
  };
  return {
    run,
    async runOk(command, args = [], opts = {}) {
      const r = await run(command, args, opts);
      if (r.exitCode !== 0 || r.timedOut) throw new RunError(r);
      return r;
    },
  };
}
