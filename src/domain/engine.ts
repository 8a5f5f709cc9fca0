// Registration with an oVirt engine: the operator's input and its rules.
// Pure: no I/O. Every rule's message names the field it is about, so the
// CLI, the Engine screen and the unattended path all say the same thing.
import { isIPv4, isIPv6 } from 'node:net';
import type { FieldError, Validated } from './errors.ts';

export type { FieldError, Validated };

export const DEFAULT_ENGINE_PORT = 443;
export const DEFAULT_SSH_PORT = 22;
/** The port VDSM listens on; the engine's RegisterServlet uses the same default. */
export const DEFAULT_VDSM_PORT = 54321;

/** What the operator gives (strings from a form, flags or kernel arguments). */
export interface RegistrationInput {
  /** HOST, HOST:PORT, [IPv6] or [IPv6]:PORT. */
  engine: string;
  /** Overrides the port in `engine` when given. */
  port?: string | number;
  /** SHA-1 fingerprint of the engine CA, given in advance. */
  fingerprint?: string;
  sshUser?: string;
  sshPort?: string | number;
  /** Name the host gets on the engine (default: this host's name). */
  name?: string;
  /** Address the engine reaches this host at (default: the management IP). */
  address?: string;
}

/** Validated, normalized registration parameters. */
export interface Registration {
  engineHost: string;
  enginePort: number;
  fingerprint?: string;
  sshUser: string;
  sshPort: number;
  name: string;
  address: string;
  vdsPort: number;
}

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A host name or FQDN (RFC 1123 labels); all-numeric names are not host names. */
export function isHostName(s: string): boolean {
  const name = s.endsWith('.') ? s.slice(0, -1) : s;
  if (!name || name.length > 253) return false;
  const labels = name.split('.');
  if (!labels.every((l) => LABEL.test(l))) return false;
  // "300.1.1.1" is a mistyped address, not a name: the last label must not be all digits.
  return !/^\d+$/.test(labels[labels.length - 1]!);
}

/** Error message for an engine or node host, or undefined when it is valid. */
export function hostRule(field: string, s: string): string | undefined {
  if (!s) return `${field}: is required`;
  if (/\s/.test(s)) return `${field}: must not contain spaces (got ${JSON.stringify(s)})`;
  if (isIPv4(s) || isIPv6(s) || isHostName(s)) return undefined;
  if (/^[\d.]+$/.test(s)) return `${field}: ${JSON.stringify(s)} is not a valid IPv4 address (four numbers 0-255 separated by dots)`;
  return `${field}: must be an IPv4 address, an IPv6 address or a host name of letters, digits, hyphens and dots (labels of 1-63 characters, 253 at most), got ${JSON.stringify(s)}`;
}

export function portRule(field: string, v: string | number | undefined): { port?: number; error?: string } {
  const s = String(v ?? '').trim();
  if (!/^\d+$/.test(s)) return { error: `${field}: must be a whole number from 1 to 65535 (got ${JSON.stringify(String(v ?? ''))})` };
  const n = Number(s);
  if (n < 1 || n > 65535) return { error: `${field}: must be from 1 to 65535 (got ${s})` };
  return { port: n };
}

/**
 * Split `engine` into host and port: HOST, HOST:PORT, [IPv6], [IPv6]:PORT, or
 * a bare IPv6 address (no port then).
 */
export function parseEngineAddress(text: string, field = 'engine'): { host: string; port?: number; error?: string } {
  const s = text.trim();
  if (!s) return { host: '', error: `${field}: is required (HOST or HOST:PORT)` };
  let host = s;
  let portText: string | undefined;
  const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(s);
  if (bracket) {
    host = bracket[1]!;
    portText = bracket[2];
    if (!isIPv6(host)) return { host, error: `${field}: ${JSON.stringify(host)} in brackets must be an IPv6 address` };
  } else if (isIPv6(s)) {
    host = s;
  } else if (s.includes(':')) {
    const i = s.lastIndexOf(':');
    host = s.slice(0, i);
    portText = s.slice(i + 1);
    if (host.includes(':')) return { host, error: `${field}: write an IPv6 address with a port as [ADDRESS]:PORT` };
  }
  const hostErr = hostRule(field, host);
  if (hostErr) return { host, error: hostErr };
  if (portText === undefined) return { host };
  const p = portRule(`${field} port`, portText);
  return p.error ? { host, error: p.error } : { host, port: p.port };
}

/** Colon-separated upper-case hex, the way the fingerprint is shown. */
export function formatFingerprint(hex: string): string {
  return hex.replace(/[^0-9a-fA-F]/g, '').toUpperCase().match(/.{2}/g)?.join(':') ?? '';
}

/**
 * A SHA-1 fingerprint: 20 bytes as hex, colon-separated (AB:CD:...) or not;
 * any case. Returns the canonical colon form.
 */
export function fingerprintRule(field: string, s: string): { fingerprint?: string; error?: string } {
  const t = s.trim();
  const ok = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){19}$/.test(t) || /^[0-9a-fA-F]{40}$/.test(t);
  if (!ok) {
    return { error: `${field}: must be the SHA-1 fingerprint of the engine CA, 20 hex byte pairs separated by colons (e.g. 3A:7F:...:C2), got ${JSON.stringify(s)}` };
  }
  return { fingerprint: formatFingerprint(t) };
}

/** Fingerprints are compared without regard to case or separators. */
export function sameFingerprint(a: string, b: string): boolean {
  return formatFingerprint(a) === formatFingerprint(b) && formatFingerprint(a).length > 0;
}

/**
 * A user name by the POSIX portable rules: letters, digits, '.', '_', '-'
 * (not starting with '-'), at most 32 characters, not all digits; a trailing
 * '$' is allowed (Samba machine accounts).
 */
export function sshUserRule(field: string, s: string): string | undefined {
  if (!s) return `${field}: is required`;
  if (s.length > 32) return `${field}: must be at most 32 characters (got ${s.length})`;
  if (!/^[A-Za-z0-9._][A-Za-z0-9._-]*\$?$/.test(s)) {
    return `${field}: must be a POSIX user name: letters, digits, '.', '_' and '-', not starting with '-' (got ${JSON.stringify(s)})`;
  }
  if (/^\d+$/.test(s)) return `${field}: must not be all digits (got ${JSON.stringify(s)})`;
  return undefined;
}

/** The host's name on the engine: 1-255 letters, digits, '.', '_' and '-', starting with a letter or digit. */
export function nodeNameRule(field: string, s: string): string | undefined {
  if (!s) return `${field}: is required`;
  if (s.length > 255) return `${field}: must be at most 255 characters (got ${s.length})`;
  if (!/^[A-Za-z0-9._-]+$/.test(s)) return `${field}: may contain only letters, digits, '.', '_' and '-' (got ${JSON.stringify(s)})`;
  if (!/^[A-Za-z0-9]/.test(s)) return `${field}: must start with a letter or digit (got ${JSON.stringify(s)})`;
  return undefined;
}

/**
 * Validate every field; `defaults` fill name, address and SSH user when they
 * are empty. All errors are returned at once, each naming its field.
 */
export function validateRegistration(input: RegistrationInput, defaults: { name?: string; address?: string; sshUser?: string } = {}): Validated<Registration> {
  const errors: FieldError[] = [];
  const add = (field: string, message: string | undefined) => { if (message) errors.push({ field, message }); };

  const eng = parseEngineAddress(input.engine ?? '', 'engine');
  add('engine', eng.error);
  let enginePort = eng.port ?? DEFAULT_ENGINE_PORT;
  if (input.port !== undefined && String(input.port).trim() !== '') {
    const p = portRule('port', input.port);
    add('port', p.error);
    if (p.port !== undefined) {
      if (eng.port !== undefined && eng.port !== p.port) add('port', `port: ${p.port} contradicts the port ${eng.port} given in engine`);
      enginePort = p.port;
    }
  }

  let fingerprint: string | undefined;
  if (input.fingerprint !== undefined && input.fingerprint.trim() !== '') {
    const f = fingerprintRule('fingerprint', input.fingerprint);
    add('fingerprint', f.error);
    fingerprint = f.fingerprint;
  }

  const sshUser = (input.sshUser ?? '').trim() || defaults.sshUser || 'root';
  add('sshUser', sshUserRule('ssh user', sshUser));

  let sshPort = DEFAULT_SSH_PORT;
  if (input.sshPort !== undefined && String(input.sshPort).trim() !== '') {
    const p = portRule('ssh port', input.sshPort);
    add('sshPort', p.error);
    sshPort = p.port ?? sshPort;
  }

  const name = (input.name ?? '').trim() || defaults.name || '';
  add('name', name ? nodeNameRule('node name', name) : 'node name: is required (this host has no name to default to)');

  const address = (input.address ?? '').trim() || defaults.address || '';
  add('address', address ? hostRule('node address', address) : 'node address: is required (no management IP found to default to)');

  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { engineHost: eng.host, enginePort, fingerprint, sshUser, sshPort, name, address, vdsPort: DEFAULT_VDSM_PORT } };
}

/** HOST:PORT for display, with brackets around IPv6. */
export function engineLabel(host: string, port: number): string {
  const h = isIPv6(host) ? `[${host}]` : host;
  return port === DEFAULT_ENGINE_PORT ? h : `${h}:${port}`;
}

/** Registration steps in the order they run, with the words the screens use. */
export const REGISTRATION_STEPS = [
  { id: 'version', label: 'Check the engine speaks host-register version 1' },
  { id: 'pki-trust', label: 'Fetch the engine CA' },
  { id: 'trust', label: 'Accept the engine CA fingerprint' },
  { id: 'ssh-trust', label: "Fetch the engine's SSH key over HTTPS verified by that CA" },
  { id: 'store-ca', label: 'Store the engine CA' },
  { id: 'authorized-key', label: "Add the engine's SSH key to authorized_keys" },
  { id: 'unique-id', label: 'Determine the host unique id' },
  { id: 'register', label: 'Register the host' },
] as const;

export type RegistrationStepId = (typeof REGISTRATION_STEPS)[number]['id'];
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface StepProgress {
  id: RegistrationStepId;
  status: StepStatus;
  detail?: string;
}
