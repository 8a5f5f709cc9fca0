// withTestHost: a real Linux test host under QEMU (KVM where it can run
// guests, TCG otherwise) booting Debian's generic kernel with this machine's
// own root, read-only over virtio-9p under a tmpfs overlay. hostdeck's code,
// Node and every Debian tool installed here run inside unchanged.
//
// The host is driven by an agent (scripts/testhost/guest-init) on a
// virtio-serial port; requests and their output travel through a shared
// exchange directory (9p, mounted at /run/testhost inside).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { closeSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensureImage, chooseAccel, type BootImage, type Accel } from './image.ts';
import { MARK, TAP_PREFIX, sweepStale, trackDir, trackProcess, untrackDir, untrackProcess } from './cleanup.ts';
import { REPO_ROOT, sleep, waitExit } from './proc.ts';
import { Qmp } from './qmp.ts';
import type { Segment } from './segment.ts';
import type { Cable } from './cable.ts';
import { SERVICE_DEPENDENCIES, serviceArgs, type ServiceName, type ServiceOptions } from './services.ts';

export interface NicSpec {
  /** Join this machine-side segment (netns bridge) through a tap device. */
  segment?: Segment;
  /** Or plug into one end of this cable (the other end: a NIC of another test host). Unlinked when neither. */
  cable?: Cable;
  /** MAC address; random locally administered 52:54:00:xx:xx:xx otherwise. */
  mac?: string;
  /** Link (carrier) state at boot; default up. */
  up?: boolean;
}

export type ServiceRequest = ServiceName | { [N in ServiceName]: { name: N; options?: ServiceOptions[N] } }[ServiceName];

export interface TestHostOptions {
  /** Host name inside and label of its logs (letters, digits, dashes). Default "testhost". */
  name?: string;
  /** NICs (virtio-net, eth0.. inside, in this order): a count of unlinked NICs or one spec per NIC. Default 1. */
  nics?: number | NicSpec[];
  /** Guest memory, default 1024 MiB. */
  memoryMb?: number;
  /** Guest CPUs, default 1. */
  cpus?: number;
  /** Services started (and waited on) after boot, dependencies first. */
  services?: ServiceRequest[];
  /** Limit for fn (after the boot), after which the host is torn down and withTestHost rejects. Default 600 s. */
  timeoutMs?: number;
  /** Limit for boot alone. Default 180 s. */
  bootTimeoutMs?: number;
  /** Copy console and service logs to test-results/testhost/: on failure (default), always, or never. */
  keepLogs?: 'on-failure' | 'always' | 'never';
  /** Extra kernel command-line arguments. */
  kernelArgs?: string[];
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Working directory inside the host; default /. */
  cwd?: string;
  /** Standard input. */
  input?: string | Buffer;
  /** Killed (SIGTERM, then SIGKILL 3 s later) after this long, with timedOut set; default 120 s. 0: no limit. */
  timeoutMs?: number;
}

export interface RunResult {
  argv: string[];
  /** Exit code (128 + signal number when killed, e.g. 143 after a timeout). */
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export interface HostNic {
  index: number;
  /** Interface name inside the host (eth0, eth1, ...). */
  name: string;
  mac: string;
  /** QEMU netdev id (for QMP). */
  netdev: string;
  /** Tap device name when on a segment (inside the segment's namespace). */
  tap?: string;
  segment?: Segment;
  cable?: Cable;
}

export class TestHostError extends Error {}

let hostSeq = 0;
const DEFAULT_RUN_TIMEOUT = 120_000;

export class TestHost {
  readonly name: string;
  readonly id: string;
  readonly nics: HostNic[];
  readonly workDir: string;
  /** Exchange directory on the machine; /run/testhost inside the host. */
  readonly xferDir: string;
  /** Service logs on the machine (/run/testhost/logs inside). */
  readonly logDir: string;
  readonly consoleLog: string;
  image?: BootImage;
  accel?: Accel;
  /** Milliseconds from QEMU start to the agent's "ready". */
  bootMs = 0;

  private qemu?: ChildProcess;
  private qmp?: Qmp;
  private agent?: Socket;
  private servers: Server[] = [];
  private seq = 0;
  private pending = new Map<number, (code: number) => void>();
  private ready?: () => void;
  private dead?: Error;
  private deathWatchers = new Set<(e: Error) => void>();
  private started = new Set<ServiceName>();
  private readonly options: TestHostOptions;
  private destroyed = false;
  private failedMark = false;
  private destroyedFully = false;

  constructor(options: TestHostOptions = {}) {
    this.options = options;
    this.name = (options.name ?? 'testhost').replace(/[^A-Za-z0-9-]/g, '-').slice(0, 24);
    hostSeq++;
    this.id = `${MARK}-${process.pid}-${hostSeq}-${this.name}`;
    const specs: NicSpec[] = typeof options.nics === 'number' ? Array.from({ length: options.nics }, () => ({}))
      : options.nics ?? [{}];
    const tapBase = `${TAP_PREFIX}${process.pid.toString(36)}h${hostSeq.toString(36)}n`;
    this.nics = specs.map((s, index) => ({
      index,
      name: `eth${index}`,
      mac: s.mac ?? `52:54:00:${[...randomBytes(2)].map((b) => b.toString(16).padStart(2, '0')).join(':')}:${index.toString(16).padStart(2, '0')}`,
      netdev: `n${index}`,
      ...(s.segment ? { tap: `${tapBase}${index}`, segment: s.segment } : {}),
      ...(s.cable && !s.segment ? { cable: s.cable } : {}),
    }));
    this.workDir = mkdtempSync(join(tmpdir(), `${MARK}-${process.pid}-${this.name}-`));
    trackDir(this.workDir);
    this.xferDir = join(this.workDir, 'xfer');
    this.logDir = join(this.xferDir, 'logs');
    mkdirSync(join(this.xferDir, 'req'), { recursive: true });
    mkdirSync(this.logDir, { recursive: true });
    this.consoleLog = join(this.workDir, 'console.log');
  }

  /** Boots the host and waits for its agent (then starts options.services). */
  async boot(): Promise<void> {
    sweepStale();
    const [image, accel] = await Promise.all([ensureImage(), chooseAccel()]);
    this.image = image;
    this.accel = accel.accel;
    const qmpSock = join(this.workDir, 'qmp.sock');
    const agentSock = join(this.workDir, 'agent.sock');
    const qmpConn = this.listen(qmpSock);
    const agentConn = this.listen(agentSock);
    const specs = typeof this.options.nics === 'number' ? [] : this.options.nics ?? [];

    const cmdline = [
      'console=ttyS0', 'loglevel=4', 'panic=-1', 'acpi=noirq', 'net.ifnames=0', 'biosdevname=0',
      'mitigations=off', 'tsc=reliable', 'no_timer_check', 'cryptomgr.notests', 'random.trust_cpu=on',
      `hostdeck.hostname=${this.name}`, `hostdeck.modules=${image.modules}`,
      `hostdeck.init=${join(REPO_ROOT, 'scripts/testhost/guest-init')}`,
      ...(this.options.kernelArgs ?? []),
    ].join(' ');
    const args = [
      '-name', this.id,
      '-machine', 'pc', '-accel', accel.accel, '-cpu', accel.accel === 'kvm' ? 'host' : 'max',
      '-m', String(this.options.memoryMb ?? 1024), '-smp', String(this.options.cpus ?? 1),
      '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
      '-kernel', image.kernel, '-initrd', image.initrd, '-append', cmdline,
      '-chardev', `file,id=con,path=${this.consoleLog}`, '-serial', 'chardev:con',
      '-chardev', `socket,id=qmp,path=${qmpSock}`, '-mon', 'chardev=qmp,mode=control',
      '-device', 'virtio-serial-pci,id=vser,addr=0x3',
      '-chardev', `socket,id=agent,path=${agentSock}`, '-device', 'virtserialport,bus=vser.0,chardev=agent,name=hostdeck.agent',
      '-fsdev', 'local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap',
      '-device', 'virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot,addr=0x4',
      '-fsdev', `local,id=xfer,path=${this.xferDir},security_model=none,multidevs=remap`,
      '-device', 'virtio-9p-pci,fsdev=xfer,mount_tag=xfer,addr=0x5',
      '-object', 'rng-random,id=rng,filename=/dev/urandom', '-device', 'virtio-rng-pci,rng=rng,addr=0x6',
    ];
    for (const nic of this.nics) {
      if (nic.tap) args.push('-netdev', `tap,id=${nic.netdev},ifname=${nic.tap},script=no,downscript=no`);
      else if (nic.cable) args.push('-netdev', nic.cable.netdev(nic.netdev));
      else args.push('-netdev', `hubport,id=${nic.netdev},hubid=${nic.index}`);
      args.push('-device', `virtio-net-pci,netdev=${nic.netdev},mac=${nic.mac},addr=0x${(0x10 + nic.index).toString(16)}`);
    }

    const logFd = openSync(join(this.workDir, 'qemu.log'), 'a');
    writeFileSync(join(this.workDir, 'qemu.argv'), ['qemu-system-x86_64', ...args].join('\n') + '\n');
    const t0 = performance.now();
    const qemu = spawn('setpriv', ['--pdeathsig', 'KILL', 'qemu-system-x86_64', ...args], { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    this.qemu = qemu;
    trackProcess(qemu);
    qemu.once('exit', (code, signal) => {
      this.die(new TestHostError(`QEMU of ${this.name} exited (${signal ?? code})${this.destroyed ? '' : `\n${this.tail()}`}`));
    });
    qemu.once('error', (e) => this.die(new TestHostError(`cannot start QEMU: ${e.message}`)));

    const bootTimeout = this.options.bootTimeoutMs ?? 180_000;
    try {
      await this.guard(bootTimeout, 'boot', (async () => {
        this.qmp = new Qmp(await qmpConn);
        await this.qmp.start();
        for (const [i, nic] of this.nics.entries()) {
          if (nic.tap && nic.segment) await nic.segment.attach(nic.tap);
          if (specs[i]?.up === false) await this.setLink(i, false);
        }
        const sock = await agentConn;
        this.agent = sock;
        const readyP = new Promise<void>((res) => { this.ready = res; });
        this.readAgent(sock);
        await readyP;
      })());
    } catch (e) {
      // QEMU failing at start closes its sockets first: report why it exited.
      await waitExit(qemu, 1000);
      throw this.dead ?? e;
    }
    this.bootMs = performance.now() - t0;
    if (this.options.services?.length) await this.startServices(this.options.services);
  }

  private listen(path: string): Promise<Socket> {
    return new Promise((res, rej) => {
      const srv = createServer((sock) => { srv.close(); res(sock); });
      srv.on('error', rej);
      srv.listen(path);
      this.servers.push(srv);
    });
  }

  private readAgent(sock: Socket): void {
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const [cmd, id, code] = buf.slice(0, i).trim().split(' ');
        buf = buf.slice(i + 1);
        if (cmd === 'ready') this.ready?.();
        else if (cmd === 'done') {
          const cb = this.pending.get(Number(id));
          this.pending.delete(Number(id));
          cb?.(Number(code));
        }
      }
    });
    sock.on('close', () => this.die(new TestHostError(`the agent of ${this.name} hung up\n${this.tail()}`)));
    sock.on('error', () => undefined);
  }

  private die(e: Error): void {
    if (this.dead) return;
    this.dead = e;
    for (const w of this.deathWatchers) w(e);
  }

  /** Races p against the host dying and a time limit. */
  private guard<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
    p.catch(() => undefined);
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<T>((res, rej) => {
      const timer = ms > 0 ? setTimeout(() => { done(); rej(new TestHostError(`${this.name}: ${what} did not finish within ${ms} ms\n${this.tail()}`)); }, ms) : undefined;
      const onDeath = (e: Error): void => { done(); rej(e); };
      const done = (): void => { if (timer) clearTimeout(timer); this.deathWatchers.delete(onDeath); };
      this.deathWatchers.add(onDeath);
      p.then((v) => { done(); res(v); }, (e: unknown) => { done(); rej(e); });
    });
  }

  /** The last lines of the serial console (for error messages). */
  tail(lines = 25): string {
    let out = '';
    try {
      const text = readFileSync(this.consoleLog, 'utf8').split('\n');
      out += `--- console of ${this.name} (last ${lines} lines) ---\n${text.slice(-lines).join('\n')}`;
    } catch { /* not started */ }
    try {
      const q = readFileSync(join(this.workDir, 'qemu.log'), 'utf8').split('\n')
        .filter((l) => l && !/hub \d+ is not connected to host network/.test(l));
      if (q.length) out += `\n--- QEMU of ${this.name} ---\n${q.slice(-10).join('\n')}`;
    } catch { /* not started */ }
    return out;
  }

  /** Runs argv inside the host (no shell) and returns its exit code and output. */
  async run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
    if (!argv.length) throw new TestHostError('run: empty argv');
    if (this.dead) throw this.dead;
    if (!this.agent) throw new TestHostError(`${this.name} is not booted`);
    const id = ++this.seq;
    const dir = join(this.xferDir, 'req', String(id));
    mkdirSync(dir);
    writeFileSync(join(dir, 'argv'), argv.map((a) => `${a}\0`).join(''));
    if (opts.env) writeFileSync(join(dir, 'env'), Object.entries(opts.env).map(([k, v]) => `${k}=${v}\0`).join(''));
    if (opts.cwd) writeFileSync(join(dir, 'cwd'), opts.cwd);
    if (opts.input !== undefined) writeFileSync(join(dir, 'stdin'), opts.input);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_RUN_TIMEOUT;
    const t0 = performance.now();
    const codeP = new Promise<number>((res) => this.pending.set(id, res));
    this.agent?.write(`run ${id}\n`);
    let timedOut = false;
    const killTimer = timeoutMs ? setTimeout(() => { timedOut = true; this.agent?.write(`kill ${id}\n`); }, timeoutMs) : undefined;
    let code: number;
    try {
      code = await this.guard(timeoutMs ? timeoutMs + 15_000 : 0, `${argv.join(' ')}`, codeP);
    } finally {
      if (killTimer) clearTimeout(killTimer);
      this.pending.delete(id);
    }
    const durationMs = performance.now() - t0;
    const read = (f: string): string => { try { return readFileSync(join(dir, f), 'utf8'); } catch { return ''; } };
    const result: RunResult = { argv, code, stdout: read('stdout'), stderr: read('stderr'), timedOut, durationMs };
    rmSync(dir, { recursive: true, force: true });
    appendFileSync(join(this.workDir, 'commands.log'),
      `$ ${argv.map((a) => JSON.stringify(a)).join(' ')}  -> ${code} (${Math.round(durationMs)} ms)\n${indent(result.stdout)}${indent(result.stderr, 'err| ')}`);
    return result;
  }

  /** Like run, but throws (with the output) unless the exit code is 0. */
  async mustRun(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
    const r = await this.run(argv, opts);
    if (r.code !== 0) throw new TestHostError(`${this.name}: ${argv.join(' ')} exited ${r.code}\n${r.stderr}${r.stdout}`);
    return r;
  }

  /**
   * Starts argv inside the host in the background, detached from the agent
   * (start-stop-daemon, no shell): standard output and error go to `log`, the
   * pid to `pidFile` (default `<log>.pid`). Returns the pid.
   */
  async spawnBackground(argv: string[], opts: { log: string; pidFile?: string; env?: Record<string, string>; cwd?: string }): Promise<number> {
    if (!argv[0]?.startsWith('/')) throw new TestHostError(`spawnBackground: the program must be an absolute path: ${argv[0] ?? '(none)'}`);
    const pidFile = opts.pidFile ?? `${opts.log}.pid`;
    await this.mustRun(['start-stop-daemon', '--start', '--background', '--make-pidfile', '--pidfile', pidFile, '--output', opts.log,
      '--chdir', opts.cwd ?? '/', '--exec', argv[0], '--', ...argv.slice(1)], { env: opts.env });
    return Number((await this.readFile(pidFile)).trim());
  }

  /**
   * Runs argv inside the host until `ok` accepts its result (no shell); throws
   * with the last output when that does not happen within timeoutMs.
   */
  async waitUntil(argv: string[], ok: (r: RunResult) => boolean, opts: { timeoutMs: number; intervalMs?: number; what: string }): Promise<RunResult> {
    const deadline = Date.now() + opts.timeoutMs;
    for (;;) {
      const r = await this.run(argv, { timeoutMs: Math.max(1000, deadline - Date.now()) });
      if (ok(r)) return r;
      if (Date.now() >= deadline) throw new TestHostError(`${this.name}: ${opts.what} within ${Math.round(opts.timeoutMs / 1000)} s (last ${argv.join(' ')}: exit ${r.code})\n${r.stderr}${r.stdout}`);
      await sleep(opts.intervalMs ?? 300);
    }
  }

  /** Runs this machine's Node (with tsx, from the repository root) inside the host. */
  node(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return this.run([process.execPath, '--import', 'tsx', ...args], { cwd: REPO_ROOT, ...opts });
  }

  /** Runs a node:test file inside the host (TAP on stdout); the result's code is the test run's exit code. */
  runTestFile(file: string, opts: RunOptions = {}): Promise<RunResult> {
    return this.node(['--test', '--test-reporter=tap', file], opts);
  }

  async readFile(path: string): Promise<string> {
    return (await this.mustRun(['cat', '--', path])).stdout;
  }

  async writeFile(path: string, data: string | Buffer): Promise<void> {
    await this.mustRun(['tee', '--', path], { input: data });
  }

  /** Starts a service (and what it needs) inside the host and waits until it is ready. */
  start<N extends ServiceName>(name: N, options?: ServiceOptions[N]): Promise<void> {
    return this.startServices([{ name, options } as ServiceRequest]);
  }

  /**
   * Starts services in order (dependencies first, each once) in one call
   * inside the host, each waited on until ready. Throws with the service's
   * log when one does not come up.
   */
  async startServices(requests: ServiceRequest[]): Promise<void> {
    const order: { name: ServiceName; options?: object }[] = [];
    // A service asked for with options is started each time (e.g. one
    // iscsi-target per target); without, only once.
    const add = (name: ServiceName, options?: object): void => {
      for (const dep of SERVICE_DEPENDENCIES[name]) if (!this.started.has(dep) && !order.some((o) => o.name === dep)) add(dep);
      if (options || !order.some((o) => o.name === name)) order.push({ name, options });
    };
    for (const r of requests) {
      if (typeof r === 'string') add(r);
      else add(r.name, r.options);
    }
    const todo = order.filter((o) => !this.started.has(o.name) || o.options);
    if (!todo.length) return;
    const argv = ['bash', join(REPO_ROOT, 'scripts/testhost/services/start')];
    todo.forEach((o, i) => argv.push(...(i ? ['--'] : []), o.name, ...serviceArgs(o.options)));
    const r = await this.run(argv, { timeoutMs: 180_000 });
    if (r.code !== 0) {
      const failed = todo.find((o) => r.stderr.startsWith(`${o.name}:`))?.name ?? todo.map((o) => o.name).join(', ');
      const logs = todo.map((o) => {
        try { return `--- ${o.name}.log ---\n${readFileSync(join(this.logDir, `${o.name}.log`), 'utf8').split('\n').slice(-30).join('\n')}`; } catch { return ''; }
      }).join('\n');
      throw new TestHostError(`${this.name}: service ${failed} did not start (exit ${r.code})\n${r.stderr}${r.stdout}\n${logs}`);
    }
    for (const o of todo) this.started.add(o.name);
  }

  /** Plugs (up) or pulls (down) a NIC's cable from the machine side: QMP set_link, the guest sees carrier change. */
  async setLink(nic: number, up: boolean): Promise<void> {
    const n = this.nics[nic];
    if (!n) throw new TestHostError(`${this.name} has no NIC ${nic}`);
    if (!this.qmp) throw new TestHostError(`${this.name} is not running`);
    await this.qmp.execute('set_link', { name: n.netdev, up });
  }

  /** The QEMU process id (undefined before boot). */
  get qemuPid(): number | undefined { return this.qemu?.pid; }

  /** QMP access for anything else (e.g. query-status). */
  qmpExecute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    if (!this.qmp) return Promise.reject(new TestHostError(`${this.name} is not running`));
    return this.qmp.execute(command, args);
  }

  /** Powers the host off from inside and waits for QEMU to exit. Resolves with the milliseconds it took. */
  async poweroff(timeoutMs = 10_000): Promise<number> {
    const t0 = performance.now();
    const q = this.qemu;
    if (!q) return 0;
    this.destroyed = true;
    this.agent?.write('poweroff\n');
    if (!(await waitExit(q, timeoutMs))) {
      q.kill('SIGKILL');
      await waitExit(q, 5000);
    }
    return performance.now() - t0;
  }

  /** Marks the host's test as failed: destroy() then keeps its logs (see keepLogs option). */
  markFailed(): void { this.failedMark = true; }

  /**
   * Wraps a test body so that a failure marks these hosts as failed (their
   * logs are kept) before it propagates: `it('...', guard([host], async () => ...))`.
   */
  static keepLogsOnFailure<A extends unknown[]>(hosts: () => (TestHost | undefined)[], fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
    return async (...args: A) => {
      try { await fn(...args); } catch (e) { for (const h of hosts()) h?.markFailed(); throw e; }
    };
  }

  /** Tears the host down: QEMU (poweroff, then SIGKILL), sockets, taps (go with QEMU), work directory. */
  async destroy(opts: { failed?: boolean } = {}): Promise<void> {
    if (this.destroyedFully) return;
    this.destroyedFully = true;
    this.destroyed = true;
    const q = this.qemu;
    if (q && q.exitCode === null && q.signalCode === null) {
      if (this.agent && !this.dead) await this.poweroff(2000);
      else { q.kill('SIGKILL'); await waitExit(q, 5000); }
    }
    if (q) untrackProcess(q);
    this.qmp?.close();
    this.agent?.destroy();
    for (const s of this.servers) s.close();
    const keep = this.options.keepLogs ?? 'on-failure';
    if (keep === 'always' || (keep === 'on-failure' && (opts.failed || this.failedMark))) this.keepLogs();
    rmSync(this.workDir, { recursive: true, force: true });
    untrackDir(this.workDir);
  }

  /** Copies console, QEMU and service logs to test-results/testhost/<host>-<time>/; returns the directory. */
  keepLogs(): string {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dest = join(REPO_ROOT, 'test-results', 'testhost', `${stamp}-${this.name}-${process.pid}`);
    mkdirSync(dest, { recursive: true });
    for (const f of ['console.log', 'qemu.log', 'qemu.argv', 'commands.log']) {
      if (existsSync(join(this.workDir, f))) copyFileSync(join(this.workDir, f), join(dest, f));
    }
    if (existsSync(this.logDir) && readdirSync(this.logDir).length) cpSync(this.logDir, join(dest, 'services'), { recursive: true });
    for (const nic of this.nics) {
      const segLogs = nic.segment?.logDir();
      if (segLogs && existsSync(segLogs)) cpSync(segLogs, join(dest, `segment-${nic.segment?.name ?? 'x'}`), { recursive: true, force: true });
    }
    process.stderr.write(`[testhost] logs of ${this.name} kept in ${dest}\n`);
    return dest;
  }
}

function indent(text: string, prefix = '  | '): string {
  if (!text) return '';
  const t = text.length > 4000 ? `${text.slice(0, 4000)}\n...(${text.length - 4000} more bytes)` : text;
  return t.replace(/\n$/, '').split('\n').map((l) => prefix + l).join('\n') + '\n';
}

/**
 * Boots a test host, runs fn with it, and tears it down on success, failure
 * and timeout (bootTimeoutMs for the boot, timeoutMs for fn). Logs are kept
 * in test-results/testhost/ when the boot or fn fails.
 */
export async function withTestHost<T>(options: TestHostOptions, fn: (host: TestHost) => Promise<T>): Promise<T> {
  return withTestHosts([options], ([host]) => fn(host as TestHost), options.timeoutMs);
}

/** Several hosts booted in parallel (e.g. linked through one Segment); all torn down afterwards. */
export async function withTestHosts<T>(options: TestHostOptions[], fn: (hosts: TestHost[]) => Promise<T>, timeoutMs?: number): Promise<T> {
  const hosts = options.map((o) => new TestHost(o));
  const limit = timeoutMs ?? Math.max(...options.map((o) => o.timeoutMs ?? 600_000));
  let failed = false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const boots = await Promise.allSettled(hosts.map((h) => h.boot()));
    const bad = boots.find((b): b is PromiseRejectedResult => b.status === 'rejected');
    if (bad) throw bad.reason;
    const work = fn(hosts);
    work.catch(() => undefined);
    const timeout = new Promise<never>((_, rej) => {
      timer = setTimeout(() => rej(new TestHostError(`test host(s) ${hosts.map((h) => h.name).join(', ')}: timed out after ${limit} ms\n${hosts.map((h) => h.tail()).join('\n')}`)), limit);
    });
    return await Promise.race([work, timeout]);
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    if (timer) clearTimeout(timer);
    await Promise.all(hosts.map((h) => h.destroy({ failed })));
  }
}
