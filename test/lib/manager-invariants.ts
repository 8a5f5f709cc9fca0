// The invariants of the manager's templates and VM pools across the state DB,
// a data domain's images directory and libvirt's domain list, for kill
// tests: whatever point a `hostdeck template create` / `pool create` was
// killed at, once the next start cleaned up, every row points at what
// exists, nothing exists that no row owns, and no row is left 'creating'.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../src/manager/db.ts';
import { allDomains } from './lifecycle.ts';

export interface InvariantScope {
  /** The data domain's images directory (template images, pool VMs' overlays). */
  imagesDir: string;
  /** Names of the pools' VMs (and their overlays) under test start with this. */
  poolVmPrefix: string;
}

/** Every broken invariant, one line each; empty when all hold. */
export async function managerInvariantProblems(db: Db, scope: InvariantScope): Promise<string[]> {
  const problems: string[] = [];
  const files = new Set(readdirSync(scope.imagesDir));
  const domains = new Set(await allDomains());

  for (const r of db.prepare("SELECT name, version FROM templates WHERE status = 'creating'").all() as { name: string; version: number }[]) problems.push(`template ${r.name} version ${r.version} is left 'creating'`);
  for (const r of db.prepare("SELECT name FROM vm_pools WHERE status = 'creating'").all() as { name: string }[]) problems.push(`pool ${r.name} is left 'creating'`);

  const disks = db.prepare('SELECT t.name, t.version, d.path FROM template_disks d JOIN templates t ON t.id = d.template_id').all() as { name: string; version: number; path: string }[];
  const owned = new Set(disks.map((d) => d.path));
  for (const d of disks) if (!files.has(d.path.slice(d.path.lastIndexOf('/') + 1))) problems.push(`template ${d.name} version ${d.version}: its image ${d.path} is missing`);
  for (const f of files) if (f.startsWith('template-') && !owned.has(join(scope.imagesDir, f))) problems.push(`template image ${f} is owned by no template`);

  const poolVms = db.prepare('SELECT v.vm_name AS vm, p.name AS pool FROM pool_vms v JOIN vm_pools p ON p.id = v.pool_id').all() as { vm: string; pool: string }[];
  const recorded = new Set(poolVms.map((v) => v.vm));
  for (const v of poolVms) {
    if (!domains.has(v.vm)) problems.push(`pool ${v.pool}: its VM ${v.vm} is not in libvirt`);
    if (!files.has(`${v.vm}.qcow2`)) problems.push(`pool ${v.pool}: the overlay of its VM ${v.vm} is missing`);
  }
  for (const d of domains) if (d.startsWith(scope.poolVmPrefix) && !recorded.has(d)) problems.push(`libvirt domain ${d} belongs to no pool`);
  for (const f of files) if (f.startsWith(scope.poolVmPrefix) && !recorded.has(f.replace(/\.qcow2$/, ''))) problems.push(`overlay ${f} belongs to no pool VM`);

  const links = db.prepare('SELECT vm_name AS vm FROM vm_templates').all() as { vm: string }[];
  for (const l of links) if (l.vm.startsWith(scope.poolVmPrefix) && !domains.has(l.vm)) problems.push(`the template link of VM ${l.vm} outlived the VM`);
  return problems;
}
