// Roles and permissions (issue #16): the built-in roles (read-only), custom
// roles copied from one and edited, and permissions giving a user or a group
// a role on an object; "who can do what here" and "what can this user do".
// Every change goes through the door with its event; the door checks the
// caller's own permissions (access.ts).
import { InvalidInputError, NotFoundError, WrongStateError, type FieldError } from '../domain/errors.ts';
import { parseIdentity, identityText } from '../domain/identity.ts';
import { BUILTIN_ROLES, isPermit, PERMITS, SUPER_USER, type Permit, type RoleDef, type RoleType } from '../domain/roles.ts';
import { controlCharProblem } from '../domain/text.ts';
import { permissionRepo, type PermissionRow, type PrincipalType } from '../manager/repos/permissions.ts';
import { accessOf, objectLabel, type AccessAnswer, type PermissionObject } from './access.ts';
import { ACTION_CATALOG, type ActionDef } from './catalog.ts';
import type { CoreContext } from './index.ts';
import { PERMISSION_OBJECT_KINDS, type PermissionObjectKind } from './permits.ts';

export interface RoleView extends RoleDef {
  builtin: boolean;
  description: string;
  /** How many permissions give this role. */
  usedBy: number;
}

export interface PermissionView {
  id: number;
  principalType: PrincipalType;
  principal: string;
  role: string;
  object: PermissionObject;
  /** Given on an object above the one asked about (it applies there by inheritance). */
  inherited?: boolean;
  createdAt: string;
}

export interface RoleCopyInput { name?: string; description?: string; type?: string }
export interface RoleEditInput { add?: readonly string[]; remove?: readonly string[]; type?: string; description?: string }
export interface PermissionFilter { object?: string; user?: string; group?: string }
export interface PermissionInput { user?: string; group?: string; role?: string; object?: string }
export interface PermissionCheckInput { user?: string; action?: string; object?: string }
export interface PermissionCheckView extends AccessAnswer { user: string; action: string; object: PermissionObject }

export interface PermissionUseCases {
  roles(): Promise<RoleView[]>;
  role(name: string): Promise<RoleView>;
  copyRole(from: string, input: RoleCopyInput): Promise<RoleView>;
  editRole(name: string, input: RoleEditInput): Promise<RoleView>;
  removeRole(name: string): Promise<void>;
  list(filter?: PermissionFilter): Promise<PermissionView[]>;
  add(input: PermissionInput): Promise<PermissionView>;
  remove(id: string | number): Promise<void>;
  check(input: PermissionCheckInput): Promise<PermissionCheckView>;
}

const ROLE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,49}$/;
const OBJECT_HINT = 'KIND:NAME with KIND one of system, data-center, cluster, host, storage-domain, logical-network, template, vm, vm-pool (system alone for the system)';
const quoted = (s: string) => JSON.stringify(s.slice(0, 60));

const fail = (errors: FieldError[]): never => { throw new InvalidInputError(errors); };

function roleNameProblem(field: string, name: string | undefined): FieldError | undefined {
  if (!name) return { field, message: `${field}: a role name is required` };
  if (!ROLE_NAME.test(name)) return { field, message: `${field}: a role name is 1 to 50 letters, digits, '_' or '-', starting with a letter (got ${quoted(name)})` };
  return undefined;
}

function typeOf(field: string, raw: string | undefined, errors: FieldError[]): RoleType | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'admin' || raw === 'user') return raw;
  errors.push({ field, message: `${field}: must be admin or user (got ${quoted(raw)})` });
  return undefined;
}

function descriptionOf(raw: string | undefined, errors: FieldError[]): string | undefined {
  if (raw === undefined) return undefined;
  const problem = controlCharProblem(raw) ?? (raw.length > 200 ? 'must be at most 200 characters' : undefined);
  if (problem) errors.push({ field: 'description', message: `description: ${problem}` });
  return raw;
}

function permitsOf(field: string, raw: readonly string[] | undefined, errors: FieldError[]): Permit[] {
  const out: Permit[] = [];
  for (const p of (raw ?? []).flatMap((x) => x.split(',')).map((x) => x.trim().toUpperCase()).filter(Boolean)) {
    if (isPermit(p)) out.push(p);
    else errors.push({ field, message: `${field}: no permit ${quoted(p)} (hostdeck role show SuperUser lists every permit)` });
  }
  return out;
}

/** "KIND:NAME" (or "system") split, or the rule it breaks. */
export function parseObjectRef(raw: string | undefined, field = 'object'): { kind: PermissionObjectKind; key: string } {
  if (!raw) return fail([{ field, message: `${field}: an object is required: ${OBJECT_HINT}` }]);
  if (raw === 'system') return { kind: 'system', key: 'system' };
  const at = raw.indexOf(':');
  const kind = at < 0 ? raw : raw.slice(0, at);
  const key = at < 0 ? '' : raw.slice(at + 1);
  if (!(PERMISSION_OBJECT_KINDS as readonly string[]).includes(kind)) return fail([{ field, message: `${field}: must be ${OBJECT_HINT} (got ${quoted(raw)})` }]);
  const problem = !key ? 'the NAME after the colon is missing' : controlCharProblem(key) ?? (key.length > 200 ? 'the NAME must be at most 200 characters' : undefined);
  if (problem) return fail([{ field, message: `${field}: ${problem}` }]);
  return { kind: kind as PermissionObjectKind, key };
}

function identityOf(field: string, raw: string): string {
  const v = parseIdentity(raw, field);
  return v.ok ? identityText(v.value) : fail([v.error]);
}

export function createPermissionUseCases(ctx: CoreContext): PermissionUseCases {
  const { door } = ctx;
  const repo = () => permissionRepo(ctx.infra.db);
  const access = accessOf(ctx.infra);
  const usage = () => {
    const m = new Map<string, number>();
    for (const p of repo().list()) m.set(p.role, (m.get(p.role) ?? 0) + 1);
    return m;
  };
  const views = (): RoleView[] => {
    const used = usage();
    return [
      ...BUILTIN_ROLES.map((r) => ({ ...r, builtin: true, description: '', usedBy: used.get(r.name) ?? 0 })),
      ...repo().customRoles().map((r) => ({ ...r, builtin: false, usedBy: used.get(r.name) ?? 0 })),
    ];
  };
  const findRole = (field: string, name: string | undefined): RoleView => {
    const problem = roleNameProblem(field, name);
    if (problem) fail([problem]);
    const r = views().find((v) => v.name.toLowerCase() === name!.toLowerCase());
    // A name typed as input: a role that does not exist is a value that breaks the rule, named by its field.
    if (!r) fail([{ field, message: `${field}: no role ${quoted(name!)} (hostdeck role list)` }]);
    return r!;
  };
  const resolve = async (raw: string | undefined, field = 'object'): Promise<PermissionObject[]> => {
    const ref = parseObjectRef(raw, field);
    const chain = await access.chain(ref.kind, ref.key);
    if (!chain) fail([{ field, message: `${field}: no ${objectLabel({ kind: ref.kind, name: ref.key })} (${ref.kind === 'host' ? 'this host is host:host' : 'it must exist before it is given permissions'})` }]);
    return chain!;
  };
  const refOf = (o: PermissionObject) => `${o.kind}:${o.kind === 'system' ? 'system' : o.name}`;
  const view = (p: PermissionRow, inherited?: boolean): PermissionView => ({
    id: p.id, principalType: p.principalType, principal: p.principal, role: p.role,
    object: { kind: p.objectKind as PermissionObjectKind, id: p.objectId, name: p.objectName }, createdAt: p.createdAt, ...(inherited !== undefined ? { inherited } : {}),
  });
  const describe = (p: PermissionRow) => `${p.role} to ${p.principalType} ${p.principal} on ${objectLabel({ kind: p.objectKind as PermissionObjectKind, name: p.objectName })}`;

  const readRoles = <T>(id: string, message: string, fn: () => T) => door.act('role.list', { id }, { message }, fn);

  return {
    roles: () => readRoles('*', 'List the roles', () => views()),
    role: async (name) => {
      const r = findRole('role', name);
      return readRoles(r.name, `Show role ${r.name}`, () => r);
    },

    copyRole: async (from, input) => {
      const source = findRole('role', from);
      const errors: FieldError[] = [];
      const nameProblem = roleNameProblem('name', input.name);
      if (nameProblem) errors.push(nameProblem);
      else if (views().some((v) => v.name.toLowerCase() === input.name!.toLowerCase())) errors.push({ field: 'name', message: `name: a role named ${quoted(input.name!)} exists already` });
      const type = typeOf('type', input.type, errors) ?? source.type;
      const description = descriptionOf(input.description, errors) ?? source.description;
      return door.act('role.copy', { id: input.name ?? '' }, { message: `Copy role ${source.name} as ${input.name ?? '?'}` }, ({ commit }) => {
        if (errors.length) fail(errors);
        const role = { name: input.name!, type, description, permits: [...source.permits] };
        commit(() => repo().insertRole(role));
        return { ...role, builtin: false, usedBy: 0 };
      });
    },

    editRole: async (name, input) => {
      const r = findRole('role', name);
      const errors: FieldError[] = [];
      if (r.builtin) errors.push({ field: 'role', message: `role: ${r.name} is built in and read-only; copy it (hostdeck role copy ${r.name} --name NEW) and edit the copy` });
      const add = permitsOf('add', input.add, errors);
      const remove = permitsOf('remove', input.remove, errors);
      const type = typeOf('type', input.type, errors) ?? r.type;
      const description = descriptionOf(input.description, errors) ?? r.description;
      const permits = [...new Set([...r.permits, ...add])].filter((p) => !remove.includes(p)).sort((a, b) => Object.keys(PERMITS).indexOf(a) - Object.keys(PERMITS).indexOf(b));
      if (!errors.length && !permits.length) errors.push({ field: 'remove', message: 'remove: a role must keep at least one permit' });
      const what = [add.length ? `add ${add.join(',')}` : '', remove.length ? `remove ${remove.join(',')}` : '', input.type ? `type ${type}` : '', input.description !== undefined ? 'description' : ''].filter(Boolean).join('; ');
      return door.act('role.edit', { id: r.name }, { message: `Change role ${r.name}${what ? `: ${what}` : ''}` }, ({ commit }) => {
        if (errors.length) fail(errors);
        const next = { name: r.name, type, description, permits };
        commit(() => repo().updateRole(next));
        return { ...next, builtin: false, usedBy: r.usedBy };
      });
    },

    removeRole: async (name) => {
      const r = findRole('role', name);
      await door.act('role.remove', { id: r.name }, { message: `Remove role ${r.name}` }, ({ commit }) => {
        if (r.builtin) fail([{ field: 'role', message: `role: ${r.name} is built in and cannot be removed` }]);
        const users = repo().list({ role: r.name });
        if (users.length) throw new WrongStateError(`role ${r.name} is in use by ${users.length} permission(s): ${users.slice(0, 5).map((p) => `#${p.id} ${p.principal} on ${objectLabel({ kind: p.objectKind as PermissionObjectKind, name: p.objectName })}`).join(', ')}${users.length > 5 ? ', ...' : ''}; remove them first (hostdeck permission remove ID)`);
        commit(() => repo().removeRole(r.name));
      });
    },

    list: async (filter = {}) => {
      const principal = filter.user !== undefined ? identityOf('user', filter.user) : filter.group !== undefined ? identityOf('group', filter.group) : undefined;
      const chain = filter.object !== undefined ? await resolve(filter.object) : undefined;
      return door.act('permission.list', { id: chain ? refOf(chain[0]!) : '*' }, { message: 'List the permissions' }, () => {
        const rows = repo().list(principal ? { principal } : {});
        if (!chain) return rows.map((p) => view(p));
        // Who can do what here: the permissions on the object and those it inherits from above.
        const rank = new Map(chain.map((o, i) => [`${o.kind}:${o.id}`, i]));
        return rows.filter((p) => rank.has(`${p.objectKind}:${p.objectId}`))
          .sort((a, b) => rank.get(`${a.objectKind}:${a.objectId}`)! - rank.get(`${b.objectKind}:${b.objectId}`)! || a.id - b.id)
          .map((p) => view(p, rank.get(`${p.objectKind}:${p.objectId}`)! > 0));
      });
    },

    add: async (input) => {
      const errors: FieldError[] = [];
      if ((input.user === undefined) === (input.group === undefined)) errors.push({ field: 'user', message: 'user: give either a user or a group (--user NAME@DOMAIN or --group NAME@DOMAIN), one of them' });
      const principalType: PrincipalType = input.group !== undefined ? 'group' : 'user';
      const rawPrincipal = input.group ?? input.user;
      let principal = '';
      if (rawPrincipal !== undefined) {
        const v = parseIdentity(rawPrincipal, principalType);
        if (v.ok) principal = identityText(v.value); else errors.push(v.error);
      }
      const roleProblem = roleNameProblem('role', input.role);
      if (roleProblem) errors.push(roleProblem);
      if (errors.length) fail(errors);
      const role = findRole('role', input.role);
      const chain = await resolve(input.object);
      const target = chain[0]!;
      return door.act('permission.add', { id: refOf(target) }, { message: `Give ${role.name} to ${principalType} ${principal} on ${objectLabel(target)}` }, ({ commit }) => {
        const row = { principalType, principal, role: role.name, objectKind: target.kind, objectId: target.id, objectName: target.name };
        const same = repo().same(row);
        if (same) throw new WrongStateError(`${principalType} ${principal} has ${role.name} on ${objectLabel(target)} already (permission ${same.id})`);
        const id = commit(() => repo().insert(row));
        return view(repo().get(id)!);
      });
    },

    remove: async (raw) => {
      const s = String(raw).trim();
      if (!/^[1-9]\d{0,9}$/.test(s)) fail([{ field: 'id', message: `id: must be a permission number (see hostdeck permission list), got ${quoted(s)}` }]);
      const p = repo().get(Number(s));
      if (!p) throw new NotFoundError(`id: no permission ${s} (see hostdeck permission list)`);
      const on = { kind: p.objectKind as PermissionObjectKind, id: p.objectId, name: p.objectName };
      await door.act('permission.remove', { id: refOf(on) }, { message: `Remove permission ${p.id}: ${describe(p)}` }, ({ commit }) => {
        commit(() => {
          // Inside the change's transaction: two removals at once cannot both see another SuperUser left.
          const superUsers = repo().list({ role: SUPER_USER, objectKind: 'system' }).filter((x) => x.principalType === 'user');
          if (p.role === SUPER_USER && p.objectKind === 'system' && p.principalType === 'user' && superUsers.length <= 1) {
            throw new WrongStateError(`permission ${p.id} is the last SuperUser permission on system: give SuperUser on system to another user first`);
          }
          repo().remove(p.id);
        });
      });
    },

    check: async (input) => {
      const errors: FieldError[] = [];
      let user = '';
      if (input.user === undefined) errors.push({ field: 'user', message: 'user: the user to check is required (NAME@DOMAIN)' });
      else { const v = parseIdentity(input.user, 'user'); if (v.ok) user = identityText(v.value); else errors.push(v.error); }
      const def = ACTION_CATALOG.find((a) => a.id === input.action) as ActionDef | undefined;
      if (!def) errors.push({ field: 'action', message: `action: ${input.action === undefined ? 'an action id is required' : `no action ${quoted(input.action)}`} (hostdeck docs actions, or the catalog: vm.start, vm.delete, cluster.edit ...)` });
      if (errors.length) fail(errors);
      const chain = await resolve(input.object);
      const target = chain[0]!;
      return door.act('permission.check', { id: refOf(target) }, { message: `Check whether ${user} may ${def!.id} on ${objectLabel(target)}` }, async () => {
        const answer = await access.check({ user, channel: door.principal.channel === 'system' ? 'cli' : door.principal.channel, identity: user }, def!, chain);
        return { ...answer, user, action: def!.id, object: target };
      });
    },
  };
}

