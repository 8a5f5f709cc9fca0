// Support bundles (`hostdeck support bundle`, the console's Support screen):
// a tar.gz of what a support engineer asks for first, secrets redacted,
// within a size limit, and its copy onto a removable disk. The collecting
// code loads on first use: the console's first frame does not pay for it.
import { hostname, userInfo } from 'node:os';
import { InvalidInputError } from '../domain/errors.ts';
import type { BundleInput } from '../domain/support.ts';
import type { CollectProgress } from '../host/support/collect.ts';
import type { IndexEntry, Part } from '../host/support/parts.ts';
import type { RemovableMount, RemovableRoots } from '../host/support/removable.ts';
import type { CoreContext } from './index.ts';
import { createHostUseCases, managementIp } from './host.ts';

export type { CollectProgress, IndexEntry, RemovableMount };

export interface SupportBundle {
  path: string;
  bytes: number;
  /** How to fetch it from another machine. */
  scp: string;
  parts: IndexEntry[];
}

export interface SupportUseCases {
  /** Collect, redact, pack within the size limit; refused with the field (output, max-size) before anything is written. */
  bundle(input: BundleInput, onProgress?: (p: CollectProgress) => void): Promise<SupportBundle>;
  /** Mounted filesystems on removable disks, where a bundle can be copied. */
  removableMounts(): Promise<RemovableMount[]>;
  /** Copy a bundle to one of removableMounts()'s mount points; returns the copy's path. */
  copyToRemovable(bundlePath: string, mountPoint: string): Promise<{ path: string; bytes: number }>;
}

/** Where the host's files are read (tests point them at a tree of their own). */
export interface SupportPaths {
  removable?: RemovableRoots;
}

const invalid = (field: string, message: string) => new InvalidInputError([{ field, message: `${field}: ${message}` }]);

export function createSupportUseCases(ctx: CoreContext, paths: SupportPaths = {}): SupportUseCases {
  const host = createHostUseCases(ctx);

  /** The directory must exist and be one, the file must not: refused before anything is collected. */
  const checkOutput = async (output: string): Promise<void> => {
    const { stat } = await import('node:fs/promises');
    const { dirname } = await import('node:path');
    const dir = await stat(dirname(output)).catch(() => undefined);
    if (!dir?.isDirectory()) throw invalid('output', `the directory ${dirname(output)} does not exist`);
    if (await stat(output).then(() => true, () => false)) throw invalid('output', `${output} exists; hostdeck does not replace a file (give a new name)`);
  };

  /** hostdeck's own parts: its facts, its state DB without secrets, its log, libvirt's domain XML. */
  const hostdeckParts = async (): Promise<Part[]> => {
    const [{ stateTables, tableJsonLines }, domains] = await Promise.all([
      import('../manager/repos/state-dump.ts'),
      ctx.infra.virt.domainList().then((l) => l.map((d) => d.name), (e: Error) => e),
    ]);
    const db = ctx.infra.db;
    const parts: Part[] = [
      { kind: 'text', path: 'system/host-info.json', source: 'hostdeck host info', produce: async () => `${JSON.stringify(await host.info(), null, 2)}\n` },
      ...stateTables(db).map((t): Part => ({ kind: 'text', path: `hostdeck/db/${t}.jsonl`, source: `state DB table ${t}`, produce: () => tableJsonLines(db, t) })),
      { kind: 'file', path: 'hostdeck/hostdeck.log', file: ctx.infra.config.logFile },
    ];
    if (domains instanceof Error) parts.push({ kind: 'text', path: 'libvirt/domains/', source: `libvirt ${ctx.infra.config.uri}`, produce: () => { throw domains; } });
    else for (const d of domains) parts.push({ kind: 'text', path: `libvirt/domains/${d.replace(/[^A-Za-z0-9._-]/g, '_')}.xml`, source: `libvirt ${ctx.infra.config.uri} domain ${d}`, produce: () => ctx.infra.virt.domainGetXml(d) });
    return parts;
  };

  const scpCommand = async (path: string): Promise<string> => {
    const info = await host.overview().catch(() => undefined);
    const address = (info && managementIp(info)) ?? hostname();
    let user = 'root';
    try { user = userInfo().username; } catch { /* no passwd entry: root is the usual account on a host */ }
    return `scp ${user}@${address.includes(':') ? `[${address}]` : address}:${path} .`;
  };

  return {
    async bundle(input, onProgress) {
      const { validateBundleInput, DEFAULT_BUNDLE_DIR } = await import('../domain/support.ts');
      const v = validateBundleInput(input);
      if (!v.ok) throw new InvalidInputError(v.errors);
      const [{ createBundle, bundleName }, { hostParts }] = await Promise.all([import('../host/support/bundle.ts'), import('../host/support/parts.ts')]);
      const output = v.value.output ?? `${DEFAULT_BUNDLE_DIR}/${bundleName(hostname(), new Date())}.tar.gz`;
      await checkOutput(output);
      return ctx.door.act('support.bundle', { id: output }, { message: `Write support bundle ${output}` }, async () => {
        const parts = [...(await hostdeckParts()), ...hostParts()];
        const r = await createBundle({ output, maxBytes: v.value.maxBytes, parts, onProgress }).catch((e: NodeJS.ErrnoException) => {
          throw e.code === 'EEXIST' ? invalid('output', `${output} appeared while the bundle was collected; hostdeck does not replace a file`) : e;
        });
        return { path: r.path, bytes: r.bytes, scp: await scpCommand(r.path), parts: r.entries };
      });
    },

    async removableMounts() {
      const { removableMounts } = await import('../host/support/removable.ts');
      return removableMounts(paths.removable);
    },

    async copyToRemovable(bundlePath, mountPoint) {
      const mounts = await this.removableMounts();
      if (!mounts.some((m) => m.mountPoint === mountPoint)) throw invalid('mount point', `${mountPoint} is not a mounted removable disk (${mounts.map((m) => m.mountPoint).join(', ') || 'none is mounted'})`);
      const [{ copyFile, open, stat, constants }, { basename, join }] = await Promise.all([import('node:fs/promises'), import('node:path')]);
      const src = await stat(bundlePath).catch(() => undefined);
      if (!src?.isFile()) throw invalid('bundle', `${bundlePath} is not a file`);
      const target = join(mountPoint, basename(bundlePath));
      if (await stat(target).then(() => true, () => false)) throw invalid('mount point', `${target} exists; hostdeck does not replace a file`);
      return ctx.door.act('support.copy', { id: target }, { message: `Copy support bundle ${basename(bundlePath)} to ${mountPoint}` }, async () => {
        await copyFile(bundlePath, target, constants.COPYFILE_EXCL);
        // On the disk before the operator pulls it out, not only in the page cache.
        const fh = await open(target, 'r');
        try { await fh.sync(); } finally { await fh.close(); }
        return { path: target, bytes: (await stat(target)).size };
      });
    },
  };
}
