// A network segment on the machine: a network namespace holding a Linux
// bridge (br0). Test-host NICs join it as tap devices; machine-side peers
// (ping, a DHCP server, an SSH client) run inside the namespace and reach
// the hosts through the bridge's own address. Nothing touches the
// machine's own interfaces or routing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MARK, NETNS_PREFIX, sweepStale, trackDir, trackNetns, trackProcess, untrackDir, untrackNetns, untrackProcess } from './cleanup.ts';
import { mustProc, runProc, sleep, waitExit, type ProcOptions, type ProcResult } from './proc.ts';

export interface SegmentOptions {
  /** A label for logs. */
  name?: string;
  /** Address (CIDR) the machine side has on the segment's bridge, e.g. "192.168.77.1/24". None by default. */
  address?: string;
}

export interface DhcpOptions {
  /** First and last address handed out, e.g. ["192.168.77.100", "192.168.77.150"]. Needs the segment's address. */
  range: [string, string];
  leaseSeconds?: number;
  /** Fixed leases: MAC -> address. */
  hosts?: Record<string, string>;
}

let counter = 0;

export class Segment {
  readonly ns: string;
  readonly bridge = 'br0';
  readonly name: string;
  readonly address: string | undefined;
  private readonly dir: string;
  private readonly children = new Set<ChildProcess>();
  private disposed = false;

  private constructor(opts: SegmentOptions) {
    this.ns = `${NETNS_PREFIX}${process.pid}-${++counter}`;
    this.name = opts.name ?? this.ns;
    this.address = opts.address;
    this.dir = mkdtempSync(join(tmpdir(), `${MARK}-${process.pid}-seg-`));
    trackDir(this.dir);
  }

  static async create(opts: SegmentOptions = {}): Promise<Segment> {
    sweepStale();
    const seg = new Segment(opts);
    trackNetns(seg.ns);
    try {
      await mustProc(['ip', 'netns', 'add', seg.ns]);
      await mustProc(['ip', '-n', seg.ns, 'link', 'set', 'lo', 'up']);
      // No STP, no forwarding delay: a joining NIC forwards at once. LLDP
      // frames (01:80:c2:00:00:0e) are forwarded, so hosts see each other as
      // LLDP neighbours as if cabled back to back.
      await mustProc(['ip', '-n', seg.ns, 'link', 'add', seg.bridge, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0', 'group_fwd_mask', '0x4000']);
      await mustProc(['ip', '-n', seg.ns, 'link', 'set', seg.bridge, 'up']);
      if (seg.address) await mustProc(['ip', '-n', seg.ns, 'addr', 'add', seg.address, 'dev', seg.bridge]);
    } catch (e) {
      await seg.dispose();
      throw e;
    }
    return seg;
  }

  /** Moves a tap device (created by QEMU in this machine's namespace) into the segment and onto the bridge. */
  async attach(tap: string): Promise<void> {
    await mustProc(['ip', 'link', 'set', 'dev', tap, 'netns', this.ns]);
    await mustProc(['ip', '-n', this.ns, 'link', 'set', 'dev', tap, 'master', this.bridge, 'up']);
  }

  /** Sets a port of the bridge (a host's tap) up or down on the machine side. */
  async setPort(tap: string, up: boolean): Promise<void> {
    await mustProc(['ip', '-n', this.ns, 'link', 'set', 'dev', tap, up ? 'up' : 'down']);
  }

  /** Runs argv inside the segment's namespace (e.g. ping, ssh) and returns code and output. */
  exec(argv: string[], opts: ProcOptions = {}): Promise<ProcResult> {
    return runProc(['ip', 'netns', 'exec', this.ns, ...argv], opts);
  }

  /**
   * Starts a long-running program inside the namespace; it is killed on
   * dispose() (and with this process). Output goes to a log file.
   */
  spawn(argv: string[], logName = 'proc'): { child: ChildProcess; log: string } {
    const log = join(this.dir, `${logName}-${this.children.size + 1}.log`);
    const fd = openSync(log, 'a');
    const child = spawn('setpriv', ['--pdeathsig', 'KILL', 'ip', 'netns', 'exec', this.ns, ...argv], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    trackProcess(child);
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return { child, log };
  }

  /** Serves DHCP on the segment with dnsmasq (machine side). Resolves once it listens. */
  async serveDhcp(opts: DhcpOptions): Promise<{ leases: () => string; log: string }> {
    if (!this.address) throw new Error('serveDhcp needs a segment address');
    const leaseFile = join(this.dir, 'dnsmasq.leases');
    writeFileSync(leaseFile, '');
    const argv = ['dnsmasq', '--keep-in-foreground', '--no-daemon', '--conf-file=/dev/null', '--no-resolv', '--no-hosts',
      '--port=0', `--interface=${this.bridge}`, '--bind-interfaces', '--except-interface=lo', `--pid-file=${join(this.dir, 'dnsmasq.pid')}`,
      `--dhcp-leasefile=${leaseFile}`, '--log-dhcp', '--user=root', '--group=root',
      `--dhcp-range=${opts.range[0]},${opts.range[1]},${opts.leaseSeconds ?? 600}`];
    for (const [mac, ip] of Object.entries(opts.hosts ?? {})) argv.push(`--dhcp-host=${mac},${ip}`);
    const { child, log } = this.spawn(argv, 'dnsmasq');
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`dnsmasq exited ${child.exitCode}: ${readFileSync(log, 'utf8')}`);
      const r = await this.exec(['ss', '-Hlun', 'sport', '=', ':67']);
      if (r.stdout.trim()) return { leases: () => readFileSync(leaseFile, 'utf8'), log };
      await sleep(50);
    }
    throw new Error(`dnsmasq did not listen: ${readFileSync(log, 'utf8')}`);
  }

  /**
   * A DNS server on the segment's address (dnsmasq, port 53): answers the
   * given names, NXDOMAIN for any other (it asks no upstream server).
   */
  async serveDns(records: Record<string, string> = {}): Promise<{ log: string }> {
    if (!this.address) throw new Error('serveDns needs a segment address');
    const listen = this.address.split('/')[0]!;
    const argv = ['dnsmasq', '--keep-in-foreground', '--no-daemon', '--conf-file=/dev/null', '--no-resolv', '--no-hosts',
      '--port=53', `--listen-address=${listen}`, '--bind-interfaces', `--pid-file=${join(this.dir, 'dnsmasq-dns.pid')}`,
      '--log-queries', '--user=root', '--group=root'];
    for (const [name, ip] of Object.entries(records)) argv.push(`--address=/${name}/${ip}`);
    const { child, log } = this.spawn(argv, 'dnsmasq-dns');
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`dnsmasq exited ${child.exitCode}: ${readFileSync(log, 'utf8')}`);
      const r = await this.exec(['ss', '-Hlun', 'sport', '=', ':53']);
      if (r.stdout.trim()) return { log };
      await sleep(50);
    }
    throw new Error(`dnsmasq did not listen on port 53: ${readFileSync(log, 'utf8')}`);
  }

  /** Logs of the programs spawned on the segment (for failure reports). */
  logDir(): string { return this.dir; }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.children) {
      try { c.kill('SIGKILL'); } catch { /* gone */ }
      await waitExit(c, 2000);
      untrackProcess(c);
    }
    await runProc(['ip', 'netns', 'del', this.ns]);
    untrackNetns(this.ns);
    rmSync(this.dir, { recursive: true, force: true });
    untrackDir(this.dir);
  }
}

/** Creates a segment for the duration of fn and removes it afterwards, whatever happens. */
export async function withSegment<T>(opts: SegmentOptions, fn: (seg: Segment) => Promise<T>): Promise<T> {
  const seg = await Segment.create(opts);
  try {
    return await fn(seg);
  } finally {
    await seg.dispose();
  }
}
