// One long-running interactive `virsh -c <uri>` that the sampler sends a
// command per tick (`domstats`): one bulk call per tick over an open
// connection, instead of a process start (and, on a test:///<file>.xml URI,
// a re-read of the whole fixture) per tick. Each command is followed by an
// `echo <marker>` so its output can be cut out of the stream. The process is
// started on first use, restarted when it dies or hangs, and ended after a
// while without commands (nothing runs while no screen needs it).
//
// The process is started through the runner (spawnPiped): argument array only.
import { StringDecoder } from 'node:string_decoder';
import { spawnPiped } from '../exec/runner.ts';

type ChildProcessWithoutNullStreams = ReturnType<typeof spawnPiped>;

export interface VirshSessionOptions {
  /** Milliseconds a command may take before the process is killed and the command fails. */
  timeoutMs?: number;
  /** End the process after this long without a command. */
  idleMs?: number;
  /** The virsh program (tests). */
  program?: string;
}

interface Pending {
  marker: string;
  resolve: (out: string) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class VirshSession {
  private proc?: ChildProcessWithoutNullStreams;
  private out = '';
  private outChunks: Buffer[] = [];
  private decoder = new StringDecoder('utf8');
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

  private start(): ChildProcessWithoutNullStreams {
    const p = spawnPiped(this.opts.program ?? 'virsh', ['-q', '-c', this.uri], { env: { LC_ALL: 'C' } });
    this.starts++;
    this.out = '';
    this.outChunks = [];
    this.decoder = new StringDecoder('utf8');
    this.err = '';
    p.stderr.setEncoding('utf8');
    // virsh writes a few lines at a time (a couple of hundred chunks for a
    // domstats of 1000 domains): the chunks are kept as bytes and decoded once,
    // when a marker may have arrived. A marker ends in '@', so only a chunk
    // with an '@' in it can complete one.
    p.stdout.on('data', (chunk: Buffer) => {
      this.outChunks.push(chunk);
      if (chunk.includes(AT)) this.drain();
    });
    p.stderr.on('data', (chunk: string) => { this.err += chunk; if (this.err.length > 256 * 1024) this.err = this.err.slice(-64 * 1024); this.drain(); });
    p.stdin.on('error', () => undefined);
    p.on('error', (e) => this.fail(p, new Error(`virsh: ${e.message}`)));
    p.on('exit', (code) => this.fail(p, new Error(`virsh ended (exit ${code ?? 'signal'})${this.err.trim() ? `: ${lastError(this.err)}` : ''}`)));
    this.proc = p;
    return p;
  }

  /** Run one virsh command (argument array) and resolve with its standard output. */
  command(args: readonly string[]): Promise<string> {
    if (this.closed) return Promise.reject(new Error('virsh session closed'));
    for (const a of args) if (/[\n\r]/.test(a)) return Promise.reject(new TypeError('virsh session: an argument contains a line break'));
    const p = this.proc ?? this.start();
    this.touch();
    const marker = `@@hostdeck-${process.pid}-${++this.seq}@@`;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(p, new Error(`virsh ${args[0]}: no answer within ${Math.round((this.opts.timeoutMs ?? 15_000) / 1000)} s`));
        p.kill('SIGKILL');
      }, this.opts.timeoutMs ?? 15_000);
      timer.unref?.();
      this.queue.push({ marker, resolve, reject, timer });
      // The marker on both streams: each command's output and errors are cut out exactly.
      // virsh echoes each input line after its prompt, so the output marker counts only at
      // the start of a line, and stderr gets a marker of its own.
      p.stdin.write(`${args.map(quote).join(' ')}\necho --err ${marker}-err\necho ${marker}\n`);
    });
  }

  private drain(): void {
    if (this.outChunks.length) { this.out += this.decoder.write(this.outChunks.length === 1 ? this.outChunks[0]! : Buffer.concat(this.outChunks)); this.outChunks = []; }
    for (;;) {
      const head = this.queue[0];
      if (!head) return;
      const i = this.out.startsWith(head.marker) ? 0 : this.out.indexOf(`\n${head.marker}`) + 1;
      const errMarker = `${head.marker}-err`;
      const j = this.err.indexOf(errMarker);
      if (i <= 0 && !this.out.startsWith(head.marker)) return;
      if (j < 0) return;
      const text = this.out.slice(0, i);
      this.out = this.out.slice(i + head.marker.length);
      // `echo --err` prints its text as "error: <marker>": that prefix is not the command's.
      const err = this.err.slice(0, j).replace(/error: $/, '');
      this.err = this.err.slice(j + errMarker.length);
      this.queue.shift();
      clearTimeout(head.timer);
      // Between the echoed command line and the echoed marker commands (no split of the whole output).
      const from = text.startsWith('virsh # ') ? text.indexOf('\n') + 1 : 0;
      const to = text.indexOf('virsh # echo --err ', from);
      const body = from <= 0 && text.startsWith('virsh # ') ? '' : text.slice(from, to < 0 ? undefined : to);
      // Only virsh's own "error:" lines fail a command: other stderr text (e.g. "Authorization not
      // available..." when virsh finds a terminal but no polkit) is a warning.
      const e = errorLines(err);
      if (e && !body.trim()) {
        head.reject(new Error(e));
        // A failed command (daemon gone, connection lost): the next one starts a fresh virsh.
        if (this.queue.length === 0 && this.proc) { const p = this.proc; this.proc = undefined; p.stdin.end(); p.kill('SIGTERM'); }
      } else head.resolve(body);
    }
  }

  private fail(p: ChildProcessWithoutNullStreams, err: Error): void {
    if (this.proc !== p) return;
    this.proc = undefined;
    const q = this.queue;
    this.queue = [];
    for (const c of q) { clearTimeout(c.timer); c.reject(err); }
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

const AT = 0x40;

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
