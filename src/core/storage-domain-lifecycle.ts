// A storage domain's life in the data center: activate, maintenance, detach
// (the data stays on the storage) and remove (the data is deleted), each
// refused while VMs use the domain in a way the step would break.
import { domainActionBlocked, type DomainUser } from '../domain/storage/domain.ts';
import type { StorageDomain } from '../manager/repos/storage-domains.ts';
import { DomainError } from '../host/storage/errors.ts';
import type { DomainContext, ProbeResult } from './storage-domain-context.ts';

export function domainLifecycle(c: DomainContext, probe: (d: StorageDomain) => Promise<ProbeResult>) {
  const { runner, connections, repo, door, virsh, mustGet, setStatus, requireConnected, onStorage, measure, storeCapacity, usersOf, usersMessage, attachPool } = c;
  return {
    /** Bring a domain (back) to active: its connection must be up and its metadata readable. */
    async activate(key: string): Promise<StorageDomain> {
      const d = mustGet(key);
      const blocked = domainActionBlocked('activate', d);
      if (blocked) throw new DomainError('state', blocked);
      return door.act('storage-domain.activate', { id: d.id }, { message: `Activate storage domain ${d.name}` }, async ({ commit }) => {
        const conn = await connections.get(d.connectionId);
        if (!conn) throw new DomainError('connection', `the connection of ${d.name} (${d.connectionId}) no longer exists`);
        await requireConnected(conn);
        const check = await probe(d);
        if (!check.ok) throw new DomainError('storage', check.error);
        if (d.kind === 'block') await onStorage('vgchange', ['--activate', 'y', '--', d.path], 'activating the volume group', { timeoutMs: 60_000 });
        await attachPool(d);
        commit(() => setStatus(d.id, 'active'));
        try { storeCapacity(d.id, await measure(d)); } catch { /* next check */ }
        return mustGet(d.id);
      });
    },

    /** Stop using a domain: refused while a running VM uses it; stops its pool, keeps everything defined. */
    async maintenance(key: string): Promise<StorageDomain> {
      const d = mustGet(key);
      const blocked = domainActionBlocked('maintenance', d);
      if (blocked) throw new DomainError('state', blocked);
      return door.act('storage-domain.maintenance', { id: d.id }, { message: `Put storage domain ${d.name} into maintenance` }, async ({ commit }) => {
        const users = await usersOf(d, false);
        if (users.length) throw new DomainError('in-use', usersMessage(d, users, 'Maintenance of'), users);
        await virsh.stop(d.poolName);
        commit(() => setStatus(d.id, 'maintenance'));
        return mustGet(d.id);
      });
    },

    /** Remove a domain in maintenance from the data center and its pool from libvirt; the data stays on the storage. */
    async detach(key: string): Promise<void> {
      const d = mustGet(key);
      const blocked = domainActionBlocked('detach', d);
      if (blocked) throw new DomainError('state', blocked);
      await door.act('storage-domain.detach', { id: d.id }, { message: `Detach storage domain ${d.name} (data stays on the storage)` }, async ({ commit }) => {
        const users = await usersOf(d, false);
        if (users.length) throw new DomainError('in-use', usersMessage(d, users, 'Detach of'), users);
        await virsh.undefine(d.poolName);
        if (d.kind === 'block') await runner.run('vgchange', ['--activate', 'n', '--', d.path], { timeoutMs: 60_000 });
        commit(() => repo.remove(d.id));
      });
    },

    /** Detach and destroy: the domain's directory or volume group is deleted. Refused while any VM (running or not) has a disk on it. */
    async remove(key: string): Promise<void> {
      const d = mustGet(key);
      const blocked = domainActionBlocked('remove', d);
      if (blocked) throw new DomainError('state', blocked);
      await door.act('storage-domain.remove', { id: d.id }, { message: `Remove storage domain ${d.name} and delete its data` }, async ({ commit }) => {
        const users = await usersOf(d, true);
        if (users.length) throw new DomainError('in-use', usersMessage(d, users, 'Removal of'), users);
        const conn = await connections.get(d.connectionId);
        if (!conn) throw new DomainError('connection', `the connection of ${d.name} no longer exists: detach instead`);
        await requireConnected(conn);
        await virsh.undefine(d.poolName);
        if (d.kind === 'block') {
          await onStorage('vgremove', ['--yes', '--force', '--', d.path], 'removing the volume group', { timeoutMs: 60_000 });
          if (d.device) await onStorage('pvremove', ['--yes', '--', d.device], 'wiping the LVM label', { timeoutMs: 60_000 });
        } else {
          if (!/\/[0-9a-f-]{36}$/.test(d.path)) throw new DomainError('state', `refusing to delete ${d.path}: not a domain directory`);
          await onStorage('rm', ['-rf', '--one-file-system', '--', d.path], `deleting ${d.path}`, { timeoutMs: 120_000 });
        }
        commit(() => repo.remove(d.id));
      });
    },

    /** VMs using a domain right now (running only unless includeStopped). */
    usersOf(key: string, includeStopped = false): Promise<DomainUser[]> {
      return usersOf(mustGet(key), includeStopped);
    },
  };
}
