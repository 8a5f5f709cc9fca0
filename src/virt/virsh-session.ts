// One long-running interactive `virsh -c <uri>` that the sampler sends a
// command per tick (`domstats`): one bulk call per tick over an open
// connection, instead of a process start (and, on a test:///<file>.xml URI,
// a re-read of the whole fixture) per tick. Each command is followed by an
// `echo --err <marker>`: when the marker arrives on stderr the command is done.
// The process is started on first use, restarted when it dies or hangs, and
// ended after a while without commands (nothing runs while no screen needs it).
//
// virsh flushes its standard output after every line (4 writes per domain
// for `domstats`, 4000 for 1000 domains): through a pipe each of them may wake
// this process. Its standard output goes into an unlinked file of ours
// instead (in memory, on /dev/shm where there is one), read once per command
// when the stderr marker says it is complete, and emptied between commands.
//
// The process is started through the runner (spawnPipedToFile): argument array only.
import { randomBytes } from 'node:crypto';
import { closeSync, constants as fsc, fstatSync, ftruncateSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnPipedToFile } from '../exec/runner.ts';
import { VirtError } from './errors.ts';

type VirshProcess = ReturnType<typeof spawnPipedToFile>;

export interface VirshSessionOptions {
  /** Milliseconds a command may take before the process is killed and the command fails. */
  timeoutMs?: number;
  /** End the process after this long without a command. */
  idleMs?: number;
  /** The virsh program (tests). */
  program?: string;
  /** Directory for the (unlinked) output file; default /dev/shm when present, else the temp dir. */
  outputDir?: string;
  /** Open a read-only connection (the default: statistics need no more). */
  readOnly?: boolean;
  /** Keep virsh's table headers (not -q), which parseVirshTable reads; its welcome text is then skipped. */
  headers?: boolean;
}

interface Pending {
  marker: string;
  /** The line sent (virsh echoes it after its prompt). */
  line: string;
  resolve: (out: string) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class VirshSession {
  private proc?: VirshProcess;
  /** The output file (virsh's stdout) and how far it has been read. */
  private outFd?: number;
  private readPos = 0;
  private buf = Buffer.alloc(64 * 1024);
  private err = '';
  private queue: Pending[] = [];
  private seq = 0;
  private idleTimer?: NodeJS.Timeout;
  private closed = false;
  /** Processes started so far (a restart after a failure counts). */
  starts = 0;

  constructor(private readonly uri: string, private readonly opts: VirshSessionOptions = {}) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  private start(): VirshProcess {
    const fd = openOutputFile(this.opts.outputDir);
    let p: VirshProcess;
    try {
      // -r: a session that only reads statistics cannot change a VM.
      const flags = [...(this.opts.headers ? [] : ['-q']), ...(this.opts.readOnly === false ? [] : ['-r'])];
      p = spawnPipedToFile(this.opts.program ?? 'virsh', [...flags, '-c', this.uri], fd, { env: { LC_ALL: 'C' } });
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    this.starts++;
    this.closeOutput();
    this.outFd = fd;
    this.readPos = 0;
    this.err = '';
    p.stderr.setEncoding('utf8');
    p.stderr.on('data', (chunk: string) => { this.err += chunk; if (this.err.length > 256 * 1024) this.err = this.err.slice(-64 * 1024); this.drain(); });
    p.stdin.on('error', () => undefined);
    p.on('error', (e) => this.fail(p, new Error(`virsh: ${e.message}`)));
    p.on('exit', (code) => this.fail(p, new Error(`virsh ended (exit ${code ?? 'signal'})${this.err.trim() ? `: ${lastError(this.err)}` : ''}`)));
    this.proc = p;
    // Without -q virsh greets first: a command of our own takes that text out of the way.
    if (this.opts.headers) this.send(p, ['echo']).catch(() => undefined);
    return p;
  }

  /** While no command waits, the process does not keep this one alive (a CLI ends when its work is done). */
  private hold(p: VirshProcess, on: boolean): void {
    for (const h of [p, p.stdin, p.stderr] as { ref?: () => void; unref?: () => void }[]) (on ? h.ref : h.unref)?.call(h);
  }

  /** Run one virsh command (argument array) and resolve with its standard output. */
  command(args: readonly string[]): Promise<string> {
    if (this.closed) return Promise.reject(new Error('virsh session closed'));
    for (const a of args) if (/[\n\r]/.test(a)) return Promise.reject(new TypeError('virsh session: an argument contains a line break'));
    const p = this.proc ?? this.start();
    this.touch();
    return this.send(p, args);
  }

  private send(p: VirshProcess, args: readonly string[]): Promise<string> {
    // Every earlier command answered: the output file starts over (virsh appends, O_APPEND).
    if (this.queue.length === 0 && this.outFd !== undefined && this.readPos > 0) { ftruncateSync(this.outFd, 0); this.readPos = 0; }
    this.hold(p, true);
    const marker = `@@hostdeck-${process.pid}-${++this.seq}@@`;
    const line = args.map(quote).join(' ');
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(p, new Error(`virsh ${args[0]}: no answer within ${Math.round((this.opts.timeoutMs ?? 15_000) / 1000)} s`));
        p.kill('SIGKILL');
      }, this.opts.timeoutMs ?? 15_000);
      timer.unref?.();
      this.queue.push({ marker, line, resolve, reject, timer });
      // The marker on stderr says the command is done (its output is in the file by then:
      // virsh flushes every line); the echoed `echo --err` line in the output ends its text.
      p.stdin.write(`${line}\necho --err ${marker}-err\n`);
    });
  }

  /** The output written since the last read, as bytes (valid until the next read). */
  private readOutput(): Buffer {
    const fd = this.outFd;
    if (fd === undefined) return Buffer.alloc(0);
    const size = fstatSync(fd).size;
    const n = Math.max(0, size - this.readPos);
    if (n > this.buf.length) this.buf = Buffer.alloc(Math.max(n, this.buf.length * 2));
    let got = 0;
    while (got < n) {
      const r = readSync(fd, this.buf, got, n - got, this.readPos + got);
      if (r <= 0) break;
      got += r;
    }
    return this.buf.subarray(0, got);
  }

  private drain(): void {
    let out: Buffer | undefined;
    const base = this.readPos;
    let outPos = 0;
    for (;;) {
      const head = this.queue[0];
      if (!head) return;
      const errMarker = `${head.marker}-err`;
      const j = this.err.indexOf(errMarker);
      if (j < 0) return;
      // The command is done: its output is in the file. Read what is new once per drain.
      out ??= this.readOutput();
      const body = cutCommandOutput(out, outPos, head);
      outPos = body.next;
      this.readPos = base + outPos;
      // `echo --err` prints its text as "error: <marker>": that prefix is not the command's.
      const err = this.err.slice(0, j).replace(/error: $/, '');
      this.err = this.err.slice(j + errMarker.length);
      this.queue.shift();
      clearTimeout(head.timer);
      if (this.queue.length === 0 && this.proc) this.hold(this.proc, false);
      // Only virsh's own "error:" lines fail a command: other stderr text (e.g. "Authorization not
      // available..." when virsh finds a terminal but no polkit) is a warning.
      const e = errorLines(err);
      if (e && !body.text.trim()) {
        head.reject(new VirtError(e));
        // A failed command (daemon gone, connection lost): the next one starts a fresh virsh.
        if (this.queue.length === 0 && this.proc) { const p = this.proc; this.proc = undefined; p.stdin.end(); p.kill('SIGTERM'); this.closeOutput(); }
      } else head.resolve(body.text);
    }
  }

  private fail(p: VirshProcess, err: Error): void {
    if (this.proc !== p) return;
    this.proc = undefined;
    this.closeOutput();
    const q = this.queue;
    this.queue = [];
    for (const c of q) { clearTimeout(c.timer); c.reject(err); }
  }

  private closeOutput(): void {
    if (this.outFd === undefined) return;
    try { closeSync(this.outFd); } catch { /* already closed */ }
    this.outFd = undefined;
    this.readPos = 0;
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.queue.length === 0) this.stopProcess();
    }, this.opts.idleMs ?? 30_000);
    this.idleTimer.unref?.();
  }

  private stopProcess(): void {
    const p = this.proc;
    if (!p) return;
    this.fail(p, new Error('virsh session stopped'));
    p.stdin.end();
    p.kill('SIGTERM');
  }

  close(): void {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.stopProcess();
  }
}

let defaultDir: string | undefined;

/**
 * A new file only we can open (O_EXCL, 0600, a random name), unlinked at
 * once: virsh writes into it through the descriptor it inherits and nothing
 * is left behind, however the console ends.
 */
function openOutputFile(dir?: string): number {
  if (!dir) {
    if (defaultDir === undefined) {
      try { defaultDir = statSync('/dev/shm').isDirectory() ? '/dev/shm' : tmpdir(); } catch { defaultDir = tmpdir(); }
    }
    dir = defaultDir;
  }
  const path = join(dir, `hostdeck-virsh-${process.pid}-${randomBytes(8).toString('hex')}`);
  let fd: number;
  try {
    fd = openSync(path, fsc.O_RDWR | fsc.O_CREAT | fsc.O_EXCL | fsc.O_APPEND | fsc.O_NOFOLLOW, 0o600);
  } catch (e) {
    if (dir === tmpdir()) throw e;
    // /dev/shm not writable here: the temp dir.
    return openOutputFile(tmpdir());
  }
  unlinkSync(path);
  return fd;
}

// `virsh > ` on a read-only connection (-r, as this session opens it), `virsh # ` otherwise.
const PROMPTS = [Buffer.from('virsh > '), Buffer.from('virsh # ')];
const NL = 0x0a;

/**
 * One command's text in virsh's output from `from` on: after virsh's prompt
 * and its echo of the command line (either may be missing: the file was
 * emptied while virsh wrote its prompt), up to the echoed `echo --err
 * <marker>` line. `next` is where the next command's output starts.
 */
export function cutCommandOutput(out: Buffer, from: number, cmd: { line: string; marker: string }): { text: string; next: number } {
  const end = out.indexOf(`echo --err ${cmd.marker}-err\n`, from);
  let stop = out.length;
  let next = out.length;
  if (end >= 0) {
    next = end + cmd.marker.length + 16; // "echo --err " + marker + "-err\n"
    stop = end;
    // The start of that line (its prompt).
    while (stop > from && out[stop - 1] !== NL) stop--;
  }
  // Without -q virsh ends each command's output with an empty line, before its next prompt.
  let start = from;
  while (start < stop && out[start] === NL) start++;
  const prompt = PROMPTS.find((p) => out.subarray(start, start + p.length).equals(p));
  start = prompt ? start + prompt.length : from;
  const echo = Buffer.from(`${cmd.line}\n`);
  if (stop - start >= echo.length && out.subarray(start, start + echo.length).equals(echo)) start += echo.length;
  return { text: start < stop ? out.toString('utf8', start, stop) : '', next };
}

/** virsh's own shell quoting for one argument. */
function quote(a: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

function errorLines(stderr: string): string {
  return stderr.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('error:')).map((l) => l.slice(6).trim()).filter(Boolean).join(': ');
}

function lastError(stderr: string): string {
  return errorLines(stderr) || stderr.trim().split('\n').pop() || '';
}
