// The volumes of a storage domain: list, create, delete (refused while a VM
// has it as a disk), and upload a file as a new volume in chunks with progress.
import type { DomainUser, VolumeInput } from '../domain/storage/domain.ts';
import { domainActionBlocked, uploadNameRule, validateVolumeInput, volumeInputProblems, volumeNameRule } from '../domain/storage/domain.ts';
import { formatBytes } from '../domain/size.ts';
import { DomainError, DomainInputError } from '../host/storage/errors.ts';
import type { Capacity, StorageDomain } from '../manager/repos/storage-domains.ts';
import type { PoolClient, Runner } from '../virt/pools.ts';
import type { StorageVolume } from '../virt/storage.ts';
import type { Door } from './door.ts';

export interface UploadProgress {
  doneBytes: number;
  totalBytes: number;
}

/** What the volume use cases take from their storage domain service. */
export interface VolumeDeps {
  door: Door;
  runner: Runner;
  /** Timeout of each program on the storage. */
  tmo: number;
  virsh: PoolClient;
  mustGet(key: string): StorageDomain;
  usersOf(d: StorageDomain, includeStopped: boolean): Promise<DomainUser[]>;
  measure(d: StorageDomain): Promise<Capacity>;
  storeCapacity(id: string, c: Capacity): void;
  onStorage(cmd: string, args: string[], what: string, opts?: { input?: string; timeoutMs?: number }): Promise<string>;
}

const CHUNK_BYTES = 32 * 1024 * 1024;

export function volumeUseCases({ door, runner, tmo, virsh, mustGet, usersOf, measure, storeCapacity, onStorage }: VolumeDeps) {
  return {
  async volumes(key: string): Promise<StorageVolume[]> {
    const d = mustGet(key);
    if (d.status !== 'active') throw new DomainError('state', `${d.name} is ${d.status}: its volumes are listed while it is active`);
    await virsh.refresh(d.poolName);
    return virsh.volumes(d.poolName);
  },

  async volumeCreate(key: string, input: VolumeInput): Promise<StorageVolume> {
    const problems = volumeInputProblems(input);
    if (problems.length) throw new DomainInputError(problems);
    const d = mustGet(key);
    const blocked = domainActionBlocked('volumes', d);
    if (blocked) throw new DomainError('state', blocked);
    const existing = (await virsh.volumes(d.poolName)).map((v) => v.name);
    const v = validateVolumeInput(input, { kind: d.kind, type: d.type, freeBytes: d.freeBytes, existing });
    if (!v.ok) throw new DomainInputError(v.errors);
    const spec = v.value;
    return door.act('storage-volume.create', { id: `${d.name}/${spec.name}` }, { message: `Create ${spec.format} volume ${spec.name} of ${formatBytes(spec.sizeBytes)} on storage domain ${d.name}` }, async () => {
      await virsh.volumeCreate(d.poolName, spec.name, spec.sizeBytes, spec.format, { thin: d.kind === 'file' });
      const vol = (await virsh.volumes(d.poolName)).find((x) => x.name === spec.name);
      if (!vol) throw new DomainError('libvirt', `volume ${spec.name} was created but libvirt does not list it`);
      try { storeCapacity(d.id, await measure(d)); } catch { /* next check */ }
      return vol;
    });
  },

  async volumeDelete(key: string, name: string): Promise<void> {
    const nr = volumeNameRule('volume', name);
    if (nr) throw new DomainInputError([{ field: 'volume', message: nr }]);
    const d = mustGet(key);
    const blocked = domainActionBlocked('volumes', d);
    if (blocked) throw new DomainError('state', blocked);
    const vols = await virsh.volumes(d.poolName);
    const vol = vols.find((x) => x.name === name);
    if (!vol) throw new DomainError('not-found', `${d.name} has no volume ${JSON.stringify(name)}${vols.length ? ` (it has ${vols.map((x) => x.name).join(', ')})` : ''}`);
    await door.act('storage-volume.delete', { id: `${d.name}/${name}` }, { message: `Delete volume ${name} of storage domain ${d.name}` }, async () => {
      const users = (await usersOf(d, true)).filter((u) => u.disks.some((x) => x === vol.path || x === `${d.poolName}/${name}`));
      if (users.length) throw new DomainError('in-use', `Deleting ${name} refused: ${users.map((u) => `${u.vm} (${u.state})`).join(', ')} ha${users.length === 1 ? 's' : 've'} it as a disk`, users);
      await virsh.volumeDelete(d.poolName, name);
      try { storeCapacity(d.id, await measure(d)); } catch { /* next check */ }
    });
  },

  /**
   * Upload a file (an ISO to an ISO domain, a raw disk image to a data
   * domain) as a new volume, in chunks copied by dd children, reporting
   * progress after each; a failure or an abort deletes the partial volume.
   */
  async upload(key: string, source: string, opts: { name?: string; onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {}): Promise<StorageVolume> {
    if (!source.startsWith('/')) throw new DomainInputError([{ field: 'file', message: `file: must be an absolute path (got ${JSON.stringify(source)})` }]);
    const name = opts.name ?? source.replace(/^.*\//, '');
    const bad = volumeNameRule('name', name);
    if (bad) throw new DomainInputError([{ field: 'name', message: bad }]);
    const d = mustGet(key);
    const blocked = domainActionBlocked('upload', d);
    if (blocked) throw new DomainError('state', blocked);
    const nr = uploadNameRule(name, d.type);
    if (nr) throw new DomainInputError([{ field: 'name', message: nr }]);
    const st = await runner.run('stat', ['-L', '-c', '%F|%s', '--', source], { timeoutMs: tmo, env: { LC_ALL: 'C' } });
    if (st.exitCode !== 0) throw new DomainInputError([{ field: 'file', message: `file: cannot read ${source}: ${st.stderr.trim().replace(/^stat: /, '') || 'not found'}` }]);
    const [ftype, sizeText] = st.stdout.trim().split('|');
    if (ftype !== 'regular file' && ftype !== 'regular empty file') throw new DomainInputError([{ field: 'file', message: `file: ${source} is a ${ftype}, not a regular file` }]);
    const total = Number(sizeText);
    if (!total) throw new DomainInputError([{ field: 'file', message: `file: ${source} is empty` }]);
    if (d.type === 'iso') {
      const sig = await runner.run('dd', [`if=${source}`, 'bs=1', 'skip=32769', 'count=5', 'status=none'], { timeoutMs: tmo });
      if (sig.stdout !== 'CD001') throw new DomainInputError([{ field: 'file', message: `file: ${source} is not an ISO 9660 image (no CD001 signature at 32769)` }]);
    }
    const existing = await virsh.volumes(d.poolName);
    if (existing.some((x) => x.name === name)) throw new DomainInputError([{ field: 'name', message: `name: a volume named ${name} already exists in ${d.name}` }]);
    if (typeof d.freeBytes === 'number' && total > d.freeBytes) throw new DomainInputError([{ field: 'file', message: `file: ${formatBytes(total)} does not fit in ${d.name} (${formatBytes(d.freeBytes)} free)` }]);
    return door.act('storage-volume.upload', { id: `${d.name}/${name}` }, { message: `Upload ${source} (${formatBytes(total)}) to storage domain ${d.name} as ${name}` }, async () => {
      const path = await virsh.volumeCreate(d.poolName, name, total, 'raw', { thin: d.kind === 'file' });
      try {
        const mib = CHUNK_BYTES / (1024 * 1024);
        const chunks = Math.ceil(total / CHUNK_BYTES);
        opts.onProgress?.({ doneBytes: 0, totalBytes: total });
        for (let i = 0; i < chunks; i++) {
          if (opts.signal?.aborted) throw new DomainError('state', 'upload cancelled');
          await onStorage('dd', [`if=${source}`, `of=${path}`, 'bs=1M', `skip=${i * mib}`, `seek=${i * mib}`, `count=${mib}`, 'conv=notrunc,fsync', 'status=none'], `copying to ${path}`, { timeoutMs: Math.max(tmo, 120_000) });
          opts.onProgress?.({ doneBytes: Math.min(total, (i + 1) * CHUNK_BYTES), totalBytes: total });
        }
        await virsh.refresh(d.poolName);
      } catch (e) {
        await virsh.volumeDelete(d.poolName, name).catch(() => undefined);
        throw e;
      }
      try { storeCapacity(d.id, await measure(d)); } catch { /* next check */ }
      const vol = (await virsh.volumes(d.poolName)).find((x) => x.name === name);
      if (!vol) throw new DomainError('libvirt', `${name} was copied but libvirt does not list it`);
      return vol;
    });
  },
  };
}
