// The host's unique id as the engine knows it: /etc/vdsm/vdsm.id if present,
// else the DMI system UUID in lower case; written back to vdsm.id (vdsm's
// own rule, so vdsm and hostdeck never disagree).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EngineError } from './errors.ts';

const read = (p: string) => {
  try {
    return readFileSync(p, 'utf8').trim();
  } catch {
    return '';
  }
};

const BOGUS = /^(0{8}-0{4}-0{4}-0{4}-0{12}|f{8}-f{4}-f{4}-f{4}-f{12})$/i;

export interface UniqueId {
  id: string;
  source: 'vdsm.id' | 'dmi';
}

/** Read the unique id without writing anything. */
export function readUniqueId(paths: { vdsmIdFile: string; dmiProductUuid: string }): UniqueId {
  const stored = read(paths.vdsmIdFile);
  if (stored) return { id: stored, source: 'vdsm.id' };
  const dmi = read(paths.dmiProductUuid).toLowerCase();
  if (dmi && !BOGUS.test(dmi)) return { id: dmi, source: 'dmi' };
  throw new EngineError('local', `no unique id for this host: ${paths.vdsmIdFile} is missing and the DMI system UUID (${paths.dmiProductUuid}) is ${dmi ? 'a placeholder' : 'unreadable'}; write a UUID to ${paths.vdsmIdFile}`);
}

/** Write the id to vdsm.id when it came from DMI. */
export function persistUniqueId(u: UniqueId, vdsmIdFile: string): void {
  if (u.source === 'vdsm.id') return;
  mkdirSync(dirname(vdsmIdFile), { recursive: true, mode: 0o755 });
  writeFileSync(vdsmIdFile, u.id, { mode: 0o644 }); // no newline, as vdsm writes it
}
