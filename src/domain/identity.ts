// Who someone is to hostdeck: "name@domain" identities, the internal
// domain's user names and password rules, and the lockout after failed
// logins (issue #16). No I/O.
import type { FieldError } from './errors.ts';

/** The domain of the users hostdeck keeps itself (oVirt's "internal"). */
export const INTERNAL_DOMAIN = 'internal';
/** The internal administrator: exists from the first start, without a password until the operator sets one. */
export const ADMIN_NAME = 'admin';
export const ADMIN_IDENTITY = `${ADMIN_NAME}@${INTERNAL_DOMAIN}`;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;
/** Failed logins in a row that lock an account, and for how long. */
export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_MINUTES = 15;

const NAME = /^[a-z_][a-z0-9._-]{0,63}$/i;
const DOMAIN = /^[a-z0-9][a-z0-9.-]{0,62}$/i;

export interface Identity { name: string; domain: string }

/** "name@domain" (a bare name is in the internal domain), or the rule it breaks under `field`. */
export function parseIdentity(text: string, field = 'user'): { ok: true; value: Identity } | { ok: false; error: FieldError } {
  const at = text.lastIndexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const domain = at < 0 ? INTERNAL_DOMAIN : text.slice(at + 1);
  if (!NAME.test(name)) {
    return { ok: false, error: { field, message: `${field}: a user name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or '_' (got ${JSON.stringify(text.slice(0, 80))})` } };
  }
  if (!DOMAIN.test(domain)) return { ok: false, error: { field, message: `${field}: the domain after @ is letters, digits, '.' and '-' (got ${JSON.stringify(domain.slice(0, 80))})` } };
  return { ok: true, value: { name: name.toLowerCase(), domain: domain.toLowerCase() } };
}

export const identityText = (i: Identity) => `${i.name}@${i.domain}`;

/**
 * What is wrong with a new password: its length, the user's own name in it,
 * or one kind of character only (all digits, all lower case letters).
 */
export function passwordProblems(password: string, name: string, field = 'password'): FieldError[] {
  const errs: FieldError[] = [];
  const len = [...password].length;
  if (len < PASSWORD_MIN) errs.push({ field, message: `${field}: must have at least ${PASSWORD_MIN} characters (it has ${len})` });
  if (len > PASSWORD_MAX) errs.push({ field, message: `${field}: must have at most ${PASSWORD_MAX} characters` });
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(password)) errs.push({ field, message: `${field}: must not contain control characters (a line break would end it when typed)` });
  if (name && password.toLowerCase().includes(name.toLowerCase())) errs.push({ field, message: `${field}: must not contain the user name` });
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length;
  if (len >= PASSWORD_MIN && classes < 2) errs.push({ field, message: `${field}: must mix at least two kinds of characters (lower case, upper case, digits, others)` });
  return errs;
}

/** Whether an account is locked at `now`, and until when. */
export function lockedUntil(lockedUntilIso: string | null, now: Date): Date | undefined {
  if (!lockedUntilIso) return undefined;
  const t = new Date(lockedUntilIso);
  return t > now ? t : undefined;
}

/** After one more failed login: the new count, and the lock's end when this failure locks the account. */
export function afterFailure(failures: number, now: Date): { failures: number; lockUntil?: Date } {
  const n = failures + 1;
  return n >= LOCKOUT_FAILURES ? { failures: n, lockUntil: new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) } : { failures: n };
}
