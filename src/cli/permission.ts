// hostdeck role list|show|copy|edit|remove and hostdeck permission list|add|remove|check:
// oVirt's roles (built-in, read-only; custom ones copied and edited) and who
// holds which role on which object.
import type { FieldError } from '../domain/errors.ts';
import type { PermissionCheckView, PermissionView, RoleView } from '../core/permissions.ts';
import { objectLabel } from '../core/access.ts';
import { printTable, type Command, type CommandContext } from './registry.ts';
import { positional, tooMany } from './storage-domain.ts';
import { guard, reply, show, str } from './manager.ts';

const ROLE = 'ROLE';
const roleHint = 'a role name (hostdeck role list)';
const OBJECT_VALUE = 'KIND:NAME';
const OBJECT_DESCRIPTION = 'The object: system, or KIND:NAME with KIND data-center, cluster, host (host:host), storage-domain, logical-network, template, vm or vm-pool';
/**
 * The fields as the CLI takes them: options, and ROLE or ID arguments. The
 * user a permission is for is --for: --user is who runs the command (login).
 */
const message = (e: FieldError) => (e.field === 'role' ? e.message.replace(/^role: /, `${ROLE}: `) : e.field === 'id' ? e.message.replace(/^id: /, 'ID: ')
  : e.field === 'user' ? e.message.replace(/^user: /, '--for: ').replace(/--user NAME@DOMAIN/g, '--for NAME@DOMAIN') : `--${e.message}`);
const withRoleOption = (e: FieldError) => (e.field === 'role' ? `--${e.message}` : message(e));
/** The ROLE argument, alone on the line. */
const roleArg = (ctx: CommandContext) => {
  const name = positional(ctx, 0, ROLE, roleHint);
  tooMany(ctx, 1);
  return name;
};
const DESCRIPTION_OPTION = { type: 'string', description: 'Free text, one line, at most 200 characters', value: 'TEXT', allowEmpty: true } as const;
const list = (ctx: CommandContext, k: string) => {
  const v = str(ctx, k);
  return v === undefined ? undefined : v.split(',');
};

const roleRow = (r: RoleView) => ({ name: r.name, type: r.type, kind: r.builtin ? 'built-in' : 'custom', permits: r.permits.length, 'used-by': r.usedBy });
const permissionRow = (p: PermissionView) => ({
  id: p.id, who: `${p.principalType} ${p.principal}`, role: p.role,
  object: objectLabel(p.object), inherited: p.inherited ? 'yes' : p.inherited === false ? 'no' : '-',
});

function showRole(ctx: CommandContext, r: RoleView): number {
  if (ctx.json) return reply(ctx, r, '');
  show(ctx, [['name', r.name], ['type', r.type === 'admin' ? 'administrative' : 'user'], ['kind', r.builtin ? 'built-in (read-only)' : 'custom'], ['description', r.description || '-'], ['used by', `${r.usedBy} permission(s)`]]);
  ctx.out('permits');
  for (const p of r.permits) ctx.out(`  ${p}`);
  return 0;
}

function checkText(c: PermissionCheckView): string {
  if (!c.allowed) return `${c.user} may not ${c.action} on ${objectLabel(c.object)}: ${c.reason ?? 'denied'}.`;
  const via = c.via ? ` through ${c.via.role} given to ${c.via.principal} on ${objectLabel(c.via.object)}` : '';
  return `${c.user} may ${c.action} on ${objectLabel(c.object)}${c.permit ? ` (permit ${c.permit})` : ''}${via}.`;
}

export const permissionCommands: Command[] = [
  {
    noun: 'role', verb: 'list', summary: "The roles: oVirt's built-in ones (read-only) and custom copies, with their type and how many permissions use them",
    async run(ctx) {
      tooMany(ctx, 0);
      const roles = await guard(() => ctx.core.permissions.roles(), message);
      printTable(ctx, roles.map(roleRow), ['name', 'type', 'kind', 'permits', 'used-by'], roles);
      return 0;
    },
  },
  {
    noun: 'role', verb: 'show', usage: ROLE, summary: "A role's type and its permits (oVirt's action groups)",
    async run(ctx) {
      const name = roleArg(ctx);
      return showRole(ctx, await guard(() => ctx.core.permissions.role(name), message));
    },
  },
  {
    noun: 'role', verb: 'copy', usage: ROLE, summary: 'Copy a role (built-in or custom) into a new custom role with the same permits',
    options: {
      name: { type: 'string', description: "The new role's name: 1-50 letters, digits, _ or -, starting with a letter", value: 'NAME' },
      type: { type: 'string', description: 'admin (administrative) or user (default: the copied role\'s)', value: 'TYPE' },
      description: DESCRIPTION_OPTION,
    },
    async run(ctx) {
      const from = roleArg(ctx);
      const r = await guard(() => ctx.core.permissions.copyRole(from, { name: str(ctx, 'name'), type: str(ctx, 'type'), description: str(ctx, 'description') }), message);
      return reply(ctx, r, `Role ${r.name} (${r.type}) copied from ${from} with ${r.permits.length} permits.`);
    },
  },
  {
    noun: 'role', verb: 'edit', usage: ROLE, summary: "Change a custom role's permits, type or description (built-in roles are read-only)",
    options: {
      add: { type: 'string', description: 'Permits to add, comma-separated (e.g. RUN_VM,STOP_VM; hostdeck role show SuperUser lists them all)', value: 'PERMITS' },
      remove: { type: 'string', description: 'Permits to remove, comma-separated', value: 'PERMITS' },
      type: { type: 'string', description: 'admin (administrative) or user', value: 'TYPE' },
      description: DESCRIPTION_OPTION,
    },
    async run(ctx) {
      const name = roleArg(ctx);
      const r = await guard(() => ctx.core.permissions.editRole(name, { add: list(ctx, 'add'), remove: list(ctx, 'remove'), type: str(ctx, 'type'), description: str(ctx, 'description') }), message);
      return reply(ctx, r, `Role ${r.name} (${r.type}) now has ${r.permits.length} permits.`);
    },
  },
  {
    noun: 'role', verb: 'remove', usage: ROLE, summary: 'Remove a custom role (refused while a permission uses it: it names them)',
    async run(ctx) {
      const name = roleArg(ctx);
      await guard(() => ctx.core.permissions.removeRole(name), message);
      return reply(ctx, { removed: name }, `Role ${name} removed.`);
    },
  },
  {
    noun: 'permission', verb: 'list', summary: 'The permissions: who holds which role on which object (--object: on it and inherited from above it; --user: what this user holds)',
    options: {
      object: { type: 'string', description: OBJECT_DESCRIPTION, value: OBJECT_VALUE },
      for: { type: 'string', description: 'Only the permissions of this user (NAME@DOMAIN): what this user can do', value: 'USER' },
      group: { type: 'string', description: 'Only the permissions of this group (NAME@DOMAIN)', value: 'GROUP' },
    },
    async run(ctx) {
      tooMany(ctx, 0);
      const rows = await guard(() => ctx.core.permissions.list({ object: str(ctx, 'object'), user: str(ctx, 'for'), group: str(ctx, 'group') }), message);
      if (!rows.length && !ctx.json) { ctx.out('No permissions match.'); return 0; }
      printTable(ctx, rows.map(permissionRow), ['id', 'who', 'role', 'object', ...(str(ctx, 'object') ? ['inherited'] : [])], rows);
      return 0;
    },
  },
  {
    noun: 'permission', verb: 'add', summary: 'Give a user or a group a role on an object (it applies to the objects below it too)',
    options: {
      for: { type: 'string', description: 'The user it is given to: NAME@DOMAIN (a bare name is in the internal domain)', value: 'USER' },
      group: { type: 'string', description: 'The group instead of a user: NAME@DOMAIN', value: 'GROUP' },
      role: { type: 'string', description: 'The role (hostdeck role list)', value: 'ROLE' },
      object: { type: 'string', description: OBJECT_DESCRIPTION, value: OBJECT_VALUE },
    },
    async run(ctx) {
      tooMany(ctx, 0);
      const p = await guard(() => ctx.core.permissions.add({ user: str(ctx, 'for'), group: str(ctx, 'group'), role: str(ctx, 'role'), object: str(ctx, 'object') }), withRoleOption);
      return reply(ctx, p, `Permission ${p.id}: ${p.principalType} ${p.principal} has ${p.role} on ${objectLabel(p.object)}.`);
    },
  },
  {
    noun: 'permission', verb: 'remove', usage: 'ID', summary: 'Remove a permission (the last SuperUser permission on system is refused)',
    async run(ctx) {
      const id = positional(ctx, 0, 'ID', 'a permission number (hostdeck permission list)');
      tooMany(ctx, 1);
      await guard(() => ctx.core.permissions.remove(id), message);
      return reply(ctx, { removed: Number(id) }, `Permission ${id} removed.`);
    },
  },
  {
    noun: 'permission', verb: 'check', summary: 'Whether a user may take an action on an object, and through which permission (or the permit missing)',
    options: {
      for: { type: 'string', description: 'The user asked about: NAME@DOMAIN', value: 'USER' },
      action: { type: 'string', description: 'A catalog action id: vm.start, vm.delete, cluster.edit, permission.add ...', value: 'ACTION' },
      object: { type: 'string', description: OBJECT_DESCRIPTION, value: OBJECT_VALUE },
    },
    async run(ctx) {
      tooMany(ctx, 0);
      const c = await guard(() => ctx.core.permissions.check({ user: str(ctx, 'for'), action: str(ctx, 'action'), object: str(ctx, 'object') }), withRoleOption);
      ctx.out(ctx.json ? JSON.stringify(c, null, 2) : checkText(c));
      return 0;
    },
  },
];
