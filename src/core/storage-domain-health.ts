// A storage domain's health check: one read of its metadata or its LUN's
// first block in a child process (a hung read never blocks hostdeck), and
// the status change its outcome causes. The monitor (storage-domain-monitor.ts)
// runs the checks and raises the events.
import { parseMetadata, type DomainStatus } from '../domain/storage/domain.ts';
import type { StorageDomain } from '../manager/repos/storage-domains.ts';
import type { DomainContext, ProbeResult } from './storage-domain-context.ts';

export function domainHealth(c: DomainContext) {
  const { runner, connections, repo, tmo, byKey, connLabel, measure, storeCapacity } = c;
  return {
    /**
     * One health check: reads the metadata (file) or the LUN's first block
     * with direct I/O in a child process, then the capacity. The caller (the
     * monitor) bounds the wait; a hung read never blocks this process.
     */
    async probe(d: StorageDomain, timeoutMs = tmo): Promise<ProbeResult> {
      try {
        // A connection the operator disconnected (or removed) makes the domain inactive, not an alarm; read from the state DB only.
        const conn = await connections.get(d.connectionId);
        if (!conn) return { ok: false, inactive: true, error: `its storage connection ${d.connectionId} was removed` };
        if (conn.state === 'disconnected') return { ok: false, inactive: true, error: `its storage connection ${connLabel(conn)} is disconnected` };
        if (d.kind === 'file') {
          const file = `${d.path}/dom_md/metadata`;
          let r = await runner.run('dd', [`if=${file}`, 'iflag=direct', 'bs=4096', 'count=1', 'status=none'], { timeoutMs });
          // O_DIRECT is not offered by every file system (tmpfs): read it plainly there.
          if (r.exitCode !== 0 && /Invalid argument/.test(r.stderr)) r = await runner.run('dd', [`if=${file}`, 'bs=4096', 'count=1', 'status=none'], { timeoutMs });
          if (r.timedOut) return { ok: false, error: `reading ${file} did not finish within ${Math.round(timeoutMs / 1000)} s` };
          if (r.exitCode !== 0) return { ok: false, error: `reading ${file}: ${r.stderr.trim().split('\n').pop() || `dd exited with code ${r.exitCode}`}` };
          const m = parseMetadata(r.stdout, file);
          if (m.uuid !== d.id) return { ok: false, error: `${file} belongs to domain ${m.uuid}, not ${d.id}` };
        } else {
          if (!d.device) return { ok: false, error: 'no device recorded for this block domain' };
          const r = await runner.run('dd', [`if=${d.device}`, 'iflag=direct', 'bs=4096', 'count=1', 'of=/dev/null', 'status=none'], { timeoutMs });
          if (r.timedOut) return { ok: false, error: `reading ${d.device} did not finish within ${Math.round(timeoutMs / 1000)} s` };
          if (r.exitCode !== 0) return { ok: false, error: `reading ${d.device}: ${r.stderr.trim().split('\n').pop() || `dd exited with code ${r.exitCode}`}` };
        }
        // The capacity (df / vgs, another child) is read after the verdict and does not count against the
        // deadline: on a loaded host it would turn a good read into a late one.
        // Its end may come after the process closed the state DB (the host service stopping): then it is dropped.
        void measure(d, Math.max(timeoutMs, 15_000)).then((c) => { if (byKey(d.id)?.status === 'active') storeCapacity(d.id, c); }).catch(() => undefined);
        return { ok: true };
      } catch (e) {
        return { ok: false, error: (e as Error).message };
      }
    },

    /** Record a probe's outcome; returns the status change it caused, if any (the monitor raises events for those). */
    recordCheck(id: string, result: ProbeResult): { from: DomainStatus; to: DomainStatus } | undefined {
      const d = byKey(id);
      if (!d || (d.status !== 'active' && d.status !== 'unreachable')) return undefined;
      if (result.ok) {
        if (result.capacity) storeCapacity(id, result.capacity);
        return repo.checkedOk(id) ? { from: 'unreachable', to: 'active' } : undefined;
      }
      if (result.inactive) {
        repo.checkFailed(id, result.error, true);
        return { from: d.status, to: 'inactive' };
      }
      return repo.checkFailed(id, result.error, false) ? { from: 'active', to: 'unreachable' } : undefined;
    },

  };
}
