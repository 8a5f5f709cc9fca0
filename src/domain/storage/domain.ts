// Storage domains: the operator's input and its rules, the on-storage
// metadata format, and the predicates the CLI and the screen share.
// Pure: no I/O. Every rule's message names the field it is about.
import { createHash } from 'node:crypto';
import { objectNameProblem } from '../names.ts';
import { formatBytes } from '../size.ts';
import type { FieldError, Validated } from '../errors.ts';

export type { FieldError, Validated };

export const DOMAIN_TYPES = ['data', 'iso', 'export'] as const;
export type DomainType = (typeof DOMAIN_TYPES)[number];

export const DOMAIN_STATUSES = ['active', 'inactive', 'maintenance', 'unreachable'] as const;
export type DomainStatus = (typeof DOMAIN_STATUSES)[number];

/** File domains live in a directory under a mounted connection; block domains are an LVM volume group on a LUN. */
export type StorageKind = 'file' | 'block';

export const VOLUME_FORMATS = ['qcow2', 'raw'] as const;
export type VolumeFormat = (typeof VOLUME_FORMATS)[number];

/** Version of the metadata layout hostdeck writes (and the highest it reads). */
export const FORMAT_VERSION = 1;

/** The connection types storage-conn defines, and which kind of domain each one carries. */
export const CONNECTION_KIND: Record<string, StorageKind> = { nfs: 'file', posixfs: 'file', localfs: 'file', iscsi: 'block', fc: 'block' };

/**
 * The libvirt pool type behind a domain, per connection type. File domains
 * use a `dir` pool on the domain's images directory under the connection's
 * mount: the connection owns the mount (oVirt's soft,timeo options, reconnect
 * at start), so a netfs or fs pool would mount the same export a second
 * time with libvirt's own (hard) options and unmount it on pool-destroy
 * under every other domain on that export. Block domains use a `logical`
 * pool on the volume group hostdeck creates on the LUN: an `iscsi` pool only
 * exposes whole LUNs and cannot create volumes.
 */
export function poolTypeFor(connectionType: string): 'dir' | 'logical' {
  return CONNECTION_KIND[connectionType] === 'block' ? 'logical' : 'dir';
}

export interface DomainInput {
  name: string;
  type: string;
  connectionId: string;
  description?: string;
  /** Block domains: which LUN of the connection (WWID or device path). */
  lun?: string;
}

export interface DomainSpec {
  name: string;
  type: DomainType;
  connectionId: string;
  description: string;
  lun?: string;
}

/** As oVirt: letters, digits, '-' and '_', at most 50 characters. */
export function nameRule(field: string, s: string): string | undefined {
  if (!s) return `${field}: is required`;
  if (s.length > 50) return `${field}: must be at most 50 characters (got ${s.length})`;
  if (!/^[A-Za-z0-9_-]+$/.test(s)) return `${field}: must contain only letters, digits, '-' and '_' (got ${JSON.stringify(s)})`;
  return undefined;
}

export function validateDomainInput(input: DomainInput): Validated<DomainSpec> {
  const errors: FieldError[] = [];
  const name = (input.name ?? '').trim();
  const n = nameRule('name', name);
  if (n) errors.push({ field: 'name', message: n });
  const type = (input.type ?? '').trim().toLowerCase();
  if (!type) errors.push({ field: 'type', message: 'type: is required (data, iso or export)' });
  else if (!(DOMAIN_TYPES as readonly string[]).includes(type)) errors.push({ field: 'type', message: `type: must be one of data, iso, export (got ${JSON.stringify(input.type)})` });
  const connectionId = (input.connectionId ?? '').trim();
  if (!connectionId) errors.push({ field: 'connection', message: 'connection: is required (the id or name of a storage connection)' });
  else if (/\s/.test(connectionId) || connectionId.length > 128) errors.push({ field: 'connection', message: 'connection: must be a connection id or name without spaces, at most 128 characters' });
  const description = (input.description ?? '').trim();
  if (description.length > 200) errors.push({ field: 'description', message: `description: must be at most 200 characters (got ${description.length})` });
  if (/[\n\r\0]/.test(description)) errors.push({ field: 'description', message: 'description: must be one line' });
  const lun = input.lun?.trim() || undefined;
  if (lun !== undefined && !/^[A-Za-z0-9_./:-]{1,255}$/.test(lun)) errors.push({ field: 'lun', message: 'lun: must be a WWID or a /dev path (letters, digits, . _ - : /)' });
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { name, type: type as DomainType, connectionId, description, ...(lun ? { lun } : {}) } };
}

// ---- sizes ---------------------------------------------------------------

const SIZE_UNITS: Record<string, number> = { '': 1, B: 1, K: 1024, KIB: 1024, M: 1024 ** 2, MIB: 1024 ** 2, G: 1024 ** 3, GIB: 1024 ** 3, T: 1024 ** 4, TIB: 1024 ** 4 };

/** "10G", "512MiB", "1048576" -> bytes (binary units); undefined when not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(text);
  if (!m) return undefined;
  const unit = SIZE_UNITS[m[2]!.toUpperCase()];
  if (unit === undefined) return undefined;
  const v = Math.round(Number(m[1]) * unit);
  return Number.isSafeInteger(v) ? v : undefined;
}

// ---- volumes ---------------------------------------------------------------

export const MIN_VOLUME_BYTES = 1024 ** 2;
export const MAX_VOLUME_BYTES = 64 * 1024 ** 4;

export interface VolumeInput {
  name: string;
  size: string;
  format?: string;
}

export interface VolumeSpec {
  name: string;
  sizeBytes: number;
  format: VolumeFormat;
}

/** A volume (file or LV) name: no path separators, no leading dot or dash. */
export function volumeNameRule(field: string, s: string, kind: StorageKind = 'file'): string | undefined {
  if (!s) return `${field}: is required`;
  const shared = objectNameProblem(s);
  if (shared) return `${field}: ${shared}`;
  if (s.length > 100) return `${field}: must be at most 100 characters (got ${s.length})`;
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/.test(s)) return `${field}: must start with a letter, digit or '_' and contain only letters, digits, '.', '_', '+' and '-' (got ${JSON.stringify(s)})`;
  if (kind === 'block' && (/^(snapshot|pvmove)/.test(s) || /_(cdata|cmeta|corig|mlog|mimage|pmspare|rimage|rmeta|tdata|tmeta|vdata|vorigin)/.test(s))) return `${field}: is a name LVM reserves (got ${JSON.stringify(s)})`;
  return undefined;
}

function volumeSizeProblem(input: VolumeInput): string | undefined {
  const sizeText = (input.size ?? '').trim();
  const size = parseSize(sizeText);
  if (!sizeText) return 'size: is required (e.g. 10G, 512M)';
  if (size === undefined) return `size: must be a number with an optional unit K, M, G or T (got ${JSON.stringify(input.size)})`;
  if (size < MIN_VOLUME_BYTES) return `size: must be at least 1 MiB (got ${formatBytes(size)})`;
  if (size > MAX_VOLUME_BYTES) return `size: must be at most 64 TiB (got ${formatBytes(size)})`;
  return undefined;
}

function volumeFormatProblem(input: VolumeInput): string | undefined {
  const formatText = (input.format ?? '').trim().toLowerCase();
  if (formatText && !(VOLUME_FORMATS as readonly string[]).includes(formatText)) return `format: must be qcow2 or raw (got ${JSON.stringify(input.format)})`;
  return undefined;
}

/**
 * Each value of a new volume on its own (name, size, format), before its
 * domain is looked up: a bad value is reported by its field, not as a domain
 * that is not there.
 */
export function volumeInputProblems(input: VolumeInput): FieldError[] {
  const problems: FieldError[] = [];
  const n = volumeNameRule('name', (input.name ?? '').trim());
  if (n) problems.push({ field: 'name', message: n });
  const size = volumeSizeProblem(input);
  if (size) problems.push({ field: 'size', message: size });
  const format = volumeFormatProblem(input);
  if (format) problems.push({ field: 'format', message: format });
  return problems;
}

/**
 * Validate a new volume against its domain: name, a size of at least 1 MiB
 * and no more than the domain's free space (when known), a format the domain
 * can hold (block domains are raw LVs; ISO domains hold raw images only).
 */
export function validateVolumeInput(input: VolumeInput, domain: { kind: StorageKind; type: DomainType; freeBytes?: number | null; existing?: readonly string[] }): Validated<VolumeSpec> {
  const errors: FieldError[] = [];
  const name = (input.name ?? '').trim();
  const n = volumeNameRule('name', name, domain.kind);
  if (n) errors.push({ field: 'name', message: n });
  else if (domain.existing?.includes(name)) errors.push({ field: 'name', message: `name: a volume named ${name} already exists in this domain` });
  const size = parseSize((input.size ?? '').trim());
  const sizeProblem = volumeSizeProblem(input);
  if (sizeProblem) errors.push({ field: 'size', message: sizeProblem });
  else if ((domain.kind === 'block' || input.format === 'raw') && typeof domain.freeBytes === 'number' && size! > domain.freeBytes) {
    errors.push({ field: 'size', message: `size: ${formatBytes(size)} is more than the domain's free space (${formatBytes(domain.freeBytes)})` });
  }
  const formatText = (input.format ?? '').trim().toLowerCase() || (domain.kind === 'block' || domain.type === 'iso' ? 'raw' : 'qcow2');
  const formatProblem = volumeFormatProblem(input);
  if (formatProblem) errors.push({ field: 'format', message: formatProblem });
  else if (formatText === 'qcow2' && domain.kind === 'block') errors.push({ field: 'format', message: 'format: block domains hold raw volumes (logical volumes) only' });
  else if (formatText === 'qcow2' && domain.type === 'iso') errors.push({ field: 'format', message: 'format: ISO domains hold raw images only' });
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { name, sizeBytes: size!, format: formatText as VolumeFormat } };
}

/** The name an uploaded file gets: its base name, checked like a volume name; ISO domains take .iso files only. */
export function uploadNameRule(name: string, domainType: DomainType): string | undefined {
  const r = volumeNameRule('name', name);
  if (r) return r;
  if (domainType === 'iso' && !/\.iso$/i.test(name)) return `name: ISO domains hold .iso files only (got ${JSON.stringify(name)})`;
  return undefined;
}

// ---- on-storage metadata -------------------------------------------------------

/**
 * What hostdeck writes onto the storage itself, so another host finds the
 * domain: in the spirit of vdsm, key=value lines in `<uuid>/dom_md/metadata`
 * for file domains, the same pairs as `MDT_KEY=VALUE` tags of the volume
 * group for block domains; a checksum over the pairs detects a torn or
 * hand-edited file.
 */
export interface DomainMetadata {
  uuid: string;
  name: string;
  type: DomainType;
  kind: StorageKind;
  formatVersion: number;
  creatorHost: string;
  createdAt: string;
  description: string;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const KEYS = ['SDUUID', 'NAME', 'TYPE', 'CLASS', 'VERSION', 'CREATOR_HOST', 'CREATE_TIME', 'DESCRIPTION'] as const;

function pairs(m: DomainMetadata): [string, string][] {
  return [
    ['SDUUID', m.uuid], ['NAME', m.name], ['TYPE', m.type.toUpperCase()], ['CLASS', m.kind === 'block' ? 'BLOCK' : 'FILE'],
    ['VERSION', String(m.formatVersion)], ['CREATOR_HOST', m.creatorHost], ['CREATE_TIME', m.createdAt], ['DESCRIPTION', m.description],
  ];
}

const checksum = (p: [string, string][]) => createHash('sha1').update(p.map(([k, v]) => `${k}=${v}`).join('\n')).digest('hex');

function clean(v: string): string {
  return v.replace(/[\n\r\0]/g, ' ');
}

/** The metadata file's text (file domains). */
export function formatMetadata(m: DomainMetadata): string {
  const p = pairs({ ...m, description: clean(m.description), creatorHost: clean(m.creatorHost) });
  return `${p.map(([k, v]) => `${k}=${v}`).join('\n')}\n_SHA_CKSUM=${checksum(p)}\n`;
}

export class MetadataError extends Error {}

function fromPairs(map: Map<string, string>, where: string): DomainMetadata {
  const missing = KEYS.filter((k) => k !== 'DESCRIPTION' && !map.get(k));
  if (missing.length) throw new MetadataError(`${where}: missing ${missing.join(', ')}`);
  const uuid = map.get('SDUUID')!;
  if (!UUID_RE.test(uuid)) throw new MetadataError(`${where}: SDUUID is not a UUID (${JSON.stringify(uuid)})`);
  const type = map.get('TYPE')!.toLowerCase();
  if (!(DOMAIN_TYPES as readonly string[]).includes(type)) throw new MetadataError(`${where}: unknown TYPE ${JSON.stringify(map.get('TYPE'))}`);
  const cls = map.get('CLASS')!;
  if (cls !== 'FILE' && cls !== 'BLOCK') throw new MetadataError(`${where}: unknown CLASS ${JSON.stringify(cls)}`);
  const version = Number(map.get('VERSION'));
  if (!Number.isInteger(version) || version < 1) throw new MetadataError(`${where}: VERSION is not a positive integer`);
  if (version > FORMAT_VERSION) throw new MetadataError(`${where}: format version ${version} is newer than this hostdeck reads (${FORMAT_VERSION}); upgrade hostdeck`);
  const m: DomainMetadata = {
    uuid, name: map.get('NAME')!, type: type as DomainType, kind: cls === 'BLOCK' ? 'block' : 'file', formatVersion: version,
    creatorHost: map.get('CREATOR_HOST')!, createdAt: map.get('CREATE_TIME')!, description: map.get('DESCRIPTION') ?? '',
  };
  const sum = map.get('_SHA_CKSUM');
  if (!sum) throw new MetadataError(`${where}: no checksum (_SHA_CKSUM)`);
  if (sum !== checksum(pairs(m))) throw new MetadataError(`${where}: checksum mismatch (torn write or edited by hand)`);
  return m;
}

/** Parse a metadata file; throws MetadataError naming what is wrong. */
export function parseMetadata(text: string, where = 'metadata'): DomainMetadata {
  const map = new Map<string, string>();
  for (const line of text.replace(/\0+$/, '').split('\n')) {
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new MetadataError(`${where}: not a key=value line: ${JSON.stringify(line.slice(0, 60))}`);
    map.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return fromPairs(map, where);
}

/** LVM tags for a block domain's volume group (allowed characters: A-Z a-z 0-9 _ + . - / = ! : & #). */
export function metadataTags(m: DomainMetadata): string[] {
  const enc = (v: string) => v.replace(/[^A-Za-z0-9_+.\-/=!:&#]/g, (c) => `&${c.codePointAt(0)!.toString(16).padStart(2, '0')}#`);
  const p = pairs({ ...m, description: clean(m.description), creatorHost: clean(m.creatorHost) });
  return [...p.map(([k, v]) => `MDT_${k}=${enc(v)}`), `MDT__SHA_CKSUM=${checksum(p)}`].filter((t) => !/=$/.test(t));
}

/** Read the metadata back from a volume group's tags. */
export function parseMetadataTags(tags: readonly string[], where = 'volume group tags'): DomainMetadata {
  const dec = (v: string) => v.replace(/&([0-9a-f]+)#/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)));
  const map = new Map<string, string>();
  for (const t of tags) {
    const m = /^MDT_([A-Z_]+)=(.*)$/.exec(t);
    if (m) map.set(m[1]!, dec(m[2]!));
  }
  return fromPairs(map, where);
}

/** Where a file domain's pieces are, relative to the connection's mount (vdsm's layout). */
export function fileLayout(mount: string, uuid: string): { dir: string; mdDir: string; metadata: string; images: string } {
  const dir = `${mount.replace(/\/+$/, '')}/${uuid}`;
  return { dir, mdDir: `${dir}/dom_md`, metadata: `${dir}/dom_md/metadata`, images: `${dir}/images` };
}

// ---- actions and their rules ------------------------------------------------------

export interface DomainRow {
  id: string;
  name: string;
  type: DomainType;
  status: DomainStatus;
}

/** Why an action cannot run on a domain now, or undefined when it can. */
export function domainActionBlocked(action: 'maintenance' | 'activate' | 'detach' | 'remove' | 'volumes' | 'upload', d: DomainRow): string | undefined {
  switch (action) {
    case 'maintenance':
      return d.status === 'maintenance' ? `${d.name} is already in maintenance` : undefined;
    case 'activate':
      return d.status === 'active' ? `${d.name} is already active` : undefined;
    case 'detach':
    case 'remove':
      return d.status !== 'maintenance' ? `${d.name} is ${d.status}: put it in maintenance first` : undefined;
    case 'volumes':
      return d.status === 'active' ? undefined : `${d.name} is ${d.status}: volumes can be changed on an active domain only`;
    case 'upload':
      if (d.status !== 'active') return `${d.name} is ${d.status}: upload to an active domain`;
      return d.type === 'export' ? `${d.name} is an export domain: upload ISO files to an ISO domain and disks to a data domain` : undefined;
  }
}

/** A VM that uses a domain, with the disks that make it so. */
export interface DomainUser {
  vm: string;
  state: string;
  disks: string[];
}

/** Which of a VM's disk sources belong to a domain (its pool's volumes or paths under its directory / volume group). */
export function disksOnDomain(disks: readonly { source: string; pool?: string }[], domain: { poolName: string; path: string; kind: StorageKind }): string[] {
  const prefix = domain.kind === 'block' ? `/dev/${domain.path}/` : `${domain.path.replace(/\/+$/, '')}/`;
  const mapper = domain.kind === 'block' ? `/dev/mapper/${domain.path.replace(/-/g, '--')}-` : undefined;
  return disks.filter((d) => d.pool === domain.poolName || d.source.startsWith(prefix) || (mapper !== undefined && d.source.startsWith(mapper))).map((d) => (d.pool ? `${d.pool}/${d.source}` : d.source));
}

/** Disk sources of a domain XML: file/dev/volume (pool + volume). */
export function parseDiskSources(xml: string): { source: string; pool?: string }[] {
  const out: { source: string; pool?: string }[] = [];
  for (const m of xml.matchAll(/<disk\b[\s\S]*?<\/disk>/g)) {
    const src = /<source\b([^>]*)\/?>/.exec(m[0]);
    if (!src) continue;
    const attr = (n: string) => new RegExp(`\\b${n}=['"]([^'"]*)['"]`).exec(src[1]!)?.[1];
    const pool = attr('pool');
    const volume = attr('volume');
    if (pool && volume) out.push({ source: volume, pool });
    else {
      const s = attr('file') ?? attr('dev');
      if (s) out.push({ source: s.replace(/&amp;/g, '&').replace(/&apos;/g, "'").replace(/&quot;/g, '"') });
    }
  }
  return out;
}

/** Used fraction for the capacity bar. */
export function usedRatio(d: { capacityBytes?: number | null; usedBytes?: number | null }): number | undefined {
  if (!d.capacityBytes || d.usedBytes === undefined || d.usedBytes === null) return undefined;
  return Math.max(0, Math.min(1, d.usedBytes / d.capacityBytes));
}
