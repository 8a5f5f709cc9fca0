// Quality rules for the root password (set through chpasswd, which reads
// "user:password" lines: a ':' or a line break would change what it sets).
import type { FieldError } from '../errors.ts';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
export const PASSWORD_RULE = `at least ${MIN_PASSWORD_LENGTH} characters, no ':' or control characters, not containing the user name, from at least two of: lower case, upper case, digits, other`;

export function passwordProblem(password: string, user: string): FieldError | undefined {
  const bad = (why: string): FieldError => ({ field: 'password', message: `password: ${why} (${PASSWORD_RULE})` });
  if (password.length < MIN_PASSWORD_LENGTH) return bad(`has ${password.length} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) return bad(`is longer than ${MAX_PASSWORD_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[:\u0000-\u001f\u007f]/.test(password)) return bad("holds ':' or a control character");
  if (password.toLowerCase().includes(user.toLowerCase())) return bad(`contains the user name ${user}`);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 2) return bad('is all of one class of characters');
  return undefined;
}
