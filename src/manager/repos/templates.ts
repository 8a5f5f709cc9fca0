// The templates, template_disks and vm_templates tables: templates and their
// versions, their images, and which VM came from which template and how.
import type { Template, TemplateDisk, TemplateMode } from '../../domain/templates.ts';
import type { Db } from '../db.ts';

interface Row {
  id: string; base_id: string; name: string; version: number; version_name: string; description: string; storage_domain_id: string | null;
  source_vm: string | null; hardware: string; sealed: number; status: Template['status']; creator_pid: number | null; created_at: string;
}
interface DiskRow { template_id: string; idx: number; volume: string; path: string; format: TemplateDisk['format']; bus: TemplateDisk['bus']; size_bytes: number }

export interface VmTemplateLink { vmUuid: string; vmName: string; templateId: string; mode: TemplateMode; createdAt: string }

export function templateRepo(db: Db) {
  const disksOf = (id: string): TemplateDisk[] => (db.prepare('SELECT * FROM template_disks WHERE template_id = ? ORDER BY idx').all(id) as DiskRow[])
    .map((d) => ({ idx: d.idx, volume: d.volume, path: d.path, format: d.format, bus: d.bus, sizeBytes: d.size_bytes }));
  const toTemplate = (r: Row): Template => ({
    id: r.id, baseId: r.base_id, name: r.name, version: r.version, versionName: r.version_name, description: r.description, storageDomainId: r.storage_domain_id,
    sourceVm: r.source_vm, hardware: JSON.parse(r.hardware) as Template['hardware'], sealed: r.sealed === 1, status: r.status, creatorPid: r.creator_pid, createdAt: r.created_at,
    disks: disksOf(r.id),
  });
  return {
    all: (): Template[] => (db.prepare('SELECT * FROM templates ORDER BY name, version').all() as Row[]).map(toTemplate),
    byId(id: string): Template | undefined {
      const r = db.prepare('SELECT * FROM templates WHERE id = ?').get(id) as Row | undefined;
      return r && toTemplate(r);
    },
    /** Every version of the template with this name or id (of any version), oldest first. */
    versionsOf(key: string): Template[] {
      const base = db.prepare('SELECT base_id FROM templates WHERE id = ? OR name = ? LIMIT 1').pluck().get(key, key) as string | undefined;
      if (!base) return [];
      return (db.prepare('SELECT * FROM templates WHERE base_id = ? ORDER BY version').all(base) as Row[]).map(toTemplate);
    },
    names: (): string[] => db.prepare('SELECT DISTINCT name FROM templates').pluck().all() as string[],
    nextVersion: (baseId: string): number => (db.prepare('SELECT coalesce(max(version), 0) + 1 FROM templates WHERE base_id = ?').pluck().get(baseId) as number),
    /** A template row and its disk rows, in one transaction. */
    insert(t: Template): void {
      db.transaction(() => {
        db.prepare(`INSERT INTO templates (id, base_id, name, version, version_name, description, storage_domain_id, source_vm, hardware, sealed, status, creator_pid, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(t.id, t.baseId, t.name, t.version, t.versionName, t.description, t.storageDomainId, t.sourceVm,
          JSON.stringify(t.hardware), t.sealed ? 1 : 0, t.status, t.creatorPid, t.createdAt);
        const disk = db.prepare('INSERT INTO template_disks (template_id, idx, volume, path, format, bus, size_bytes) VALUES (?, ?, ?, ?, ?, ?, ?)');
        for (const d of t.disks) disk.run(t.id, d.idx, d.volume, d.path, d.format, d.bus, d.sizeBytes);
      })();
    },
    /** The images are copied: their sizes, and the template ready for use. */
    markReady(id: string, sizes: readonly { idx: number; sizeBytes: number }[]): void {
      db.transaction(() => {
        for (const d of sizes) db.prepare('UPDATE template_disks SET size_bytes = ? WHERE template_id = ? AND idx = ?').run(d.sizeBytes, id, d.idx);
        db.prepare("UPDATE templates SET status = 'ready', creator_pid = NULL WHERE id = ?").run(id);
      })();
    },
    /** Rename every version of a template (base_id) and set one version's description. */
    edit(baseId: string, id: string, change: { name?: string; description?: string }): void {
      db.transaction(() => {
        if (change.name !== undefined) db.prepare('UPDATE templates SET name = ? WHERE base_id = ?').run(change.name, baseId);
        if (change.description !== undefined) db.prepare('UPDATE templates SET description = ? WHERE id = ?').run(change.description, id);
      })();
    },
    /** The rows of these template versions (their disks go with them) and the clones' links to them. */
    remove(ids: readonly string[]): void {
      db.transaction(() => {
        for (const id of ids) {
          db.prepare('DELETE FROM vm_templates WHERE template_id = ?').run(id);
          db.prepare('DELETE FROM templates WHERE id = ?').run(id);
        }
      })();
    },
    creating: (): Template[] => (db.prepare("SELECT * FROM templates WHERE status = 'creating'").all() as Row[]).map(toTemplate),
    link: (l: VmTemplateLink) => {
      db.prepare('INSERT OR REPLACE INTO vm_templates (vm_uuid, vm_name, template_id, mode, created_at) VALUES (?, ?, ?, ?, ?)').run(l.vmUuid, l.vmName, l.templateId, l.mode, l.createdAt);
    },
    linksTo: (templateIds: readonly string[]): VmTemplateLink[] => templateIds.flatMap((id) =>
      (db.prepare('SELECT vm_uuid AS vmUuid, vm_name AS vmName, template_id AS templateId, mode, created_at AS createdAt FROM vm_templates WHERE template_id = ? ORDER BY vm_name').all(id) as VmTemplateLink[])),
    linkOf: (vmUuid: string): VmTemplateLink | undefined =>
      db.prepare('SELECT vm_uuid AS vmUuid, vm_name AS vmName, template_id AS templateId, mode, created_at AS createdAt FROM vm_templates WHERE vm_uuid = ?').get(vmUuid) as VmTemplateLink | undefined,
    unlink: (vmUuid: string) => { db.prepare('DELETE FROM vm_templates WHERE vm_uuid = ?').run(vmUuid); },
  };
}

export type TemplateRepo = ReturnType<typeof templateRepo>;
