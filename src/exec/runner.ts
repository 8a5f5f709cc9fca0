// The single process runner. Every external program hostdeck starts goes
// through here, always as a program name plus an argument array (never a
// shell string). Tests can observe what runs (`observe`) and answer for a
// program instead of starting it (`replace`).
import { spawn as nodeSpawn } from 'node:child_process';
import type { Options as ExecaOptions } from 'execa';

// execa is loaded on first use so that start-up (the first frame) does not pay for it.
let execaModule: Promise<typeof import('execa')> | undefined;
const loadExeca = () => (execaModule ??= import('execa'));

export interface RunOptions {
  /** Text written to the program's standard input (e.g. a secret), never on argv. */
  input?: string;
  /** Milliseconds before the program is killed (SIGTERM, then SIGKILL). */
  timeoutMs?: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Do not throw on a non-zero exit (the default: never throw, return the code). */
  signal?: AbortSignal;
  /** Arguments at these indexes are replaced by *** in records (secrets). */
  redact?: number[];
  /**
   * Start the program as the leader of its own process group (a hook): on
   * timeout the whole group gets SIGTERM, then SIGKILL, and when the program
   * exits what it left running in its group is killed too.
   */
  processGroup?: boolean;
}

export interface RunResult {
  command: string;
  args: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
}

export interface RunRecord {
  command: string;
  args: string[];
  exitCode?: number;
  durationMs?: number;
}

type Observer = (rec: RunRecord) => void;

export class RunError extends Error {
  constructor(public readonly result: RunResult) {
    const tail = (result.stderr || result.stdout || result.spawnError || '').trim().split('\n').slice(-3).join(' | ');
    super(`${result.command} exited with ${result.timedOut ? 'a timeout' : `code ${result.exitCode}`}${tail ? `: ${tail}` : ''}`);
    this.name = 'RunError';
  }
}

const observers = new Set<Observer>();

/** Subscribe to every program start (used by tests that assert nothing ran). */
export function observe(fn: Observer): () => void {
  observers.add(fn);
  return () => observers.delete(fn);
}

export interface Answer { exitCode: number; stdout?: string; stderr?: string }
/** What a test answers for a program start instead of running it (now or later); undefined lets the program run. */
export type StandIn = (command: string, args: readonly string[]) => Answer | Promise<Answer> | undefined;

let standIn: StandIn | undefined;

/**
 * Tests only: ask `fn` before every program start and, when it answers, return
 * its answer without starting anything, so code that would change this
 * machine (ip, mount, iscsiadm, qemu-img) can be driven safely. Observers still
 * see every start. A piped program that is answered for cannot be started
 * (the caller gets an error). Returns the function that ends the replacement.
 */
export function replace(fn: StandIn): () => void {
  standIn = fn;
  return () => { if (standIn === fn) standIn = undefined; };
}

function answered(command: string, args: readonly string[], shown: string[]): Promise<RunResult> | undefined {
  const a = standIn?.(command, args);
  if (!a) return undefined;
  return Promise.resolve(a).then((b) => {
    for (const o of observers) o({ command, args: shown, exitCode: b.exitCode, durationMs: 0 });
    return { command, args: shown, exitCode: b.exitCode, stdout: b.stdout ?? '', stderr: b.stderr ?? '', timedOut: false, durationMs: 0 };
  });
}

function refusePiped(command: string, args: readonly string[]): void {
  if (answered(command, args, [...args])) throw new Error(`runner: ${command} is answered by a test stand-in and cannot be started piped`);
}

function assertArgv(command: string, args: readonly string[]): void {
  if (typeof command !== 'string' || command.length === 0) throw new TypeError('runner: command must be a non-empty string');
  if (/[\s;|&$`<>]/.test(command)) throw new TypeError(`runner: command must be a program name, not a shell string: ${JSON.stringify(command)}`);
  for (const a of args) {
    if (typeof a !== 'string') throw new TypeError('runner: every argument must be a string');
    if (a.includes('\0')) throw new TypeError('runner: an argument contains a NUL byte');
  }
}

function redacted(args: readonly string[], idx?: number[]): string[] {
  if (!idx?.length) return [...args];
  return args.map((a, i) => (idx.includes(i) ? '***' : a));
}

/**
 * The process group led by `child` (started detached) ends with it: when the
 * leader exits its group is killed (children it forked and left must not
 * outlive it, nor hold its output open), and after `timeoutMs` the group is
 * sent SIGTERM, then SIGKILL 2 s later.
 */
function killGroupWith(child: import('node:child_process').ChildProcess, timeoutMs?: number): { timedOut: () => boolean; done: () => Promise<void> } {
  const pgid = child.pid;
  let timedOut = false;
  const timers: NodeJS.Timeout[] = [];
  const kill = (signal: NodeJS.Signals) => {
    if (pgid === undefined) return;
    try { process.kill(-pgid, signal); } catch { /* the group is gone */ }
  };
  child.once('exit', () => kill('SIGKILL'));
  if (timeoutMs !== undefined && pgid !== undefined) {
    timers.push(setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      timers.push(setTimeout(() => kill('SIGKILL'), 2000));
    }, timeoutMs));
  }
  // A signal is delivered, not done: the run ends once no process of the group is left
  // (bounded: one stuck in the kernel's uninterruptible sleep cannot hold it forever).
  const gone = async () => {
    if (pgid === undefined) return;
    for (let i = 0; i < 500; i++) {
      try { process.kill(-pgid, 0); } catch { return; }
      kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { timedOut: () => timedOut, done: async () => { for (const t of timers) clearTimeout(t); await gone(); } };
}

/** Run a program to completion; never throws for a non-zero exit. */
export async function run(command: string, args: readonly string[] = [], opts: RunOptions = {}): Promise<RunResult> {
  assertArgv(command, args);
  const shown = redacted(args, opts.redact);
  for (const o of observers) o({ command, args: shown });
  const stood = answered(command, args, shown);
  if (stood) return await stood;
  const started = performance.now();
  const execaOpts: ExecaOptions = {
    reject: false,
    stripFinalNewline: false,
    encoding: 'utf8',
    timeout: opts.processGroup ? undefined : opts.timeoutMs,
    detached: Boolean(opts.processGroup),
    killSignal: 'SIGTERM',
    forceKillAfterDelay: 2000,
    env: opts.env,
    extendEnv: true,
    cwd: opts.cwd,
    cancelSignal: opts.signal,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : undefined,
    shell: false,
    windowsHide: true,
  };
  const { execa } = await loadExeca();
  const sub = execa(command, [...args], execaOpts);
  const group = opts.processGroup ? killGroupWith(sub.nodeChildProcess, opts.timeoutMs) : undefined;
  const r = await sub;
  await group?.done();
  const durationMs = performance.now() - started;
  const code = (r as { code?: string }).code;
  const spawnError = code === 'ENOENT' || code === 'EACCES' ? `${command}: ${code === 'ENOENT' ? 'not installed (not found on PATH)' : 'permission denied'}` : undefined;
  const result: RunResult = {
    command,
    args: shown,
    exitCode: typeof r.exitCode === 'number' ? r.exitCode : -1,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? '') || (spawnError ?? ''),
    timedOut: Boolean(r.timedOut) || Boolean(group?.timedOut()),
    durationMs,
    spawnError,
  };
  for (const o of observers) o({ command, args: shown, exitCode: result.exitCode, durationMs });
  return result;
}

/** Run and throw a RunError unless the program exits 0. */
export async function runOk(command: string, args: readonly string[] = [], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(command, args, opts);
  if (r.exitCode !== 0 || r.timedOut) throw new RunError(r);
  return r;
}

/** Start a long-running program whose output is read line by line (e.g. `virsh event --loop`). */
export function spawnStream(
  command: string,
  args: readonly string[],
  onLine: (line: string) => void,
  opts: { env?: Record<string, string | undefined>; signal?: AbortSignal } = {},
): { done: Promise<RunResult>; kill: () => void } {
  assertArgv(command, args);
  for (const o of observers) o({ command, args: [...args] });
  const stood = answered(command, args, [...args]);
  if (stood) return { done: stood, kill: () => undefined };
  const started = performance.now();
  let child: ReturnType<typeof import('execa').execa> | undefined;
  let killed = false;
  const done = loadExeca().then(({ execa }) => {
    if (killed) return { command, args: [...args], exitCode: -1, stdout: '', stderr: 'killed before start', timedOut: false, durationMs: 0 };
    const c = execa(command, [...args], { reject: false, buffer: false, env: opts.env, cancelSignal: opts.signal, stdin: 'ignore', shell: false });
    child = c;
    let pending = '';
    c.stdout?.setEncoding('utf8');
    c.stdout?.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        onLine(line);
      }
    });
    let stderr = '';
    c.stderr?.setEncoding('utf8');
    c.stderr?.on('data', (chunk: string) => {
      if (stderr.length < 64 * 1024) stderr += chunk;
    });
    return c.then((r) => ({
      command,
      args: [...args],
      exitCode: typeof r.exitCode === 'number' ? r.exitCode : -1,
      stdout: '',
      stderr,
      timedOut: false,
      durationMs: performance.now() - started,
    }));
  });
  return { done, kill: () => { killed = true; child?.kill('SIGTERM'); } };
}

/**
 * Start a long-running program that is talked to over its standard input
 * and output (e.g. an interactive `virsh` the sampler sends a command per
 * tick). Returns the child process with piped stdin, stdout and stderr.
 */
export function spawnPiped(command: string, args: readonly string[], opts: { env?: Record<string, string | undefined> } = {}): import('node:child_process').ChildProcessWithoutNullStreams {
  assertArgv(command, args);
  for (const o of observers) o({ command, args: [...args] });
  refusePiped(command, args);
  return nodeSpawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env }, shell: false });
}

/**
 * Like spawnPiped, but the program's standard output goes straight into an
 * open file (`stdoutFd`) instead of a pipe: a program that flushes every line
 * (virsh) then costs no wake-up of this process per line; the caller reads
 * the file when the program says (on stderr) that a command is done.
 */
export function spawnPipedToFile(command: string, args: readonly string[], stdoutFd: number, opts: { env?: Record<string, string | undefined> } = {}): import('node:child_process').ChildProcessByStdio<import('node:stream').Writable, null, import('node:stream').Readable> {
  assertArgv(command, args);
  for (const o of observers) o({ command, args: [...args] });
  refusePiped(command, args);
  return nodeSpawn(command, [...args], { stdio: ['pipe', stdoutFd, 'pipe'], env: { ...process.env, ...opts.env }, shell: false }) as import('node:child_process').ChildProcessByStdio<import('node:stream').Writable, null, import('node:stream').Readable>;
}

/** Hand the terminal to a program (e.g. `virsh console`) and wait for it to exit. */
export async function runInteractive(command: string, args: readonly string[], opts: { env?: Record<string, string | undefined> } = {}): Promise<number> {
  assertArgv(command, args);
  for (const o of observers) o({ command, args: [...args] });
  const stood = answered(command, args, [...args]);
  if (stood) return (await stood).exitCode;
  const { execa } = await loadExeca();
  const r = await execa(command, [...args], { reject: false, stdio: 'inherit', env: opts.env, shell: false });
  return typeof r.exitCode === 'number' ? r.exitCode : -1;
}

/** Whether a program exists on PATH. */
export async function which(command: string): Promise<boolean> {
  const { access, constants } = await import('node:fs/promises');
  const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
  for (const d of dirs) {
    try {
      await access(`${d}/${command}`, constants.X_OK);
      return true;
    } catch {
      /* next */
    }
  }
  return false;
}
