// hostdeck storage connection list|show|add|remove|connect|disconnect|status,
// storage iscsi discover, storage lun list, storage fc list, storage reconnect.
// CHAP secrets come from a file (--chap-secret-file), standard input
// (--chap-secret-stdin) or a prompt that does not echo; a secret given as a
// command-line value is refused (it would sit in ps output and shell history).
import { readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { connectionTarget, type ConnectionInput, type FieldError, type StorageConnection } from '../domain/storage/connection.ts';
import { connectionLabel } from '../core/storage-connections.ts';
import type { CoreStorageConnections } from '../core/index.ts';
import { formatBytes } from '../domain/size.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { OptionSpecs, ParsedOptions } from './args.ts';
import { toCommandError } from './errors.ts';
import { CommandError, printTable, problem, type Command, type CommandContext } from './registry.ts';

const FIELD_OPTION: Record<string, string> = {
  type: 'type', name: 'name', path: 'path', version: 'version', options: 'options', portal: 'portal', target: 'target',
  chapUser: 'chap-user', chapSecret: 'chap-secret-file', mutualUser: 'mutual-user', mutualSecret: 'mutual-secret-file', wwid: 'wwid', spec: 'spec', vfsType: 'vfs-type',
};

/**
 * "--chap-user: at most 255 characters" from "chapUser: at most 255 characters".
 * A secret is named by the option it came in through (file or standard input).
 */
export function optionMessage(e: FieldError, options: ParsedOptions = {}): string {
  const fromStdin = (e.field === 'chapSecret' && options['chap-secret-stdin']) || (e.field === 'mutualSecret' && options['mutual-secret-stdin']);
  const opt = fromStdin ? FIELD_OPTION[e.field]!.replace(/-file$/, '-stdin') : FIELD_OPTION[e.field];
  const i = e.message.indexOf(': ');
  return opt && i >= 0 ? `--${opt}: ${e.message.slice(i + 2)}` : e.message;
}

/** The service's error as the CLI's (src/cli/errors.ts), field errors named by the options given. */
function fail(e: unknown, options?: ParsedOptions): never {
  throw toCommandError(e, (x) => optionMessage(x, options));
}

const svc = (ctx: CommandContext): CoreStorageConnections => ctx.core.storageConnections;

function oneId(ctx: CommandContext, what = 'CONNECTION'): string {
  if (ctx.positionals.length !== 1) throw new CommandError(`needs exactly one ${what} (an id or name; see hostdeck storage connection list)`, 2);
  return ctx.positionals[0]!;
}

const row = (c: StorageConnection) => ({
  id: c.id, name: c.name ?? '', type: c.type, target: connectionTarget(c.type, c.params), state: c.state, persistent: c.persistent ? 'yes' : 'no',
});

/** Read a secret file: the first line, refusing a file others may read. */
export function readSecretFile(path: string, option: string): string {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new CommandError(`${option}: ${path} is not a regular file`, 2);
    if ((st.mode & 0o077) !== 0) throw new CommandError(`${option}: ${path} can be read by other users (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it first`, 2);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof CommandError) throw e;
    throw new CommandError(`${option}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (!line) throw new CommandError(`${option}: ${path} is empty (the secret is its first line)`, 2);
  return line;
}

export async function readStdinLines(): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
}

/** Ask on the terminal without echoing what is typed. */
export function hiddenPrompt(question: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    let muted = false;
    const out = new Writable({ write(chunk: Buffer, _enc, cb) { if (!muted) process.stderr.write(chunk); cb(); } });
    const rl = createInterface({ input: process.stdin, output: out, terminal: true });
    let answered = false;
    rl.question(question, (a) => { answered = true; rl.close(); process.stderr.write('\n'); resolve(a); });
    muted = true;
    rl.on('close', () => { if (!answered) resolve(undefined); });
  });
}

const ADD_OPTIONS: OptionSpecs = {
  name: { type: 'string', description: 'A name for the connection (letters, digits, _ . -)', value: 'NAME' },
  path: { type: 'string', description: 'nfs: server:/export; localfs: the directory', value: 'PATH' },
  version: { type: 'string', description: 'nfs: protocol version', choices: ['auto', '3', '4.0', '4.1', '4.2'], value: 'V' },
  options: { type: 'string', description: 'nfs, posixfs: extra mount options (comma separated)', value: 'OPTS' },
  portal: { type: 'string', description: 'iscsi: ADDR[:PORT] (port 3260 if not given; IPv6 as [addr]:port)', value: 'ADDR[:PORT]' },
  target: { type: 'string', description: 'iscsi: target name (iqn..., eui..., naa...)', value: 'IQN' },
  'chap-user': { type: 'string', description: 'iscsi: CHAP user name', value: 'USER' },
  'chap-secret-file': { type: 'string', description: 'iscsi: file whose first line is the CHAP secret (mode 600)', value: 'FILE' },
  'chap-secret-stdin': { type: 'boolean', description: 'iscsi: read the CHAP secret from the first line of standard input' },
  'mutual-user': { type: 'string', description: 'iscsi: mutual CHAP user (the target authenticates to this host)', value: 'USER' },
  'mutual-secret-file': { type: 'string', description: 'iscsi: file whose first line is the mutual CHAP secret', value: 'FILE' },
  'mutual-secret-stdin': { type: 'boolean', description: 'iscsi: read the mutual CHAP secret from standard input (the line after the CHAP secret)' },
  'chap-secret': { type: 'string', description: 'refused: secrets are never taken on the command line', value: '-' },
  'mutual-secret': { type: 'string', description: 'refused: secrets are never taken on the command line', value: '-' },
  spec: { type: 'string', description: 'posixfs: device or remote spec (/dev/sdb1, server:/path, //server/share)', value: 'SPEC' },
  'vfs-type': { type: 'string', description: 'posixfs: file system type (ext4, xfs, glusterfs, ...)', value: 'TYPE' },
  wwid: { type: 'string', description: 'fc: WWID of the LUN (default: every FC LUN)', value: 'WWID' },
  'no-persistent': { type: 'boolean', description: 'Do not reconnect at boot (hostdeck storage reconnect skips it)' },
  'connect-now': { type: 'boolean', description: 'Connect right after adding' },
};

const TYPES = ['nfs', 'iscsi', 'fc', 'posixfs', 'localfs'];

async function addInput(ctx: CommandContext): Promise<ConnectionInput> {
  const o = ctx.options;
  for (const opt of ['chap-secret', 'mutual-secret']) {
    if (o[opt] !== undefined) throw new CommandError(`--${opt}: secrets are not taken on the command line (they would show in ps and the shell history); use --${opt}-file FILE, --${opt}-stdin or answer the prompt`, 2);
  }
  if (ctx.positionals.length !== 1 || !TYPES.includes(ctx.positionals[0]!)) {
    throw new CommandError(`storage connection add: needs the type, one of ${TYPES.join(', ')} (e.g. hostdeck storage connection add nfs --path server:/export)`, 2);
  }
  const type = ctx.positionals[0]!;
  const s = (k: string) => o[k] as string | undefined;
  const input: ConnectionInput = { type, name: s('name'), persistent: !o['no-persistent'] };
  const misplaced = (allowed: string[]) => {
    for (const k of ['path', 'version', 'options', 'portal', 'target', 'chap-user', 'chap-secret-file', 'chap-secret-stdin', 'mutual-user', 'mutual-secret-file', 'mutual-secret-stdin', 'spec', 'vfs-type', 'wwid']) {
      if (o[k] !== undefined && !allowed.includes(k)) throw new CommandError(`--${k}: does not apply to ${type} connections`, 2);
    }
  };
  switch (type) {
    case 'nfs':
      misplaced(['path', 'version', 'options']);
      Object.assign(input, { path: s('path') ?? '', version: s('version'), options: s('options') });
      break;
    case 'localfs':
      misplaced(['path']);
      input.path = s('path') ?? '';
      break;
    case 'posixfs':
      misplaced(['spec', 'vfs-type', 'options']);
      Object.assign(input, { spec: s('spec') ?? '', vfsType: s('vfs-type') ?? '', options: s('options') });
      break;
    case 'fc':
      misplaced(['wwid']);
      input.wwid = s('wwid');
      break;
    case 'iscsi': {
      misplaced(['portal', 'target', 'chap-user', 'chap-secret-file', 'chap-secret-stdin', 'mutual-user', 'mutual-secret-file', 'mutual-secret-stdin']);
      Object.assign(input, { portal: s('portal') ?? '', target: s('target') ?? '', chapUser: s('chap-user'), mutualUser: s('mutual-user') });
      if (o['chap-secret-file'] && o['chap-secret-stdin']) throw new CommandError('--chap-secret-stdin: give the secret either in a file or on standard input, not both', 2);
      if (o['mutual-secret-file'] && o['mutual-secret-stdin']) throw new CommandError('--mutual-secret-stdin: give the mutual secret either in a file or on standard input, not both', 2);
      const stdin = o['chap-secret-stdin'] || o['mutual-secret-stdin'] ? await readStdinLines() : [];
      if (o['chap-secret-file']) input.chapSecret = readSecretFile(s('chap-secret-file')!, '--chap-secret-file');
      if (o['chap-secret-stdin']) input.chapSecret = stdin.shift() ?? '';
      if (o['mutual-secret-file']) input.mutualSecret = readSecretFile(s('mutual-secret-file')!, '--mutual-secret-file');
      if (o['mutual-secret-stdin']) input.mutualSecret = stdin.shift() ?? '';
      const ask = async (what: string, opt: string): Promise<string> => {
        if (!ctx.interactive) throw new CommandError(`${opt}: a ${what} is needed; give it with ${opt} FILE or ${opt.replace(/-file$/, '-stdin')} (no terminal to ask on)`, 2);
        return (await hiddenPrompt(`${what[0]!.toUpperCase()}${what.slice(1)} (not shown): `)) ?? '';
      };
      if (input.chapUser && input.chapSecret === undefined) input.chapSecret = await ask('CHAP secret', '--chap-secret-file');
      if (input.mutualUser && input.mutualSecret === undefined) input.mutualSecret = await ask('mutual CHAP secret', '--mutual-secret-file');
      if (!input.chapUser && input.chapSecret) throw new CommandError('--chap-user: is required with a CHAP secret', 2);
      break;
    }
  }
  return input;
}

function show(ctx: CommandContext, c: StorageConnection, mountPath?: string): void {
  if (ctx.json) { ctx.out(JSON.stringify({ ...c, ...(mountPath ? { mountPath } : {}) }, null, 2)); return; }
  const rows: [string, string][] = [['id', c.id], ['name', c.name ?? '-'], ['type', c.type], ['target', connectionTarget(c.type, c.params)], ['state', c.state], ['persistent', c.persistent ? 'yes (reconnect at boot)' : 'no']];
  for (const [k, v] of Object.entries(c.params)) if (v !== undefined && v !== '') rows.push([k, String(v)]);
  if (c.type === 'iscsi') rows.push(['chap secret', c.hasSecret ? 'stored (encrypted)' : 'none'], ['mutual secret', c.hasMutualSecret ? 'stored (encrypted)' : 'none']);
  if (mountPath) rows.push(['mount path', mountPath]);
  if (c.lastError) rows.push(['last error', c.lastErrorAt ? `${c.lastErrorAt} ${c.lastError}` : c.lastError]);
  rows.push(['created', c.createdAt], ['updated', c.updatedAt]);
  for (const [k, v] of rows) ctx.out(`${k.padEnd(14)} ${v}`);
}

export const storageConnectionCommands: Command[] = [
  {
    noun: 'storage', verb: 'connection list', summary: 'Storage connections (NFS, iSCSI, FC, POSIX, local) with their state',
    async run(ctx) {
      const list = await svc(ctx).list();
      if (!ctx.json && !list.length) { ctx.out('No storage connections. Add one with hostdeck storage connection add nfs|iscsi|fc|posixfs|localfs ...'); return 0; }
      printTable(ctx, list.map(row), ['id', 'name', 'type', 'target', 'state', 'persistent'], list);
      return 0;
    },
  },
  {
    noun: 'storage', verb: 'connection show', summary: 'One storage connection in full (secrets only as stored/none)', usage: 'CONNECTION',
    async run(ctx) {
      const s = svc(ctx);
      const c = await s.get(oneId(ctx));
      if (!c) throw new NotFoundError(`no storage connection ${JSON.stringify(ctx.positionals[0])} (see hostdeck storage connection list)`);
      show(ctx, c, s.mountPath(c));
      return 0;
    },
  },
  {
    noun: 'storage', verb: 'connection add', summary: 'Add a storage connection: nfs, iscsi, fc, posixfs or localfs', usage: 'TYPE', options: ADD_OPTIONS,
    async run(ctx) {
      const input = await addInput(ctx);
      const s = svc(ctx);
      try {
        const c = await s.add(input);
        if (ctx.options['connect-now']) {
          const o = await s.connect(c.id).catch((e: Error) => e);
          if (o instanceof Error) {
            problem(ctx, `added ${connectionLabel(c)} (${c.id}) but connecting failed: ${o.message}`);
            if (ctx.json) ctx.out(JSON.stringify({ ...(await s.get(c.id)), connectError: o.message }, null, 2));
            return 1;
          }
          if (ctx.json) ctx.out(JSON.stringify(o.connection, null, 2));
          else ctx.out(`Added ${connectionLabel(c)} as ${c.id}; ${o.message}.`);
          return 0;
        }
        if (ctx.json) ctx.out(JSON.stringify(c, null, 2));
        else ctx.out(`Added ${connectionLabel(c)} as ${c.id}. Connect it with hostdeck storage connection connect ${c.name ?? c.id}`);
        return 0;
      } catch (e) { return fail(e, ctx.options); }
    },
  },
  {
    noun: 'storage', verb: 'connection remove', summary: 'Remove a storage connection (it must be disconnected, or use --disconnect)', usage: 'CONNECTION',
    options: { disconnect: { type: 'boolean', description: 'Disconnect it first' } },
    async run(ctx) {
      const s = svc(ctx);
      try {
        const id = oneId(ctx);
        if (ctx.options.disconnect) await s.disconnect(id);
        const c = await s.remove(id);
        if (ctx.json) ctx.out(JSON.stringify({ removed: true, ...c }, null, 2));
        else ctx.out(`Removed ${connectionLabel(c)}.`);
        return 0;
      } catch (e) { return fail(e); }
    },
  },
  ...(['connect', 'disconnect'] as const).map((verb): Command => ({
    noun: 'storage', verb: `connection ${verb}`, summary: verb === 'connect' ? 'Connect: mount NFS/POSIX, log in to iSCSI (an existing session is success)' : 'Disconnect: unmount or log out (refused while in use)', usage: 'CONNECTION',
    async run(ctx) {
      try {
        const o = await svc(ctx)[verb](oneId(ctx));
        if (ctx.json) ctx.out(JSON.stringify({ ...o.connection, already: o.already, message: o.message }, null, 2));
        else ctx.out(`${o.message}.`);
        return 0;
      } catch (e) { return fail(e); }
    },
  })),
  {
    noun: 'storage', verb: 'connection status', summary: 'Live state of one connection (or all) read from the host', usage: '[CONNECTION]',
    async run(ctx) {
      const s = svc(ctx);
      try {
        const ids = ctx.positionals.length ? [oneId(ctx)] : (await s.list()).map((c) => c.id);
        const rows = [];
        for (const id of ids) {
          const st = await s.status(id);
          const c = (await s.get(id))!;
          rows.push({ id: c.id, name: c.name ?? '', type: c.type, state: st.state, detail: st.detail, ...(st.mountPath ? { mountPath: st.mountPath } : {}) });
        }
        if (ctx.json) { ctx.out(JSON.stringify(ctx.positionals.length ? rows[0] : rows, null, 2)); return 0; }
        if (!rows.length) { ctx.out('No storage connections.'); return 0; }
        printTable(ctx, rows, ['name', 'type', 'state', 'detail']);
        return 0;
      } catch (e) { return fail(e); }
    },
  },
  {
    noun: 'storage', verb: 'iscsi discover', summary: 'Targets and portals an iSCSI portal offers (sendtargets; nothing is stored)',
    options: {
      portal: { type: 'string', description: 'ADDR[:PORT] (port 3260 if not given)', value: 'ADDR[:PORT]', required: true },
      'chap-user': { type: 'string', description: 'Discovery CHAP user name (when the portal requires discovery authentication)', value: 'USER' },
      'chap-secret-file': { type: 'string', description: 'File whose first line is the discovery CHAP secret (mode 600)', value: 'FILE' },
      'chap-secret-stdin': { type: 'boolean', description: 'Read the discovery CHAP secret from the first line of standard input' },
      'chap-secret': { type: 'string', description: 'refused: secrets are never taken on the command line', value: '-' },
    },
    async run(ctx) {
      const o = ctx.options;
      if (o['chap-secret'] !== undefined) throw new CommandError('--chap-secret: secrets are not taken on the command line (they would show in ps and the shell history); use --chap-secret-file FILE, --chap-secret-stdin or answer the prompt', 2);
      if (o['chap-secret-file'] && o['chap-secret-stdin']) throw new CommandError('--chap-secret-stdin: give the secret either in a file or on standard input, not both', 2);
      const user = o['chap-user'] as string | undefined;
      let secret: string | undefined;
      if (o['chap-secret-file']) secret = readSecretFile(o['chap-secret-file'] as string, '--chap-secret-file');
      if (o['chap-secret-stdin']) secret = (await readStdinLines())[0] ?? '';
      if (secret !== undefined && !user) throw new CommandError('--chap-user: is required with a CHAP secret', 2);
      if (user && secret === undefined) {
        if (!ctx.interactive) throw new CommandError('--chap-secret-file: a discovery CHAP secret is needed; give it with --chap-secret-file FILE or --chap-secret-stdin (no terminal to ask on)', 2);
        secret = (await hiddenPrompt('Discovery CHAP secret (not shown): ')) ?? '';
      }
      try {
        const list = await svc(ctx).discover(o.portal as string, user !== undefined ? { user, secret: secret ?? '' } : undefined);
        if (!ctx.json && !list.length) { ctx.out(`The portal ${String(ctx.options.portal)} offers no targets to this host.`); return 0; }
        printTable(ctx, list.map((t) => ({ target: t.target, portal: t.portal, tpgt: t.tpgt })), ['target', 'portal', 'tpgt'], list);
        return 0;
      } catch (e) { return fail(e, ctx.options); }
    },
  },
  {
    noun: 'storage', verb: 'lun list', summary: 'LUNs of a connected iSCSI or FC connection: WWID, size, vendor, model, serial, device', usage: 'CONNECTION',
    async run(ctx) {
      try {
        const luns = await svc(ctx).luns(oneId(ctx));
        if (!ctx.json && !luns.length) { ctx.out('No LUNs.'); return 0; }
        printTable(ctx, luns.map((l) => ({ ...l, size: formatBytes(l.sizeBytes), paths: l.paths.join(',') })), ['wwid', 'size', 'vendor', 'model', 'serial', 'devicePath', 'paths'], luns);
        return 0;
      } catch (e) { return fail(e); }
    },
  },
  {
    noun: 'storage', verb: 'fc list', summary: 'Fibre Channel HBAs: WWNN, WWPN, port state, speed (and their LUNs with --luns)',
    options: { luns: { type: 'boolean', description: 'Also list the LUNs the HBAs see' } },
    async run(ctx) {
      const s = svc(ctx);
      const hosts = await s.fcHosts();
      if (ctx.options.luns) {
        const luns = await s.fcLuns();
        if (ctx.json) { ctx.out(JSON.stringify({ hosts, luns }, null, 2)); return 0; }
        printTable(ctx, hosts as unknown as Record<string, unknown>[], ['host', 'wwnn', 'wwpn', 'portState', 'speed']);
        ctx.out('');
        printTable(ctx, luns.map((l) => ({ ...l, size: formatBytes(l.sizeBytes), paths: l.paths.join(',') })), ['wwid', 'size', 'vendor', 'model', 'serial', 'devicePath', 'paths']);
        return 0;
      }
      if (!ctx.json && !hosts.length) { ctx.out('This host has no Fibre Channel HBA (/sys/class/fc_host is empty).'); return 0; }
      printTable(ctx, hosts as unknown as Record<string, unknown>[], ['host', 'wwnn', 'wwpn', 'portState', 'speed', 'portType'], hosts);
      return 0;
    },
  },
  {
    noun: 'storage', verb: 'reconnect', summary: 'Reconnect every connection marked persistent (what the host service runs at start)',
    async run(ctx) {
      const report = await svc(ctx).reconnectPersistent();
      if (ctx.json) ctx.out(JSON.stringify(report, null, 2));
      else if (!report.length) ctx.out('No persistent storage connections.');
      else for (const r of report) (r.ok ? ctx.out : ctx.err)(`${r.ok ? 'ok    ' : 'FAILED'} ${r.ok ? r.message : `${r.label}: ${r.message}`}`);
      return report.every((r) => r.ok) ? 0 : 1;
    },
  },
];
