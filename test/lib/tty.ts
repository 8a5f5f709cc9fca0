// A small fluent driver for end-to-end tests: runs the built binary in a
// real pseudo-terminal (tmux), types keys, and waits for screen text (never
// fixed sleeps). Each terminal gets its own tmux server socket.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const BIN = join(ROOT, 'dist/hostdeck.mjs');

let seq = 0;

export interface TerminalOptions {
  columns?: number;
  rows?: number;
  env?: Record<string, string>;
  args?: string[];
}

export class Terminal {
  private constructor(private readonly socket: string, private readonly dir: string, public readonly name: string) {}

  /** Start `node dist/hostdeck.mjs ARGS` in a tmux pane of the given size. */
  static start(opts: TerminalOptions = {}): Terminal {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (node scripts/build.mjs)`);
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-e2e-'));
    const socket = join(dir, 'tmux.sock');
    const name = `e2e${process.pid}x${seq++}`;
    const env = { TERM: 'xterm-256color', HOSTDECK_DB: join(dir, 'state.db'), HOSTDECK_LOG: join(dir, 'hostdeck.log'), ...opts.env };
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    // The exit code is kept in a file so tests can assert on it after the program ends.
    const cmd = [process.execPath, join(ROOT, 'scripts/lib/exit-code.mjs'), join(dir, 'exit'), process.execPath, BIN, ...(opts.args ?? [])];
    execFileSync('tmux', ['-S', socket, '-f', '/dev/null', 'new-session', '-d', '-s', name, '-x', String(opts.columns ?? 100), '-y', String(opts.rows ?? 30), ...envArgs, ...cmd]);
    execFileSync('tmux', ['-S', socket, 'set-option', '-t', name, 'remain-on-exit', 'on']);
    return new Terminal(socket, dir, name);
  }

  get stateDir(): string { return this.dir; }

  private tmux(args: string[]): string {
    const r = spawnSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr}`);
    return r.stdout;
  }

  /** The visible screen as text, one line per row. */
  screen(): string {
    return this.tmux(['capture-pane', '-p', '-t', this.name]);
  }

  /** The visible screen with its colours and attributes as SGR escape sequences. */
  screenWithAttributes(): string {
    return this.tmux(['capture-pane', '-p', '-e', '-t', this.name]);
  }

  /** The scrollback and the visible screen (what the operator can scroll up to). */
  history(): string {
    return this.tmux(['capture-pane', '-p', '-S', '-', '-t', this.name]);
  }

  /** Send tmux key names ('Escape', 'Enter', 'Down', 'C-c') or literal text with `type`. */
  press(...keys: string[]): this {
    this.tmux(['send-keys', '-t', this.name, ...keys]);
    return this;
  }

  type(text: string): this {
    this.tmux(['send-keys', '-t', this.name, '-l', text]);
    return this;
  }

  resize(columns: number, rows: number): this {
    this.tmux(['resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows)]);
    return this;
  }

  /** Wait until the screen matches (string: contains; RegExp: test); throws with the last screen. */
  async waitFor(what: string | RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const test = typeof what === 'function' ? what : typeof what === 'string' ? (s: string) => s.includes(what) : (s: string) => what.test(s);
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (test(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(what)}; screen was:\n${last}`);
  }

  /** Wait for the program to end; returns its exit code. */
  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const f = join(this.dir, 'exit');
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (existsSync(f)) {
        const t = readFileSync(f, 'utf8').trim();
        if (t) return Number(t);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`program did not exit within ${timeoutMs} ms; screen was:\n${this.screen()}`);
  }

  /** Wait for the first complete frame (the key bar is drawn and input is live). */
  async ready(timeoutMs = 10_000): Promise<this> {
    await this.waitFor(/Command palette\s*$/m, timeoutMs);
    await new Promise((r) => setTimeout(r, 100));
    return this;
  }

  log(): string {
    try { return readFileSync(join(this.dir, 'hostdeck.log'), 'utf8'); } catch { return ''; }
  }

  close(): void {
    spawnSync('tmux', ['-S', this.socket, 'kill-server'], { encoding: 'utf8' });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
