// Pure rules of the SSH settings: the sshd drop-in hostdeck writes, what
// `sshd -T` reads back, and root's authorized_keys lines (type, key length,
// options), so garbage never reaches the file.
import type { FieldError } from '../errors.ts';

export const ROOT_LOGIN_POLICIES = ['yes', 'no', 'prohibit-password', 'forced-commands-only'] as const;
export type RootLoginPolicy = (typeof ROOT_LOGIN_POLICIES)[number];
export const PORT_RULE = 'a TCP port from 1 to 65535';
export const SSH_DROP_IN = '/etc/ssh/sshd_config.d/10-hostdeck.conf';

export interface SshSettings {
  port: number;
  passwordLogin: boolean;
  rootLogin: RootLoginPolicy;
}

export interface SshSettingsInput {
  port?: string | number;
  passwordLogin?: string | boolean;
  rootLogin?: string;
}

const onOff = (v: string | boolean | undefined): boolean | undefined | 'bad' =>
  v === undefined || typeof v === 'boolean' ? v : /^(on|yes|true)$/i.test(v) ? true : /^(off|no|false)$/i.test(v) ? false : 'bad';

export function portProblem(field: string, v: string | number | undefined): { port?: number; error?: FieldError } {
  const s = String(v ?? '').trim();
  const n = /^\d{1,5}$/.test(s) ? Number(s) : NaN;
  if (!(n >= 1 && n <= 65535)) return { error: { field, message: `${field}: ${JSON.stringify(s.slice(0, 20))} is not ${PORT_RULE}` } };
  return { port: n };
}

/** The settings after `input` is applied on `current`, or the rules it breaks. */
export function sshSettingsInput(current: SshSettings, input: SshSettingsInput): { settings: SshSettings; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const settings = { ...current };
  if (input.port !== undefined && input.port !== '') {
    const p = portProblem('port', input.port);
    if (p.error) errors.push(p.error); else settings.port = p.port!;
  }
  const pw = onOff(input.passwordLogin);
  if (pw === 'bad') errors.push({ field: 'passwordLogin', message: `password-login: ${JSON.stringify(String(input.passwordLogin).slice(0, 20))} is not on or off` });
  else if (pw !== undefined) settings.passwordLogin = pw;
  if (input.rootLogin !== undefined && input.rootLogin !== '') {
    if ((ROOT_LOGIN_POLICIES as readonly string[]).includes(input.rootLogin)) settings.rootLogin = input.rootLogin as RootLoginPolicy;
    else errors.push({ field: 'rootLogin', message: `root-login: ${JSON.stringify(input.rootLogin.slice(0, 30))} is not one of ${ROOT_LOGIN_POLICIES.join(', ')}` });
  }
  return { settings, errors };
}

/** The drop-in: first in sshd_config.d's order, so its values win (sshd keeps the first value it reads). */
export function sshDropIn(s: SshSettings): string {
  return ['# Written by hostdeck (hostdeck system ssh-set); sshd keeps the first value it reads, so this file sorts first.',
    `Port ${s.port}`, `PasswordAuthentication ${s.passwordLogin ? 'yes' : 'no'}`, `PermitRootLogin ${s.rootLogin}`, ''].join('\n');
}

/** `sshd -T` (lower-case keywords, one per line) as settings. */
export function parseSshdT(text: string): SshSettings {
  const get = (k: string) => new RegExp(`^${k} (.+)$`, 'm').exec(text)?.[1]?.trim();
  const root = get('permitrootlogin') === 'without-password' ? 'prohibit-password' : get('permitrootlogin');
  return {
    port: Number(get('port') ?? 22),
    passwordLogin: get('passwordauthentication') === 'yes',
    rootLogin: (ROOT_LOGIN_POLICIES as readonly string[]).includes(root ?? '') ? root as RootLoginPolicy : 'prohibit-password',
  };
}

// authorized_keys ------------------------------------------------------------

export const KEY_TYPES = ['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com'] as const;
export const MIN_RSA_BITS = 2048;
export const KEY_RULE = `one line: [options] TYPE BASE64 [comment], TYPE one of ${KEY_TYPES.join(', ')}; RSA keys of at least ${MIN_RSA_BITS} bits`;
const FLAG_OPTIONS = ['agent-forwarding', 'cert-authority', 'no-agent-forwarding', 'no-port-forwarding', 'no-pty', 'no-user-rc', 'no-X11-forwarding', 'port-forwarding', 'pty', 'no-touch-required', 'verify-required', 'restrict', 'user-rc', 'X11-forwarding'];
const VALUE_OPTIONS = ['command', 'environment', 'expiry-time', 'from', 'permitlisten', 'permitopen', 'principals', 'tunnel'];

export interface AuthorizedKey {
  options: string[];
  type: string;
  base64: string;
  comment: string;
  /** RSA modulus bits, ECDSA curve bits, 256 for Ed25519. */
  bits: number;
}

/** Split an options field at commas outside double quotes; undefined when a quote is left open. */
function splitOptions(s: string): string[] | undefined {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && quoted && s[i + 1] === '"') { cur += '\\"'; i++; continue; }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  if (quoted) return undefined;
  out.push(cur);
  return out;
}

/** The SSH wire strings of a key blob (uint32 length + bytes each). */
function wireStrings(blob: Uint8Array): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < blob.length) {
    if (i + 4 > blob.length) return undefined;
    const n = ((blob[i]! << 24) >>> 0) + (blob[i + 1]! << 16) + (blob[i + 2]! << 8) + blob[i + 3]!;
    i += 4;
    if (i + n > blob.length) return undefined;
    out.push(blob.subarray(i, i + n));
    i += n;
  }
  return out;
}

function keyBits(type: string, parts: Uint8Array[]): number | string {
  const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : '');
  if (text(parts[0]) !== type) return `its key data is a ${JSON.stringify(text(parts[0]).slice(0, 40))} key, not ${type}`;
  if (type === 'ssh-rsa') {
    const n = parts[2];
    if (parts.length !== 3 || !n) return 'its RSA key data is damaged';
    let bytes = n.length;
    let k = 0;
    while (k < n.length && n[k] === 0) { bytes--; k++; }
    const bits = bytes * 8 - (bytes ? Math.clz32(n[k]!) - 24 : 0);
    return bits < MIN_RSA_BITS ? `its RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are needed` : bits;
  }
  if (type.includes('ed25519')) return parts[1]?.length === 32 ? 256 : 'its Ed25519 key is not 32 bytes';
  const curve = /nistp(\d+)/.exec(type)![1]!;
  if (text(parts[1]) !== `nistp${curve}`) return `its ECDSA key is not on curve nistp${curve}`;
  return Number(curve);
}

/** One authorized_keys line, checked: type, key data and length, options. */
export function parseAuthorizedKey(raw: string): { key?: AuthorizedKey; error?: FieldError } {
  const bad = (why: string) => ({ error: { field: 'key', message: `key: ${why} (${KEY_RULE})` } });
  const line = raw.trim();
  if (!line) return bad('is empty');
  if (line.length > 16384) return bad('is longer than 16384 characters');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(line)) return bad('holds a line break or control character');
  let rest = line;
  let options: string[] = [];
  const first = line.split(/\s+/)[0]!;
  if (/^(ssh|ecdsa|sk)-/.test(first) && !(KEY_TYPES as readonly string[]).includes(first)) return bad(`${JSON.stringify(first.slice(0, 40))} is not a key type`);
  if (!(KEY_TYPES as readonly string[]).includes(first)) {
    const m = /^((?:[^\s"]|"(?:[^"\\]|\\.)*")+)\s+(.*)$/.exec(line);
    if (!m) return bad(`does not start with a key type or options`);
    const opts = splitOptions(m[1]!);
    if (!opts) return bad('an option has an unclosed quote');
    for (const o of opts) {
      const eq = o.indexOf('=');
      const name = eq < 0 ? o : o.slice(0, eq);
      if (eq < 0 ? !FLAG_OPTIONS.some((f) => f.toLowerCase() === name.toLowerCase()) : !VALUE_OPTIONS.includes(name.toLowerCase()) || !/^"(?:[^"\\]|\\.)*"$/.test(o.slice(eq + 1)))
        return bad(`option ${JSON.stringify(o.slice(0, 40))} is not a known option (${[...FLAG_OPTIONS, ...VALUE_OPTIONS.map((v) => `${v}="…"`)].join(', ')})`);
    }
    options = opts;
    rest = m[2]!;
  }
  const [type = '', base64 = '', ...comment] = rest.split(/\s+/);
  if (!(KEY_TYPES as readonly string[]).includes(type)) return bad(`${JSON.stringify(type.slice(0, 40))} is not a key type`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) return bad('its key data is not base64');
  const parts = wireStrings(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  if (!parts) return bad('its key data is damaged');
  const bits = keyBits(type, parts);
  if (typeof bits === 'string') return bad(bits);
  return { key: { options, type, base64, comment: comment.join(' '), bits } };
}

/** The line written to authorized_keys. */
export function authorizedKeyLine(k: AuthorizedKey): string {
  return [k.options.length ? k.options.join(',') : '', k.type, k.base64, k.comment].filter(Boolean).join(' ');
}

/** `ssh-keygen -l` output lines: "BITS SHA256:... COMMENT (TYPE)". */
export function parseFingerprints(text: string): { bits: number; fingerprint: string; comment: string; type: string }[] {
  return text.split('\n').map((l) => /^(\d+) (\S+) (.*) \(([^)]+)\)$/.exec(l.trim())).filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ bits: Number(m[1]), fingerprint: m[2]!, comment: m[3] === 'no comment' ? '' : m[3]!, type: m[4]! }));
}
