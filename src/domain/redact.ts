// Secrets out of the text a support bundle carries: private keys (PEM
// blocks), values given to a password/secret/token-like key (KEY=value,
// key: value, "key": "value", passwd='value' in XML, --password value),
// LDAP bind passwords, bearer tokens and JWTs. The key and what surrounds
// the value stay, so a reader still sees that a secret was set and where.
// Pure text in, text out: every part of the bundle passes through here.

export const REDACTED = '[REDACTED]';

/** The words that make a key name a secret's (chap_secret, node.session.auth.password, HOSTDECK_API_TOKEN, bindpw). */
const SECRET_WORD = String.raw`(?:password|passwd|passphrase|pwd|secret|token|authtok|bindpw|rootpw|psk|api[_-]?key|private[_-]?key|credentials?)`;
/**
 * A key that ends in a secret word, or has it followed by a separator
 * (password_in, secret.value); "pass" only as a word of its own (db_pass),
 * not inside one ("Store Bypass: Vulnerable" is no secret).
 */
const SECRET_KEY = String.raw`(?:[A-Za-z0-9_.-]*?${SECRET_WORD}|(?:[A-Za-z0-9_.-]*[_.-])?pass)(?:[_.-][A-Za-z0-9_.-]*)?`;

const PEM = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY[A-Z0-9 ]*)-----[\s\S]*?(?:-----END \1-----|$(?![\s\S]))/g;
/** key=value, key: value, key = "value", "key": "value", passwd='value'. */
const ASSIGNED = new RegExp(String.raw`(^|[^A-Za-z0-9_.-])(["']?)(${SECRET_KEY})\2([ \t]*[=:][ \t]*)("[^"\n]*"|'[^'\n]*'|[^\s,;&"'<>]+)`, 'gim');
/** An option followed by its value: --password VALUE, -password VALUE. */
const OPTION = new RegExp(String.raw`(^|[ \t])(--?${SECRET_KEY})([ \t]+)(?!-)("[^"\n]*"|'[^'\n]*'|\S+)`, 'gim');
/** OpenLDAP/nslcd style without a separator: "bindpw VALUE", "rootpw VALUE". */
const SPACED = /(^|[^A-Za-z0-9_.-])((?:bindpw|rootpw|rootbindpw)[ \t]+)([^\s=:]\S*)/gim;
const BEARER = /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/-]{8,}=*/g;
/** A QEMU secret object's data on a command line (libvirt's per-VM log): -object secret,...,data=X or {"qom-type":"secret",...,"data":"X"}. */
const QEMU_SECRET = /(\bsecret\b[^\n]*?[,{]\s*"?data"?\s*[=:]\s*)("[^"\n]*"|[^,\s}]+)/g;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;

/** Whether a name (a settings key, a column) names a secret. */
export function isSecretKey(name: string): boolean {
  return new RegExp(String.raw`^${SECRET_KEY}$`, 'i').test(name);
}

const quoted = (v: string) => (/^["']/.test(v) ? `${v[0]}${REDACTED}${v[0]}` : REDACTED);

/** The text with every secret it holds replaced, and how many were. */
export function redactText(text: string): { text: string; count: number } {
  let count = 0;
  const hit = <T extends unknown[]>(fn: (...a: T) => string) => (...a: T) => { count++; return fn(...a); };
  const out = text
    .replace(PEM, hit((_m: string, kind: string) => `-----BEGIN ${kind}-----\n${REDACTED}\n-----END ${kind}-----`))
    .replace(BEARER, hit((_m: string, kind: string, sp: string) => `${kind}${sp}${REDACTED}`))
    .replace(JWT, hit(() => REDACTED))
    .replace(QEMU_SECRET, hit((_m: string, pre: string, value: string) => `${pre}${quoted(value)}`))
    .replace(ASSIGNED, hit((_m: string, pre: string, q: string, key: string, sep: string, value: string) => `${pre}${q}${key}${q}${sep}${quoted(value)}`))
    .replace(OPTION, hit((_m: string, pre: string, opt: string, sp: string, value: string) => `${pre}${opt}${sp}${quoted(value)}`))
    .replace(SPACED, hit((_m: string, pre: string, key: string) => `${pre}${key}${REDACTED}`));
  return { text: out, count };
}
