import type { Migration } from './index.ts';

// The internal domain's users (issue #16): admin@internal from the first
// start, without a password until the operator sets one (never a default
// one). password_hash: scrypt with its parameters (src/domain/password-hash.ts).
// failed_logins counts failures in a row; locked_until is set when they
// reach the lockout (UTC, ISO).
export const users0021: Migration = {
  id: '0021-users',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        name TEXT NOT NULL,
        domain TEXT NOT NULL,
        password_hash TEXT,
        created_at TEXT NOT NULL,
        password_changed_at TEXT,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        last_login_at TEXT,
        PRIMARY KEY (name, domain)
      );
      INSERT INTO users (name, domain, created_at) VALUES ('admin', 'internal', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
    `);
  },
};
