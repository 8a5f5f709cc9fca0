// The target host as net-core sees it: programs through the injected runner
// (src/exec/runner.ts here, testHostRunner(host) in system tests) and files
// through the same runner (cat / tee / rm / mkdir, argument arrays only), so
// one code path works on this machine and against a test host.
import { randomUUID } from 'node:crypto';
import { RunError, type RunOptions, type RunResult } from '../../exec/runner.ts';

export interface NetRunner {
  run(command: string, args?: readonly string[], opts?: RunOptions): Promise<RunResult>;
  runOk?(command: string, args?: readonly string[], opts?: RunOptions): Promise<RunResult>;
}

export class Target {
  constructor(public readonly runner: NetRunner) {}

  run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return this.runner.run(command, args, opts);
  }

  async ok(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const r = await this.runner.run(command, args, opts);
    if (r.exitCode !== 0 || r.timedOut) throw new RunError(r);
    return r;
  }

  /** A file's text, or undefined when it does not exist. */
  async readFile(path: string): Promise<string | undefined> {
    const r = await this.runner.run('cat', ['--', path]);
    return r.exitCode === 0 ? r.stdout : undefined;
  }

  /** Directories made (or found) by writeFile during this target's life: mkdir -p once per directory. */
  private readonly dirs = new Set<string>();

  async writeFile(path: string, text: string, opts: { ensureDir?: boolean } = {}): Promise<void> {
    const dir = path.slice(0, path.lastIndexOf('/')) || '/';
    if (opts.ensureDir !== false && !this.dirs.has(dir)) {
      await this.ok('mkdir', ['-p', '--', dir]);
      this.dirs.add(dir);
    }
    // Write beside and rename, so a reader never sees half a file. (tee reads its standard input;
    // /dev/stdin cannot be opened where the runner's stdin is a socket, as with Node's pipes.)
    const tmp = `${path}.${randomUUID().slice(0, 8)}.hostdeck-new`;
    await this.ok('tee', ['--', tmp], { input: text });
    await this.ok('mv', ['-f', '--', tmp, path]);
  }

  /**
   * Files only root may read and write: written side by side (one tee each, in place: for files a
   * daemon reads only when told to, like NetworkManager keyfiles), then one chmod 0600 for all.
   */
  async writePrivateFiles(files: readonly (readonly [string, string])[]): Promise<void> {
    if (!files.length) return;
    const dirs = [...new Set(files.map(([p]) => p.slice(0, p.lastIndexOf('/')) || '/'))].filter((d) => !this.dirs.has(d));
    if (dirs.length) {
      await this.ok('mkdir', ['-p', '--', ...dirs]);
      for (const d of dirs) this.dirs.add(d);
    }
    await Promise.all(files.map(([p, text]) => this.ok('tee', ['--', p], { input: text })));
    await this.ok('chmod', ['0600', '--', ...files.map(([p]) => p)]);
  }

  async remove(path: string): Promise<void> {
    await this.ok('rm', ['-f', '--', path]);
  }

  /** Names in a directory (empty when it does not exist). */
  async list(dir: string): Promise<string[]> {
    const r = await this.runner.run('ls', ['-1', '--', dir]);
    return r.exitCode === 0 ? r.stdout.split('\n').filter(Boolean) : [];
  }
}
