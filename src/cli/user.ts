// hostdeck user list|show|add|remove|password|unlock: the internal domain's
// users. A password comes from a file of mode 600 (--password-file), the
// first line of standard input (--password-stdin) or a prompt that does not
// echo (asked twice for a new one); never from the command line, where ps
// and the shell history would keep it.
import type { FieldError } from '../domain/errors.ts';
import type { UserInfo } from '../core/users.ts';
import type { OptionSpecs } from './args.ts';
import { guard } from './manager.ts';
import { CommandError, printTable, type Command, type CommandContext } from './registry.ts';
import { positional, tooMany } from './storage-domain.ts';
import { hiddenPrompt, readSecretFile, readStdinLines } from './storage-connection.ts';

const USER = 'USER';
/** USER is an argument; the password's rules are said under "password". */
const message = (e: FieldError) => (e.field === 'user' ? e.message.replace(/^user: /, `${USER}: `) : e.message);

const PASSWORD_OPTIONS: OptionSpecs = {
  'password-file': { type: 'string', description: 'The password is the first line of FILE (mode 600)', value: 'FILE' },
  'password-stdin': { type: 'boolean', description: 'The password is the first line of standard input' },
};

/** Where a password comes from: a file's first line, standard input's, or a hidden prompt; `names` are the options as the user typed them. */
export interface PasswordSource {
  file?: unknown;
  stdin?: unknown;
  interactive: boolean;
  names?: { file: string; stdin: string };
}

/** The password from its file, standard input or (on a terminal) a hidden prompt, asked twice when `confirm`. */
export async function readPassword(src: PasswordSource, what: string, confirm: boolean): Promise<string> {
  const names = src.names ?? { file: '--password-file', stdin: '--password-stdin' };
  if (src.file !== undefined && src.stdin) throw new CommandError(`${names.stdin}: give the password either in a file or on standard input, not both`, 2);
  if (typeof src.file === 'string') return readSecretFile(src.file, names.file);
  if (src.stdin) return (await readStdinLines())[0] ?? '';
  if (!src.interactive) throw new CommandError(`${names.file}: ${what} is needed; give it with ${names.file} FILE or ${names.stdin} (no terminal to ask on)`, 2);
  const first = (await hiddenPrompt(`${what[0]!.toUpperCase()}${what.slice(1)} (not shown): `)) ?? '';
  if (confirm && ((await hiddenPrompt('Again: ')) ?? '') !== first) throw new CommandError('password: the two entries differ; nothing was changed', 2);
  return first;
}

/** A user command's new password (--password-file, --password-stdin or the prompt, twice). */
const newPassword = (ctx: CommandContext) => readPassword({ file: ctx.options['password-file'], stdin: ctx.options['password-stdin'], interactive: ctx.interactive }, 'the new password', true);

const row = (u: UserInfo) => ({
  user: u.identity, password: u.hasPassword ? 'set' : 'not set', 'failed logins': u.failedLogins,
  locked: u.lockedUntil ? `until ${u.lockedUntil}` : 'no', 'last login': u.lastLoginAt ?? '-',
});

function show(ctx: CommandContext, u: UserInfo): void {
  if (ctx.json) { ctx.out(JSON.stringify(u, null, 2)); return; }
  for (const [k, v] of Object.entries({ ...row(u), created: u.createdAt, 'password set': u.passwordChangedAt ?? '-' })) ctx.out(`${k.padEnd(14)} ${String(v)}`);
}

const oneUser = (ctx: CommandContext) => { tooMany(ctx, 1); return positional(ctx, 0, USER, 'a user, NAME or NAME@internal (hostdeck user list)'); };

export const userCommands: Command[] = [
  {
    noun: 'user', verb: 'list', summary: 'The internal users: whether their password is set, failed logins, lock, last login',
    async run(ctx) {
      tooMany(ctx, 0);
      const users = await guard(() => ctx.core.users.list(), message);
      printTable(ctx, users.map(row), ['user', 'password', 'failed logins', 'locked', 'last login'], users);
      return 0;
    },
  },
  {
    noun: 'user', verb: 'show', summary: 'One user', usage: USER,
    async run(ctx) {
      const name = oneUser(ctx);
      show(ctx, await guard(() => ctx.core.users.get(name), message));
      return 0;
    },
  },
  {
    noun: 'user', verb: 'add', summary: 'Add an internal user with a password (asked twice, or --password-file / --password-stdin)', usage: USER,
    options: PASSWORD_OPTIONS,
    async run(ctx) {
      const name = oneUser(ctx);
      const password = await newPassword(ctx);
      const u = await guard(() => ctx.core.users.add(name, password), message);
      if (ctx.json) show(ctx, u); else ctx.out(`User ${u.identity} added.`);
      return 0;
    },
  },
  {
    noun: 'user', verb: 'remove', summary: 'Remove an internal user (not admin@internal)', usage: USER,
    async run(ctx) {
      const name = oneUser(ctx);
      await guard(() => ctx.core.users.remove(name), message);
      if (!ctx.json) ctx.out(`User ${name} removed.`);
      return 0;
    },
  },
  {
    noun: 'user', verb: 'password', summary: "Set a user's password (admin@internal's first one too); it also clears a lock", usage: USER,
    options: PASSWORD_OPTIONS,
    async run(ctx) {
      const name = oneUser(ctx);
      const password = await newPassword(ctx);
      const u = await guard(() => ctx.core.users.setPassword(name, password), message);
      if (ctx.json) show(ctx, u); else ctx.out(`Password of ${u.identity} set.`);
      return 0;
    },
  },
  {
    noun: 'user', verb: 'unlock', summary: 'Unlock a user locked after failed logins', usage: USER,
    async run(ctx) {
      const name = oneUser(ctx);
      const u = await guard(() => ctx.core.users.unlock(name), message);
      if (ctx.json) show(ctx, u); else ctx.out(`User ${u.identity} unlocked.`);
      return 0;
    },
  },
];
