// libvirt pools and volumes for storage domains, through `virsh` run by an
// injected runner (so the same code drives this machine's libvirtd or the
// one inside a test host). Parsers are shared with src/virt/storage.ts.
import type { RunOptions, RunResult } from '../../../exec/runner.ts';
import { parsePoolList, parseVolList, type StoragePool, type StorageVolume } from '../../../virt/storage.ts';
import { virshArgs, virshArgv, virshErrorMessage, type VirshArgs } from '../../../virt/virsh.ts';

export interface Runner {
  run(command: string, args?: readonly string[], opts?: RunOptions): Promise<RunResult>;
  runOk(command: string, args?: readonly string[], opts?: RunOptions): Promise<RunResult>;
}

export class LibvirtError extends Error {
  constructor(message: string, public readonly result?: RunResult) {
    super(message);
    this.name = 'LibvirtError';
  }
}

export interface PoolInfo {
  state: string;
  capacityBytes?: number;
  allocationBytes?: number;
  availableBytes?: number;
}

/** virsh pool-info --bytes output -> numbers. */
export function parsePoolInfo(text: string): PoolInfo {
  const get = (k: string) => new RegExp(`^${k}:\\s*(.+)$`, 'mi').exec(text)?.[1]?.trim();
  const num = (k: string) => {
    const v = get(k);
    return v && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  return { state: get('State') ?? 'unknown', capacityBytes: num('Capacity'), allocationBytes: num('Allocation'), availableBytes: num('Available') };
}

export class PoolClient {
  constructor(private readonly runner: Runner, private readonly uri: string) {}

  async virsh(args: VirshArgs, opts: { timeoutMs?: number } = {}): Promise<string> {
    const r = await this.runner.run('virsh', virshArgv(this.uri, args), { timeoutMs: opts.timeoutMs ?? 30_000, env: { LC_ALL: 'C' } });
    if (r.exitCode !== 0 || r.timedOut) {
      if (r.spawnError) throw new LibvirtError(`virsh is not installed: ${r.spawnError}`, r);
      const msg = r.timedOut ? `virsh ${args[0] ?? ''} did not answer within ${Math.round((opts.timeoutMs ?? 30_000) / 1000)} s` : virshErrorMessage(r.stderr || r.stdout, `virsh ${args[0] ?? ''} exited with code ${r.exitCode}`);
      throw new LibvirtError(msg, r);
    }
    return r.stdout;
  }

  async pools(): Promise<StoragePool[]> {
    return parsePoolList(await this.virsh(virshArgs('pool-list', {}, ['--all', '--details'])));
  }

  async pool(name: string): Promise<StoragePool | undefined> {
    return (await this.pools()).find((p) => p.name === name);
  }

  async poolInfo(name: string, timeoutMs = 15_000): Promise<PoolInfo> {
    return parsePoolInfo(await this.virsh(virshArgs('pool-info', { pool: name }, ['--bytes']), { timeoutMs }));
  }

  /** Define a pool unless one of that name exists; returns whether it was defined now. */
  async defineDir(name: string, target: string): Promise<boolean> {
    if (await this.pool(name)) return false;
    await this.virsh(virshArgs('pool-define-as', { name, type: 'dir', target }));
    return true;
  }

  async defineLogical(name: string, vg: string): Promise<boolean> {
    if (await this.pool(name)) return false;
    await this.virsh(virshArgs('pool-define-as', { name, type: 'logical', 'source-name': vg, target: `/dev/${vg}` }));
    return true;
  }

  /** Start a pool; an already running pool is success. */
  async start(name: string): Promise<void> {
    const p = await this.pool(name);
    if (p?.state === 'running') return;
    await this.virsh(virshArgs('pool-start', { pool: name }), { timeoutMs: 60_000 });
  }

  /** Stop a pool (pool-destroy stops it; the data stays); a stopped pool is success. */
  async stop(name: string): Promise<void> {
    const p = await this.pool(name);
    if (!p || p.state !== 'running') return;
    await this.virsh(virshArgs('pool-destroy', { pool: name }), { timeoutMs: 60_000 });
  }

  /** Forget a pool (stop + undefine); never deletes data. */
  async undefine(name: string): Promise<void> {
    const p = await this.pool(name);
    if (!p) return;
    if (p.state === 'running') await this.virsh(virshArgs('pool-destroy', { pool: name }), { timeoutMs: 60_000 });
    if (p.persistent) await this.virsh(virshArgs('pool-undefine', { pool: name }));
  }

  async refresh(name: string): Promise<void> {
    await this.virsh(virshArgs('pool-refresh', { pool: name }), { timeoutMs: 60_000 });
  }

  async volumes(pool: string): Promise<StorageVolume[]> {
    return parseVolList(await this.virsh(virshArgs('vol-list', { pool }, ['--details']), { timeoutMs: 30_000 }));
  }

  async volumeCreate(pool: string, name: string, sizeBytes: number, format: 'qcow2' | 'raw', opts: { thin?: boolean } = {}): Promise<string> {
    await this.virsh(virshArgs('vol-create-as', { pool, name, capacity: `${sizeBytes}b`, format, allocation: opts.thin ? '0' : undefined }), { timeoutMs: 300_000 });
    return (await this.virsh(virshArgs('vol-path', { vol: name, pool }))).trim();
  }

  async volumeDelete(pool: string, name: string): Promise<void> {
    await this.virsh(virshArgs('vol-delete', { vol: name, pool }), { timeoutMs: 120_000 });
  }

  /** Names of running (or, with all, every defined) VM. */
  async vmNames(all: boolean): Promise<string[]> {
    const out = await this.virsh(virshArgs('list', {}, all ? ['--all', '--name'] : ['--name']));
    return out.split('\n').map((l) => l.trim()).filter(Boolean);
  }

  async vmXml(name: string): Promise<string> {
    return this.virsh(virshArgs('dumpxml', { domain: name }));
  }

  async vmState(name: string): Promise<string> {
    return (await this.virsh(virshArgs('domstate', { domain: name }))).trim();
  }
}
