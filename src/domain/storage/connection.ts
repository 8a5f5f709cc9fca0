// Storage connections (issue #7): the operator's input for NFS, iSCSI, Fibre
// Channel, POSIX and local-directory connections and its rules. Pure: no I/O.
// Every message names the field and the rule, so the CLI, the Storage
// connections screen and `storage reconnect` say the same thing.
import { isIPv4, isIPv6 } from 'node:net';
import { isHostName } from '../engine.ts';
import type { FieldError, Validated } from '../errors.ts';

export type { FieldError, Validated };

export const CONNECTION_TYPES = ['nfs', 'iscsi', 'fc', 'posixfs', 'localfs'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];
export const FILE_TYPES: readonly ConnectionType[] = ['nfs', 'posixfs', 'localfs'];
export const BLOCK_TYPES: readonly ConnectionType[] = ['iscsi', 'fc'];

export const NFS_VERSIONS = ['auto', '3', '4.0', '4.1', '4.2'] as const;
export type NfsVersion = (typeof NFS_VERSIONS)[number];
/** The mount options oVirt uses for NFS: an outage fails in about a minute instead of hanging. */
export const NFS_DEFAULT_OPTIONS = ['soft', 'nosharecache', 'timeo=100', 'retrans=3'] as const;
export const DEFAULT_ISCSI_PORT = 3260;
/** open-iscsi keeps CHAP names and secrets in 256-byte buffers (AUTH_STR_MAX_LEN) with the NUL. */
export const CHAP_MAX = 255;
/** RFC 3720 8.2.1: secrets of at least 96 bits (12 bytes); LIO and most arrays ask for 12 or more. */
export const CHAP_SECRET_MIN = 12;
/** RFC 3720 3.2.6.1: an iSCSI name is at most 223 bytes. */
export const ISCSI_NAME_MAX = 223;
export const NFS_PATH_MAX = 254;
export const OPTIONS_MAX = 512;

export const KNOWN_VFS_TYPES = ['ext4', 'ext3', 'ext2', 'xfs', 'btrfs', 'vfat', 'exfat', 'nfs', 'nfs4', 'cifs', 'smb3', 'glusterfs', 'cephfs', 'ceph', 'gfs2', 'ocfs2', 'lustre', 'tmpfs', 'virtiofs', '9p'] as const;

export interface NfsParams {
  /** server:/export as given (normalised: no trailing slash). */
  path: string;
  server: string;
  export: string;
  version: NfsVersion;
  /** Extra mount options, comma separated (validated). */
  options: string;
}

export interface IscsiParams {
  /** Host part of the portal: IPv4, IPv6 (without brackets) or FQDN. */
  address: string;
  port: number;
  target: string;
  /** Initiator authenticates to the target (CHAP). */
  chapUser?: string;
  /** Target authenticates back to the initiator (mutual CHAP). */
  mutualUser?: string;
}

export interface FcParams {
  /** WWID of the LUN (empty: every FC LUN the HBAs see). */
  wwid?: string;
}

export interface PosixParams {
  spec: string;
  vfsType: string;
  options: string;
}

export interface LocalParams {
  path: string;
}

export type ConnectionParams = NfsParams | IscsiParams | FcParams | PosixParams | LocalParams;

export type ConnectionState = 'connected' | 'disconnected' | 'failed' | 'unknown';

/** A stored connection as the service returns it (secrets are never in it). */
export interface StorageConnection {
  id: string;
  type: ConnectionType;
  name?: string;
  params: ConnectionParams;
  persistent: boolean;
  /** Last known state (status() reads the host). */
  state: ConnectionState;
  /** The reason of the last failure, when state is failed. */
  lastError?: string;
  /** When the last failure happened (ISO time). */
  lastErrorAt?: string;
  /** Whether a CHAP secret (and a mutual one) is stored, encrypted. */
  hasSecret?: boolean;
  hasMutualSecret?: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What the operator gives, as strings (form fields, CLI flags). */
export interface ConnectionInput {
  type: string;
  name?: string;
  persistent?: boolean;
  // nfs
  path?: string;
  version?: string;
  options?: string;
  // iscsi
  portal?: string;
  target?: string;
  chapUser?: string;
  chapSecret?: string;
  mutualUser?: string;
  mutualSecret?: string;
  // fc
  wwid?: string;
  // posixfs
  spec?: string;
  vfsType?: string;
}

export interface ValidConnection {
  type: ConnectionType;
  name?: string;
  persistent: boolean;
  params: ConnectionParams;
  secrets: { chapSecret?: string; mutualSecret?: string };
}

const quote = (s: string) => JSON.stringify(s);
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;

/** Host of a server: IPv4, [IPv6] (brackets required when a ':' follows) or FQDN. */
export function serverRule(field: string, s: string): string | undefined {
  if (!s) return `${field}: the server is missing (IP address, [IPv6] or host name)`;
  if (s.startsWith('[')) {
    if (!s.endsWith(']') || !isIPv6(s.slice(1, -1))) return `${field}: ${quote(s)} is not a valid [IPv6] address`;
    return undefined;
  }
  if (isIPv4(s) || isHostName(s)) return undefined;
  if (/^[\d.]+$/.test(s)) return `${field}: ${quote(s)} is not a valid IPv4 address (four numbers 0-255)`;
  return `${field}: server must be an IPv4 address, an [IPv6] address in brackets or a host name (letters, digits, hyphens, dots), got ${quote(s)}`;
}

/** Absolute path without '..' or '.' components, whitespace or control characters. */
export function absPathRule(field: string, p: string, what = ''): string | undefined {
  const w = what ? `${what} ` : '';
  if (!p) return `${field}: ${w}is required`;
  if (!p.startsWith('/')) return `${field}: ${w}must be absolute (start with /), got ${quote(p)}`;
  // eslint-disable-next-line no-control-regex -- control characters are what this rule rejects
  if (/[\s\x00-\x1f\x7f]/.test(p)) return `${field}: ${w}must not contain whitespace or control characters`;
  if (!PRINTABLE_ASCII.test(p)) return `${field}: ${w}must be printable ASCII`;
  if (p.split('/').some((c) => c === '..' || c === '.')) return `${field}: ${w}must not contain '.' or '..' components, got ${quote(p)}`;
  if (p.includes('//')) return `${field}: ${w}must not contain an empty component ('//'), got ${quote(p)}`;
  return undefined;
}

/** Split server:/export; IPv6 servers are written [addr]:/export. */
export function splitServerPath(s: string): { server: string; path: string } | undefined {
  const m = /^(\[[^\]]*\]|[^:/[\]]+):(\/.*)$/.exec(s);
  return m ? { server: m[1]!, path: m[2]! } : undefined;
}

export function validateNfsPath(field: string, raw: string): { value?: { server: string; export: string; path: string }; error?: string } {
  const s = raw.trim();
  if (!s) return { error: `${field}: is required (server:/export, e.g. nfs.example.com:/exports/data)` };
  if (/\s/.test(s)) return { error: `${field}: must not contain whitespace` };
  if (!/^[\x21-\x7e]+$/.test(s)) return { error: `${field}: must be printable ASCII` };
  if (s.length > NFS_PATH_MAX) return { error: `${field}: at most ${NFS_PATH_MAX} characters (got ${s.length})` };
  const sp = splitServerPath(s);
  if (!sp) return { error: `${field}: must be server:/export (an absolute export path after the colon; IPv6 as [addr]:/export), got ${quote(s)}` };
  const e = serverRule(field, sp.server) ?? absPathRule(field, sp.path, 'export');
  if (e) return { error: e };
  const exp = sp.path.length > 1 ? sp.path.replace(/\/+$/, '') : sp.path;
  return { value: { server: sp.server, export: exp, path: `${sp.server}:${exp}` } };
}

const OPT_KEY = /^[a-z][a-z0-9_.-]{0,63}$/;
const OPT_VALUE = /^[A-Za-z0-9_.:/@+%-]{1,255}$/;
/** Options hostdeck sets itself or that would defeat its checks. */
const NFS_RESERVED = new Set(['vers', 'nfsvers', 'hard', 'bg', 'fg', 'remount', 'bind', 'rbind', 'move']);
const GENERIC_RESERVED = new Set(['remount', 'bind', 'rbind', 'move', 'x-mount.mkdir']);

/**
 * A mount option list: comma separated `key` or `key=value`, keys lower case
 * letters/digits/_/./-, values letters, digits and _ . : / @ + % - (no
 * quotes, spaces, commas inside values or shell characters).
 */
export function validateOptions(field: string, raw: string | undefined, reserved: ReadonlySet<string> = GENERIC_RESERVED): { value: string; error?: string } {
  const s = (raw ?? '').trim();
  if (!s) return { value: '' };
  if (s.length > OPTIONS_MAX) return { value: '', error: `${field}: at most ${OPTIONS_MAX} characters (got ${s.length})` };
  const seen = new Set<string>();
  for (const item of s.split(',')) {
    if (!item) return { value: '', error: `${field}: empty option (two commas, or a comma at the start or end) in ${quote(s)}` };
    const eq = item.indexOf('=');
    const key = eq >= 0 ? item.slice(0, eq) : item;
    const value = eq >= 0 ? item.slice(eq + 1) : undefined;
    if (!OPT_KEY.test(key)) return { value: '', error: `${field}: option name ${quote(key)} must be lower-case letters, digits, '_', '.' or '-' starting with a letter` };
    if (value !== undefined && !OPT_VALUE.test(value)) return { value: '', error: `${field}: value of ${key} must be 1-255 of letters, digits and _ . : / @ + % - (got ${quote(value)})` };
    if (reserved.has(key)) return { value: '', error: `${field}: option ${quote(key)} is not allowed here${key === 'vers' || key === 'nfsvers' ? ' (use the version field)' : key === 'hard' ? ' (hostdeck mounts soft so an outage cannot hang the host)' : ''}` };
    if (seen.has(key)) return { value: '', error: `${field}: option ${quote(key)} is given twice` };
    seen.add(key);
  }
  return { value: s };
}

/** Portal ADDR[:PORT]: IPv4, [IPv6] or FQDN; port 1-65535 (3260 when not given). */
export function parsePortal(field: string, raw: string): { address?: string; port?: number; error?: string } {
  const s = raw.trim();
  if (!s) return { error: `${field}: is required (ADDR[:PORT], e.g. 192.0.2.10 or [2001:db8::10]:3260)` };
  if (/\s/.test(s)) return { error: `${field}: must not contain whitespace` };
  let host = s;
  let portText: string | undefined;
  if (s.startsWith('[')) {
    const m = /^\[([^\]]+)\](?::(.*))?$/.exec(s);
    if (!m || !isIPv6(m[1]!)) return { error: `${field}: ${quote(s)} is not a valid [IPv6] address (write [addr] or [addr]:port)` };
    host = m[1]!;
    portText = m[2];
  } else if (isIPv6(s)) {
    return { error: `${field}: write an IPv6 portal in brackets, [${s}] or [${s}]:${DEFAULT_ISCSI_PORT}` };
  } else {
    const i = s.lastIndexOf(':');
    if (i >= 0) { host = s.slice(0, i); portText = s.slice(i + 1); }
    if (!isIPv4(host) && !isHostName(host)) {
      if (/^[\d.]+$/.test(host)) return { error: `${field}: ${quote(host)} is not a valid IPv4 address (four numbers 0-255)` };
      return { error: `${field}: address must be an IPv4 address, an [IPv6] address or a host name, got ${quote(host)}` };
    }
  }
  let port = DEFAULT_ISCSI_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) return { error: `${field}: port must be a whole number from 1 to 65535 (got ${quote(portText)})` };
    port = Number(portText);
    if (port < 1 || port > 65535) return { error: `${field}: port must be from 1 to 65535 (got ${portText})` };
  }
  return { address: host, port };
}

/** The portal as iscsiadm writes it: ADDR:PORT, [IPv6]:PORT. */
export function formatPortal(address: string, port: number): string {
  return `${isIPv6(address) ? `[${address}]` : address}:${port}`;
}

const MONTHS = /^(0[1-9]|1[0-2])$/;

/** iSCSI names per RFC 3720 3.2.6.3: iqn.YYYY-MM.reversed.domain[:unique], eui.<16 hex>, naa.<16 or 32 hex>. */
export function iscsiNameRule(field: string, raw: string): string | undefined {
  const s = raw.trim();
  if (!s) return `${field}: is required (iqn.YYYY-MM.reversed.domain:name, eui.<16 hex digits> or naa.<16 or 32 hex digits>)`;
  if (s.length > ISCSI_NAME_MAX) return `${field}: at most ${ISCSI_NAME_MAX} bytes (got ${s.length})`;
  if (/\s/.test(s)) return `${field}: must not contain whitespace`;
  const lower = s.toLowerCase();
  if (lower.startsWith('eui.')) return /^eui\.[0-9a-f]{16}$/.test(lower) ? undefined : `${field}: an EUI name is eui. followed by exactly 16 hex digits, got ${quote(s)}`;
  if (lower.startsWith('naa.')) return /^naa\.([0-9a-f]{16}|[0-9a-f]{32})$/.test(lower) ? undefined : `${field}: an NAA name is naa. followed by 16 or 32 hex digits, got ${quote(s)}`;
  if (!lower.startsWith('iqn.')) return `${field}: must start with iqn., eui. or naa. (got ${quote(s)})`;
  if (s !== lower) return `${field}: an IQN is lower case (iSCSI names are case-insensitive and stored lower case), got ${quote(s)}`;
  const m = /^iqn\.(\d{4})-(\d{2})\.([a-z0-9][a-z0-9.-]*[a-z0-9]|[a-z0-9])(?::(.+))?$/.exec(s);
  if (!m) return `${field}: must be iqn.YYYY-MM.reversed.domain[:name] (e.g. iqn.2003-01.org.linux-iscsi.host:disk1), got ${quote(s)}`;
  if (!MONTHS.test(m[2]!)) return `${field}: month in ${quote(`${m[1]}-${m[2]}`)} must be 01-12`;
  if (m[3]!.split('.').some((l) => !l || l.startsWith('-') || l.endsWith('-'))) return `${field}: the naming authority ${quote(m[3]!)} must be a reversed domain name (labels of letters, digits and hyphens)`;
  if (m[4] !== undefined && !/^[a-z0-9.:_-]+$/.test(m[4])) return `${field}: the part after ':' may only contain lower-case letters, digits and . : - _ (got ${quote(m[4])})`;
  return undefined;
}

export function chapUserRule(field: string, s: string): string | undefined {
  if (!s) return `${field}: is required with a CHAP secret`;
  if (s.length > CHAP_MAX) return `${field}: at most ${CHAP_MAX} characters (got ${s.length})`;
  if (!PRINTABLE_ASCII.test(s)) return `${field}: printable ASCII without spaces only`;
  return undefined;
}

/** A CHAP secret: 12-255 printable ASCII characters, no whitespace (open-iscsi trims it; LIO stores it as one token). */
export function chapSecretRule(field: string, s: string): string | undefined {
  if (!s) return `${field}: is required`;
  if (s.length < CHAP_SECRET_MIN) return `${field}: at least ${CHAP_SECRET_MIN} characters (RFC 3720 asks for 96 bits; got ${s.length})`;
  if (s.length > CHAP_MAX) return `${field}: at most ${CHAP_MAX} characters (got ${s.length})`;
  if (!PRINTABLE_ASCII.test(s)) return `${field}: printable ASCII without spaces or control characters only`;
  return undefined;
}

/** POSIX mount spec: a device path (/dev/...), server:/path or //server/share. */
export function posixSpecRule(field: string, raw: string): string | undefined {
  const s = raw.trim();
  if (!s) return `${field}: is required (a device path like /dev/sdb1, server:/path or //server/share)`;
  if (/\s/.test(s)) return `${field}: must not contain whitespace`;
  if (!/^[\x21-\x7e]+$/.test(s)) return `${field}: must be printable ASCII`;
  if (s.length > 1024) return `${field}: at most 1024 characters`;
  if (s.startsWith('//')) {
    const m = /^\/\/([^/]+)\/([^/].*)$/.exec(s);
    if (!m) return `${field}: a share is //server/share, got ${quote(s)}`;
    return serverRule(field, m[1]!) ?? (m[2]!.split('/').some((c) => c === '..') ? `${field}: must not contain '..'` : undefined);
  }
  if (s.startsWith('/')) return absPathRule(field, s, 'device path');
  const sp = splitServerPath(s);
  if (!sp) return `${field}: must be a device path (/dev/...), server:/path or //server/share, got ${quote(s)}`;
  return serverRule(field, sp.server) ?? absPathRule(field, sp.path);
}

export function vfsTypeRule(field: string, s: string): string | undefined {
  if (!s) return `${field}: is required (e.g. ${KNOWN_VFS_TYPES.slice(0, 5).join(', ')})`;
  if ((KNOWN_VFS_TYPES as readonly string[]).includes(s)) return undefined;
  if (!/^[a-z][a-z0-9_]{0,31}(\.[a-z0-9_]{1,31})?$/.test(s)) return `${field}: must be a file system type name (lower-case letters, digits and _, e.g. ext4, xfs, glusterfs, fuse.sshfs), got ${quote(s)}`;
  if (['bind', 'rbind', 'proc', 'sysfs', 'devtmpfs', 'devpts', 'cgroup', 'cgroup2', 'overlay', 'securityfs', 'debugfs', 'configfs', 'swap', 'none'].includes(s)) return `${field}: ${quote(s)} is not a storage file system`;
  return undefined;
}

const SYSTEM_DIRS = new Set(['/', '/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/root', '/run', '/sbin', '/sys', '/tmp', '/usr', '/var', '/home']);

export function localPathRule(field: string, raw: string): string | undefined {
  const e = absPathRule(field, raw.trim());
  if (e) return e;
  const p = raw.trim().replace(/\/+$/, '') || '/';
  if (p.length > 4095) return `${field}: at most 4095 characters`;
  if (SYSTEM_DIRS.has(p)) return `${field}: ${quote(p)} is a system directory; use a directory of its own (e.g. /data/images)`;
  return undefined;
}

/** WWID as multipath and /dev/disk/by-id show it: hex (with an NAA/type prefix digit), t10./eui./naa. forms. */
export function wwidRule(field: string, s: string): string | undefined {
  if (!s) return undefined;
  if (/^[0-9a-fA-F]{16,40}$/.test(s) || /^(naa|eui|t10)\.[\x21-\x7e]{4,120}$/.test(s)) return undefined;
  return `${field}: a WWID is 16-40 hex digits (e.g. 36001405a1b2c3d4e5f60718293a4b5c6) or naa./eui./t10. followed by the identifier, got ${quote(s)}`;
}

export const NAME_MAX = 64;
export function nameRule(field: string, s: string | undefined): string | undefined {
  if (s === undefined || s === '') return undefined;
  if (s.length > NAME_MAX) return `${field}: at most ${NAME_MAX} characters`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(s)) return `${field}: letters, digits, '_', '.' and '-' only, starting with a letter or digit (got ${quote(s)})`;
  return undefined;
}

/** Validate everything the operator gave; nothing may run unless ok. */
export function validateConnection(input: ConnectionInput): Validated<ValidConnection> {
  const errors: FieldError[] = [];
  const add = (field: string, msg: string | undefined) => { if (msg) errors.push({ field, message: msg }); };
  const type = input.type as ConnectionType;
  if (!(CONNECTION_TYPES as readonly string[]).includes(input.type)) {
    return { ok: false, errors: [{ field: 'type', message: `type: must be one of ${CONNECTION_TYPES.join(', ')} (got ${quote(String(input.type))})` }] };
  }
  add('name', nameRule('name', input.name));
  const persistent = input.persistent ?? true;
  let params: ConnectionParams | undefined;
  const secrets: ValidConnection['secrets'] = {};
  switch (type) {
    case 'nfs': {
      const p = validateNfsPath('path', input.path ?? '');
      add('path', p.error);
      const version = (input.version ?? 'auto').trim() || 'auto';
      if (!(NFS_VERSIONS as readonly string[]).includes(version)) add('version', `version: must be one of ${NFS_VERSIONS.join(', ')} (got ${quote(version)})`);
      const o = validateOptions('options', input.options, NFS_RESERVED);
      add('options', o.error);
      if (p.value) params = { ...p.value, version: version as NfsVersion, options: o.value };
      break;
    }
    case 'iscsi': {
      const portal = parsePortal('portal', input.portal ?? '');
      add('portal', portal.error);
      add('target', iscsiNameRule('target', input.target ?? ''));
      const user = input.chapUser?.trim() ?? '';
      const secret = input.chapSecret ?? '';
      const mUser = input.mutualUser?.trim() ?? '';
      const mSecret = input.mutualSecret ?? '';
      if (user || secret) {
        add('chapUser', chapUserRule('chapUser', user));
        add('chapSecret', chapSecretRule('chapSecret', secret));
      }
      if (mUser || mSecret) {
        if (!user) add('mutualUser', 'mutualUser: mutual CHAP needs CHAP (a CHAP user and secret) as well');
        add('mutualUser', chapUserRule('mutualUser', mUser));
        add('mutualSecret', chapSecretRule('mutualSecret', mSecret));
        if (mSecret && mSecret === secret) add('mutualSecret', 'mutualSecret: must differ from the CHAP secret (RFC 3720 8.2.1)');
      }
      if (portal.address) {
        params = { address: portal.address, port: portal.port!, target: (input.target ?? '').trim(), ...(user ? { chapUser: user } : {}), ...(mUser ? { mutualUser: mUser } : {}) };
      }
      if (secret) secrets.chapSecret = secret;
      if (mSecret) secrets.mutualSecret = mSecret;
      break;
    }
    case 'fc': {
      const w = (input.wwid ?? '').trim();
      add('wwid', wwidRule('wwid', w));
      params = w ? { wwid: w.toLowerCase() } : {};
      break;
    }
    case 'posixfs': {
      add('spec', posixSpecRule('spec', input.spec ?? ''));
      const vfs = (input.vfsType ?? '').trim();
      add('vfsType', vfsTypeRule('vfsType', vfs));
      const o = validateOptions('options', input.options);
      add('options', o.error);
      params = { spec: (input.spec ?? '').trim(), vfsType: vfs, options: o.value };
      break;
    }
    case 'localfs': {
      add('path', localPathRule('path', input.path ?? ''));
      params = { path: (input.path ?? '').trim().replace(/(.)\/+$/, '$1') };
      break;
    }
  }
  if (errors.length || !params) return { ok: false, errors };
  return { ok: true, value: { type, ...(input.name ? { name: input.name } : {}), persistent, params, secrets } };
}

/** A one-line description of where a connection points (for lists). */
export function connectionTarget(type: ConnectionType, params: ConnectionParams): string {
  switch (type) {
    case 'nfs': return (params as NfsParams).path;
    case 'iscsi': { const p = params as IscsiParams; return `${formatPortal(p.address, p.port)} ${p.target}`; }
    case 'fc': return (params as FcParams).wwid || 'all FC LUNs';
    case 'posixfs': { const p = params as PosixParams; return `${p.spec} (${p.vfsType})`; }
    case 'localfs': return (params as LocalParams).path;
  }
}
