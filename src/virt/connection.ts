// The libvirt connection: @unraid/libvirt for the calls it has, `virsh`
// through the runner for the rest. When libvirtd goes away the status says
// "disconnected" and the connection is re-opened with backoff on its own.
import type { Hypervisor as HypervisorT } from '@unraid/libvirt';
import { run } from '../exec/runner.ts';
import { parseVirshVersion } from './version.ts';
import { domainStateName, type ConnectionStatus, type DomainSummary, type VirtVersion } from './types.ts';

type Binding = typeof import('@unraid/libvirt');
let bindingPromise: Promise<Binding> | undefined;
const loadBinding = () => (bindingPromise ??= import('@unraid/libvirt'));

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];

export class VirtConnection {
  private hv?: HypervisorT;
  private opening?: Promise<HypervisorT>;
  private status: ConnectionStatus;
  private failures = 0;
  private listeners = new Set<(s: ConnectionStatus) => void>();

  constructor(public readonly uri: string) {
    this.status = { uri, state: 'connecting' };
  }

  getStatus(): ConnectionStatus {
    return this.status;
  }

  onStatus(fn: (s: ConnectionStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private setStatus(s: Partial<ConnectionStatus>): void {
    this.status = { ...this.status, ...s };
    if (s.state === 'connected') { delete this.status.error; delete this.status.retryAt; }
    for (const l of this.listeners) l(this.status);
  }

  /** The open hypervisor handle; opens (or re-opens) it when needed. Throws while in backoff. */
  async hypervisor(): Promise<HypervisorT> {
    if (this.hv) return this.hv;
    if (this.status.retryAt && Date.now() < this.status.retryAt) throw new Error(this.status.error ?? 'disconnected');
    this.opening ??= (async () => {
      try {
        const { Hypervisor } = await loadBinding();
        const hv = new Hypervisor({ uri: this.uri });
        await hv.connectOpen();
        this.hv = hv;
        this.failures = 0;
        this.setStatus({ state: 'connected' });
        // `virsh version` can take seconds (it probes the emulator): never hold the connection for it.
        void this.readVersion().then((version) => { if (this.hv === hv) this.setStatus({ version }); }, () => undefined);
        return hv;
      } catch (err) {
        this.markDown(err);
        throw err;
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }

  private markDown(err: unknown): void {
    const delay = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)]!;
    this.failures++;
    const hv = this.hv;
    this.hv = undefined;
    hv?.connectClose().catch(() => undefined);
    this.setStatus({ state: 'disconnected', error: cleanError(err), retryAt: Date.now() + delay });
  }

  /** Run a call against the hypervisor; a failure that means the daemon is gone marks the connection down. */
  async call<T>(fn: (hv: HypervisorT) => Promise<T>): Promise<T> {
    const hv = await this.hypervisor();
    try {
      return await fn(hv);
    } catch (err) {
      if (isConnectionError(err)) this.markDown(err);
      throw err;
    }
  }

  async readVersion(): Promise<VirtVersion> {
    const r = await run('virsh', ['-c', this.uri, 'version'], { timeoutMs: 5000 });
    if (r.exitCode !== 0) throw new Error(r.stderr.trim() || 'virsh version failed');
    return parseVirshVersion(r.stdout);
  }

  /** Every defined domain with its state and basic figures. */
  async domainList(): Promise<DomainSummary[]> {
    return this.call(async (hv) => {
      const doms = await hv.connectListAllDomains();
      return Promise.all(doms.map(async (d) => {
        const [name, uuid, info, id] = await Promise.all([hv.domainGetName(d), hv.domainGetUUIDString(d), hv.domainGetInfo(d), hv.domainGetID(d).catch(() => -1)]);
        return {
          uuid, name, id: typeof id === 'number' && id > 0 ? id : -1,
          state: domainStateName(info.state), vcpus: info.nrVirtCpu, memoryKiB: info.memory, maxMemoryKiB: info.maxMem, cpuTimeNs: Number(info.cpuTime ?? 0),
        } satisfies DomainSummary;
      }));
    });
  }

  async close(): Promise<void> {
    const hv = this.hv;
    this.hv = undefined;
    await hv?.connectClose().catch(() => undefined);
  }
}

function cleanError(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.replace(/\s+/g, ' ').trim();
}

/** libvirt errors that mean the connection itself is gone (daemon stopped or socket closed). */
export function isConnectionError(err: unknown): boolean {
  const m = err instanceof Error ? err.message : String(err);
  return /(not connected|connection (closed|reset)|Cannot recv data|Failed to connect socket|End of file while reading|client socket is closed|no connection driver|invalid connection pointer|Broken pipe)/i.test(m);
}
