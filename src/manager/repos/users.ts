// The internal users (migration 0021): who exists, their password hash, and
// the counters of failed logins and the lock they lead to.
import type { Db } from '../db.ts';

export interface UserRow {
  name: string;
  domain: string;
  passwordHash: string | null;
  createdAt: string;
  passwordChangedAt: string | null;
  failedLogins: number;
  lockedUntil: string | null;
  lastLoginAt: string | null;
}

const COLS = `name, domain, password_hash AS passwordHash, created_at AS createdAt, password_changed_at AS passwordChangedAt,
  failed_logins AS failedLogins, locked_until AS lockedUntil, last_login_at AS lastLoginAt`;

export function userRepo(db: Db) {
  return {
    list: () => db.prepare(`SELECT ${COLS} FROM users ORDER BY domain, name`).all() as UserRow[],
    get: (name: string, domain: string) => db.prepare(`SELECT ${COLS} FROM users WHERE name = ? AND domain = ?`).get(name, domain) as UserRow | undefined,
    add(name: string, domain: string, hash: string, at: string): void {
      db.prepare('INSERT INTO users (name, domain, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?)').run(name, domain, hash, at, at);
    },
    remove: (name: string, domain: string) => db.prepare('DELETE FROM users WHERE name = ? AND domain = ?').run(name, domain).changes,
    setPassword(name: string, domain: string, hash: string, at: string): void {
      db.prepare('UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0, locked_until = NULL WHERE name = ? AND domain = ?').run(hash, at, name, domain);
    },
    failed(name: string, domain: string, failures: number, lockedUntil: string | null): void {
      db.prepare('UPDATE users SET failed_logins = ?, locked_until = coalesce(?, locked_until) WHERE name = ? AND domain = ?').run(failures, lockedUntil, name, domain);
    },
    loggedIn(name: string, domain: string, at: string): void {
      db.prepare('UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE name = ? AND domain = ?').run(at, name, domain);
    },
    unlock: (name: string, domain: string) => db.prepare('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE name = ? AND domain = ?').run(name, domain).changes,
  };
}
