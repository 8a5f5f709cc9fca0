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

  async writeFile(path: string, text: string, opts: { ensureDir?: boolean } = {}): Promise<void> {
    // Write beside (install -D makes the directory too) and rename, so a reader never sees half a file.
    const tmp = `${path}.${randomUUID().slice(0, 8)}.hostdeck-new`;
    await this.ok('install', [...(opts.ensureDir !== false ? ['-D'] : []), '-m', '0644', '--', '/dev/stdin', tmp], { input: text });
    await this.ok('mv', ['-f', '--', tmp, path]);
  }

  /**
   * A file only root may read (mode 0600, its directory made when missing), in one program start.
   * Not atomic: for files a daemon reads only when told to (NetworkManager keyfiles).
   */
  async writePrivateFile(path: string, text: string): Promise<void> {
    await this.ok('install', ['-D', '-m', '0600', '--', '/dev/stdin', path], { input: text });
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
