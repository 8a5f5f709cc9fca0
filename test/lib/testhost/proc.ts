// Machine-side process helpers of the test-host harness: argv arrays only,
// never a shell string.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface ProcResult {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
}

export interface ProcOptions {
  input?: string | Buffer;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Runs argv to completion and returns its exit code and output (never throws for a non-zero exit). */
export function runProc(argv: string[], opts: ProcOptions = {}): Promise<ProcResult> {
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error('runProc: empty argv');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env, cwd: opts.cwd });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs) timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', (e) => { if (timer) clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolvePromise({
        argv,
        code: code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Like runProc but throws with the output when the exit code is not 0. */
export async function mustProc(argv: string[], opts: ProcOptions = {}): Promise<ProcResult> {
  const r = await runProc(argv, opts);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}\n${r.stderr}${r.stdout}`);
  return r;
}

function signalNumber(sig: NodeJS.Signals): number | undefined {
  const n: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return n[sig];
}

/** Waits for a child to exit (resolves at once if it already has). */
export function waitExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((res) => {
    const timer = setTimeout(() => { child.off('exit', onExit); res(false); }, timeoutMs);
    const onExit = (): void => { clearTimeout(timer); res(true); };
    child.once('exit', onExit);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms));
}
