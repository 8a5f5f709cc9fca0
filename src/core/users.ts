// The internal domain's users: admin@internal from the first start (its
// password set by the operator, never a default one), more users with
// passwords of their own, password change and reset, and the login that
// checks a password, counts failures and locks an account after
// LOCKOUT_FAILURES in a row (each failure and the lock are events: the
// door's failure events of user.login). Directory (LDAP) users come later.
import { ForbiddenError, InvalidInputError, NotFoundError, WrongStateError } from '../domain/errors.ts';
import {
  ADMIN_IDENTITY, afterFailure, identityText, INTERNAL_DOMAIN, LOCKOUT_FAILURES, lockedUntil, parseIdentity, passwordProblems, type Identity,
} from '../domain/identity.ts';
import { hashPassword, verifyPassword } from '../domain/password-hash.ts';
import { permissionRepo } from '../manager/repos/permissions.ts';
import { userRepo, type UserRow } from '../manager/repos/users.ts';
import type { CoreContext } from './index.ts';

export interface UserInfo {
  identity: string;
  name: string;
  domain: string;
  hasPassword: boolean;
  createdAt: string;
  passwordChangedAt: string | null;
  failedLogins: number;
  /** Until when the account is locked (ISO), if it is now. */
  lockedUntil: string | null;
  lastLoginAt: string | null;
}

/** A login that was refused: a wrong password, an unknown or locked account, no password set. */
export class LoginRefusedError extends ForbiddenError {
  constructor(message: string) {
    super(message);
    this.name = 'LoginRefusedError';
  }
}

export interface UserUseCases {
  list(): Promise<UserInfo[]>;
  get(identity: string): Promise<UserInfo>;
  /** A new internal user with its password (checked against the password rules). */
  add(identity: string, password: string): Promise<UserInfo>;
  /** Refused for admin@internal. */
  remove(identity: string): Promise<void>;
  /**
   * Set a user's password: a reset by an administrator, or a change by the
   * user, who gives the current one (`current`); either clears the lock.
   */
  setPassword(identity: string, password: string, current?: string): Promise<UserInfo>;
  unlock(identity: string): Promise<UserInfo>;
  /** Check a password; resolves to the identity ("name@domain") the session acts as. */
  login(identity: string, password: string): Promise<string>;
}

const info = (u: UserRow, now: Date): UserInfo => ({
  identity: `${u.name}@${u.domain}`, name: u.name, domain: u.domain, hasPassword: u.passwordHash !== null, createdAt: u.createdAt,
  passwordChangedAt: u.passwordChangedAt, failedLogins: u.failedLogins, lockedUntil: lockedUntil(u.lockedUntil, now)?.toISOString() ?? null, lastLoginAt: u.lastLoginAt,
});

export function createUserUseCases(ctx: CoreContext): UserUseCases {
  const { door } = ctx;
  const repo = userRepo(ctx.infra.db);
  const now = () => new Date();
  const parse = (text: string, field = 'user'): Identity => {
    const r = parseIdentity(text, field);
    if (!r.ok) throw new InvalidInputError([r.error]);
    if (r.value.domain !== INTERNAL_DOMAIN) throw new InvalidInputError([{ field, message: `${field}: only the internal domain is kept here (${identityText(r.value)}: no directory domain ${r.value.domain} is configured)` }]);
    return r.value;
  };
  const mustUser = (id: Identity): UserRow => {
    const u = repo.get(id.name, id.domain);
    if (!u) throw new NotFoundError(`user: no user ${identityText(id)} (see hostdeck user list)`);
    return u;
  };
  const checkPassword = (password: string, id: Identity, field = 'password') => {
    const errs = passwordProblems(password, id.name, field);
    if (errs.length) throw new InvalidInputError(errs);
  };

  return {
    list: () => door.act('user.list', { id: '*' }, { message: 'List the users' }, () => repo.list().map((u) => info(u, now()))),
    get: (identity) => door.act('user.show', { id: identity }, { message: `Show user ${identity}` }, () => info(mustUser(parse(identity)), now())),

    add: async (identity, password) => {
      const id = parse(identity);
      checkPassword(password, id);
      const hash = await hashPassword(password);
      return door.act('user.add', { id: identityText(id) }, { message: `Add user ${identityText(id)}` }, ({ commit }) => {
        if (repo.get(id.name, id.domain)) throw new WrongStateError(`user: ${identityText(id)} exists already`);
        const at = now().toISOString();
        commit(() => repo.add(id.name, id.domain, hash, at));
        return info(mustUser(id), now());
      });
    },

    remove: (identity) => door.act('user.remove', { id: identity }, { message: `Remove user ${identity} and its permissions` }, ({ commit }) => {
      const id = parse(identity);
      mustUser(id);
      if (identityText(id) === ADMIN_IDENTITY) throw new WrongStateError(`user: ${ADMIN_IDENTITY} cannot be removed (it is the administrator every host has)`);
      // Its permissions go with it: a later user of the same name must not inherit them.
      commit(() => { repo.remove(id.name, id.domain); permissionRepo(ctx.infra.db).removeFor('user', identityText(id)); });
    }),

    setPassword: async (identity, password, current) => {
      const id = parse(identity);
      checkPassword(password, id);
      const hash = await hashPassword(password);
      const what = current === undefined ? 'Reset' : 'Change';
      return door.act('user.password', { id: identityText(id) }, { message: `${what} the password of ${identityText(id)}` }, async ({ commit }) => {
        const u = mustUser(id);
        if (current !== undefined && !(u.passwordHash && (await verifyPassword(current, u.passwordHash)))) {
          throw new LoginRefusedError(`current password: it is not ${identityText(id)}'s password`);
        }
        if (u.passwordHash && (await verifyPassword(password, u.passwordHash))) throw new InvalidInputError([{ field: 'password', message: 'password: must differ from the current one' }]);
        commit(() => repo.setPassword(id.name, id.domain, hash, now().toISOString()));
        return info(mustUser(id), now());
      });
    },

    unlock: (identity) => door.act('user.unlock', { id: identity }, { message: `Unlock user ${identity}` }, ({ commit }) => {
      const id = parse(identity);
      mustUser(id);
      commit(() => { repo.unlock(id.name, id.domain); });
      return info(mustUser(id), now());
    }),

    login: (identity, password) => {
      const parsed = parseIdentity(identity);
      const label = parsed.ok ? identityText(parsed.value) : identity.slice(0, 80);
      // A login is a read to the door (read-only mode and permissions never stop it); its audit events are its own.
      const audit = (ok: boolean, message: string) => ctx.infra.events.record({
        source: 'host', objectType: 'user', objectId: label, message, user: door.principal.user, channel: door.principal.channel,
        severity: ok ? 'info' : 'warning', result: ok ? 'success' : 'failure',
      });
      const refuse = (why: string): never => {
        audit(false, `Log in as ${label} refused: ${why}`);
        throw new LoginRefusedError(`login as ${label} refused: ${why}`);
      };
      return door.act('user.login', { id: label }, { message: `Log in as ${label}` }, async () => {
        if (!parsed.ok) throw new InvalidInputError([parsed.error]);
        const id = parsed.value;
        if (id.domain !== INTERNAL_DOMAIN) refuse(`no directory domain ${id.domain} is configured`);
        const u = repo.get(id.name, id.domain);
        // The same answer for an unknown user as for a wrong password: a login prompt does not tell who exists.
        if (!u) return refuse('wrong user name or password');
        const at = now();
        const locked = lockedUntil(u.lockedUntil, at);
        if (locked) refuse(`the account is locked until ${locked.toISOString()} after ${LOCKOUT_FAILURES} failed logins in a row (hostdeck user unlock ${label})`);
        if (!u.passwordHash) refuse(`it has no password yet (as root: hostdeck user password ${label})`);
        if (!(await verifyPassword(password, u.passwordHash!))) {
          const next = afterFailure(u.failedLogins, at);
          repo.failed(id.name, id.domain, next.failures, next.lockUntil?.toISOString() ?? null);
          if (next.lockUntil) refuse(`wrong user name or password; ${next.failures} failures in a row lock the account until ${next.lockUntil.toISOString()}`);
          refuse('wrong user name or password');
        }
        repo.loggedIn(id.name, id.domain, at.toISOString());
        audit(true, `Logged in as ${label}`);
        return label;
      });
    },
  };
}
