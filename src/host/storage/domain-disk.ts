// The storage side of a storage domain, each step a child process with a
// timeout (no hostdeck process does file I/O on a mount that may hang): the
// metadata file, the LVM labels, the capacity, the host's name.
import { formatMetadata, parseMetadata, type DomainMetadata, type StorageKind } from '../../domain/storage/domain.ts';
import type { Capacity } from '../../manager/repos/storage-domains.ts';
import type { Runner } from '../../virt/pools.ts';
import { DomainError } from './errors.ts';

export interface VgRow { vg_name: string; vg_tags: string; pv_name: string }

export function domainDisk(runner: Runner, tmo: number) {
  /** A program on the storage, with the timeout; throws DomainError('storage') with its words. */
  const onStorage = async (cmd: string, args: string[], what: string, opts: { input?: string; timeoutMs?: number } = {}): Promise<string> => {
    const r = await runner.run(cmd, args, { timeoutMs: opts.timeoutMs ?? tmo, input: opts.input, env: { LC_ALL: 'C' } });
    if (r.exitCode !== 0 || r.timedOut) {
      const why = r.timedOut ? `no answer within ${Math.round((opts.timeoutMs ?? tmo) / 1000)} s (storage unreachable?)` : (r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ') || `${cmd} exited with code ${r.exitCode}`;
      throw new DomainError('storage', `${what}: ${why}`);
    }
    return r.stdout;
  };

  const hostName = async (): Promise<string> => (await runner.run('uname', ['-n'], { timeoutMs: 5000 })).stdout.trim() || 'unknown';

  // ---- metadata on storage --------------------------------------------------------

  const writeFileMetadata = async (dir: { mdDir: string; images: string; metadata: string }, m: DomainMetadata) => {
    await onStorage('mkdir', ['-p', '--', dir.mdDir, dir.images], 'creating the domain directories');
    // Written to a temporary name and renamed, so a reader never sees half a file.
    await onStorage('dd', [`of=${dir.metadata}.new`, 'conv=fsync', 'status=none'], 'writing the domain metadata', { input: formatMetadata(m) });
    await onStorage('mv', ['-f', '--', `${dir.metadata}.new`, dir.metadata], 'writing the domain metadata');
  };

  const readFileMetadata = async (file: string): Promise<DomainMetadata> => parseMetadata(await onStorage('dd', [`if=${file}`, 'bs=64k', 'count=1', 'status=none'], `reading ${file}`), file);

  const vgReport = async (devices: string[]): Promise<VgRow[]> => {
    if (!devices.length) return [];
    // pvs exits 5 when a device is not a PV (a blank LUN) and still reports the ones that are.
    const r = await runner.run('pvs', ['--reportformat', 'json', '-o', 'pv_name,vg_name,vg_tags', '--', ...devices], { timeoutMs: tmo, env: { LC_ALL: 'C' } });
    let rep: { report?: { pv?: VgRow[] }[] } | undefined;
    try { rep = JSON.parse(r.stdout) as typeof rep; } catch { rep = undefined; }
    if (!rep || r.timedOut) throw new DomainError('storage', `reading the LVM labels: ${r.timedOut ? `no answer within ${Math.round(tmo / 1000)} s` : (r.stderr || r.spawnError || `pvs exited with code ${r.exitCode}`).trim().split('\n').pop()}`);
    return (rep.report?.[0]?.pv ?? []).map((p) => ({ ...p }));
  };

  // ---- capacity --------------------------------------------------------

  /** Capacity from a child process (df / vgs), never statfs in this process. */
  const measure = async (d: { kind: StorageKind; path: string }, timeoutMs = tmo): Promise<Capacity> => {
    if (d.kind === 'block') {
      const out = await onStorage('vgs', ['--noheadings', '--units', 'b', '--nosuffix', '-o', 'vg_size,vg_free', '--', d.path], 'reading the volume group size', { timeoutMs });
      const [size, free] = out.trim().split(/\s+/).map(Number);
      if (!Number.isFinite(size) || !Number.isFinite(free)) throw new DomainError('storage', `vgs ${d.path}: unexpected output ${JSON.stringify(out.trim())}`);
      return { capacityBytes: size!, usedBytes: size! - free!, freeBytes: free! };
    }
    const out = await onStorage('df', ['-B1', '--output=size,used,avail', '--', d.path], 'reading the capacity', { timeoutMs });
    const nums = out.trim().split('\n').pop()!.trim().split(/\s+/).map(Number);
    if (nums.length !== 3 || nums.some((n) => !Number.isFinite(n))) throw new DomainError('storage', `df ${d.path}: unexpected output ${JSON.stringify(out.trim())}`);
    return { capacityBytes: nums[0]!, usedBytes: nums[1]!, freeBytes: nums[2]! };
  };

  return { onStorage, hostName, writeFileMetadata, readFileMetadata, vgReport, measure };
}
