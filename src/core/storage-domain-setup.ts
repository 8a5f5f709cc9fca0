// Storage domains put on storage: create one on a connection (its metadata
// goes onto the storage itself, then a libvirt pool and a row in the data
// center), scan a connection for the domains it holds, import one of them.
import { randomUUID } from 'node:crypto';
import {
  CONNECTION_KIND, FORMAT_VERSION, MetadataError, fileLayout, metadataTags, parseMetadataTags, poolTypeFor, validateDomainInput,
  type DomainInput, type DomainMetadata, type DomainStatus,
} from '../domain/storage/domain.ts';
import type { StorageDomain } from '../manager/repos/storage-domains.ts';
import { DomainError, DomainInputError } from '../host/storage/errors.ts';
import type { DomainContext, FoundDomain } from './storage-domain-context.ts';

export function domainSetup(c: DomainContext) {
  const {
    runner, connections, door, tmo, rows, mustGet, defaultDataCenter, resolveConnection, requireConnected, connLabel, mountOf, pickLun,
    onStorage, hostName, writeFileMetadata, readFileMetadata, vgReport, measure, storeCapacity, insert, nameTaken, attachPool,
  } = c;
  const setup = {
    /** Create a domain on a connection: metadata on the storage, a libvirt pool, a row in the data center. */
    async create(input: DomainInput): Promise<StorageDomain> {
      const v = validateDomainInput(input);
      if (!v.ok) throw new DomainInputError(v.errors);
      const spec = v.value;
      if (nameTaken(spec.name)) throw new DomainInputError([{ field: 'name', message: `name: a storage domain named ${spec.name} already exists` }]);
      const conn = await resolveConnection(spec.connectionId);
      const kind = CONNECTION_KIND[conn.type]!;
      if (kind === 'block' && spec.type !== 'data') throw new DomainInputError([{ field: 'type', message: `type: ${spec.type} domains live on file storage (NFS, POSIX, local); ${connLabel(conn)} is ${conn.type}` }]);
      if (spec.lun && kind !== 'block') throw new DomainInputError([{ field: 'lun', message: `lun: only for iSCSI and FC connections (${connLabel(conn)} is ${conn.type})` }]);
      return door.act('storage-domain.create', { id: spec.name }, { message: `Create ${spec.type} storage domain ${spec.name} on connection ${connLabel(conn)}` }, async ({ commit }) => {
        await requireConnected(conn);
        const uuid = randomUUID();
        const now = new Date().toISOString();
        const meta: DomainMetadata = { uuid, name: spec.name, type: spec.type, kind, formatVersion: FORMAT_VERSION, creatorHost: await hostName(), createdAt: now, description: spec.description };
        const base = {
          id: uuid, name: spec.name, description: spec.description, type: spec.type, kind, dataCenterId: defaultDataCenter(), connectionId: conn.id,
          status: 'active' as DomainStatus, formatVersion: FORMAT_VERSION, poolName: uuid, poolType: poolTypeFor(conn.type),
          capacityBytes: null, usedBytes: null, freeBytes: null, checkedAt: null, lastError: null, creatorHost: meta.creatorHost, createdAt: now, attachedAt: now,
        };
        let d: StorageDomain;
        if (kind === 'file') {
          const mount = mountOf(conn);
          const lay = fileLayout(mount, uuid);
          d = { ...base, path: lay.dir, device: null };
          try {
            await writeFileMetadata(lay, meta);
            await attachPool(d);
          } catch (e) {
            await runner.run('rm', ['-rf', '--one-file-system', '--', lay.dir], { timeoutMs: tmo });
            throw e;
          }
        } else {
          const lun = await pickLun(conn, spec.lun);
          const used = (await vgReport([lun.devicePath])).find((p) => p.vg_name);
          if (used) throw new DomainError('state', `LUN ${lun.wwid} already holds volume group ${used.vg_name}${/MDT_SDUUID=/.test(used.vg_tags) ? ' (a storage domain: import it instead)' : ''}; hostdeck does not overwrite it`);
          d = { ...base, path: uuid, device: lun.devicePath };
          try {
            await onStorage('pvcreate', ['--yes', '--', lun.devicePath], `initializing LUN ${lun.wwid}`, { timeoutMs: 60_000 });
            await onStorage('vgcreate', [...metadataTags(meta).flatMap((t) => ['--addtag', t]), '--', uuid, lun.devicePath], 'creating the volume group', { timeoutMs: 60_000 });
            await attachPool(d);
          } catch (e) {
            await runner.run('vgremove', ['--yes', '--', uuid], { timeoutMs: 60_000 });
            await runner.run('pvremove', ['--yes', '--', lun.devicePath], { timeoutMs: 60_000 });
            throw e;
          }
        }
        commit(() => insert(d));
        try { storeCapacity(uuid, await measure(d)); } catch { /* the health check fills it in */ }
        return mustGet(uuid);
      });
    },

    /** Domains found on a connection's storage (read-only). */
    async scan(connectionKey: string): Promise<FoundDomain[]> {
      const conn = await resolveConnection(connectionKey);
      await requireConnected(conn);
      const attached = new Map(rows().map((d) => [d.id, d.name]));
      const found: FoundDomain[] = [];
      if (CONNECTION_KIND[conn.type] === 'file') {
        const mount = mountOf(conn).replace(/\/+$/, '');
        // -name, not -path: a mount path may hold characters find would read as a pattern.
        const out = await onStorage('find', ['--', mount, '-mindepth', '3', '-maxdepth', '3', '-type', 'f', '-name', 'metadata'], `searching ${mount} for storage domains`);
        const files = out.split('\n').filter((l) => l.startsWith(`${mount}/`) && /^[^/]+\/dom_md\/metadata$/.test(l.slice(mount.length + 1))).sort();
        for (const file of files) {
          try {
            const m = await readFileMetadata(file);
            const dir = file.replace(/\/dom_md\/metadata$/, '');
            if (dir.replace(/^.*\//, '') !== m.uuid) continue; // a copy under another name is not the domain
            found.push({ metadata: m, path: dir, ...(attached.has(m.uuid) ? { attachedAs: attached.get(m.uuid) } : {}) });
          } catch (e) {
            if (!(e instanceof MetadataError)) throw e;
          }
        }
      } else {
        const luns = await connections.luns(conn.id);
        for (const p of await vgReport(luns.map((l) => l.devicePath))) {
          if (!p.vg_name || !/MDT_SDUUID=/.test(p.vg_tags)) continue;
          try {
            const m = parseMetadataTags(p.vg_tags.split(','), `volume group ${p.vg_name}`);
            if (m.uuid !== p.vg_name) continue;
            found.push({ metadata: m, path: p.vg_name, device: p.pv_name, ...(attached.has(m.uuid) ? { attachedAs: attached.get(m.uuid) } : {}) });
          } catch (e) {
            if (!(e instanceof MetadataError)) throw e;
          }
        }
      }
      return found;
    },

    /** Attach a domain found on a connection (by UUID or name) to the data center. */
    async import(connectionKey: string, which: string, opts: { name?: string } = {}): Promise<StorageDomain> {
      if (!which.trim()) throw new DomainInputError([{ field: 'domain', message: 'domain: is required (the UUID or name of a domain found by scan)' }]);
      if (opts.name !== undefined) {
        const v = validateDomainInput({ name: opts.name, type: 'data', connectionId: connectionKey });
        if (!v.ok && v.errors.some((e) => e.field === 'name')) throw new DomainInputError(v.errors.filter((e) => e.field === 'name'));
      }
      const conn = await resolveConnection(connectionKey);
      return door.act('storage-domain.import', { id: which }, { message: `Import storage domain ${which} from connection ${connLabel(conn)}` }, async ({ commit }) => {
        const found = await setup.scan(conn.id);
        const f = found.find((x) => x.metadata.uuid === which) ?? found.filter((x) => x.metadata.name === which).at(0);
        if (!f) throw new DomainError('not-found', `connection ${connLabel(conn)} holds no storage domain ${which}${found.length ? ` (found: ${found.map((x) => `${x.metadata.name} ${x.metadata.uuid}`).join(', ')})` : ''}`);
        if (f.attachedAs) throw new DomainError('state', `storage domain ${f.metadata.uuid} is already attached as ${f.attachedAs}`);
        const name = opts.name ?? f.metadata.name;
        if (nameTaken(name)) throw new DomainInputError([{ field: 'name', message: `name: a storage domain named ${name} already exists; import with another --name` }]);
        const now = new Date().toISOString();
        const m = f.metadata;
        const d: StorageDomain = {
          id: m.uuid, name, description: m.description, type: m.type, kind: m.kind, dataCenterId: defaultDataCenter(), connectionId: conn.id, status: 'active',
          formatVersion: m.formatVersion, poolName: m.uuid, poolType: poolTypeFor(conn.type), path: f.path, device: f.device ?? null,
          capacityBytes: null, usedBytes: null, freeBytes: null, checkedAt: null, lastError: null, creatorHost: m.creatorHost, createdAt: m.createdAt, attachedAt: now,
        };
        if (d.kind === 'block') await onStorage('vgchange', ['--activate', 'y', '--', d.path], 'activating the volume group', { timeoutMs: 60_000 });
        await attachPool(d);
        commit(() => insert(d));
        try { storeCapacity(d.id, await measure(d)); } catch { /* the health check fills it in */ }
        return mustGet(d.id);
      });
    },
  };
  return setup;
}
