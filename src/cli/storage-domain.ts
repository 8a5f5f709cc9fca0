// hostdeck storage domain list|show|create|scan|import|activate|maintenance|detach|remove|monitor
// hostdeck storage volume list|create|delete|upload
// Same rules and messages as the Storage domains screen; every input is
// checked before anything runs and an error names the option and the rule.
import { volumeNameRule, type FieldError } from '../domain/storage/domain.ts';
import { formatBytes } from '../domain/size.ts';
import { DomainError, HEALTH_INTERVAL_MS, type StorageDomain } from '../core/storage-domains.ts';
import type { CoreStorageDomains } from '../core/index.ts';
import { NotFoundError } from '../domain/errors.ts';
import { exitCodeOf, toCommandError } from './errors.ts';
import { CommandError, printTable, type Command, type CommandContext } from './registry.ts';

const OPTION: Record<string, string> = {
  name: '--name', type: '--type', connection: '--connection', lun: '--lun', description: '--description', size: '--size', format: '--format', file: 'FILE', domain: 'DOMAIN', volume: 'VOLUME',
};

/** A field error as the CLI says it: "--size: must be at least 1 MiB ...". */
export function optionMessage(e: FieldError): string {
  const opt = OPTION[e.field];
  if (!opt) return e.message;
  return e.message.startsWith(`${e.field}: `) ? `${opt}: ${e.message.slice(e.field.length + 2)}` : `${opt}: ${e.message}`;
}

async function withService<T>(ctx: CommandContext, fn: (s: CoreStorageDomains) => Promise<T>): Promise<T> {
  const s = ctx.core.storageDomains;
  try {
    return await fn(s);
  } catch (e) {
    if (e instanceof DomainError && e.kind === 'in-use' && !ctx.json) throw new CommandError([e.message, 'Stop or migrate these VMs first.'], exitCodeOf(e));
    throw toCommandError(e, optionMessage);
  }
}

export function positional(ctx: CommandContext, i: number, name: string, hint: string): string {
  const v = ctx.positionals[i]?.trim();
  if (!v) throw new CommandError(`${name}: is required (${hint})`, 2);
  return v;
}

export function tooMany(ctx: CommandContext, n: number): void {
  if (ctx.positionals.length > n) throw new CommandError(`unexpected argument ${JSON.stringify(ctx.positionals[n])}`, 2);
}

export async function confirm(ctx: CommandContext, question: string): Promise<boolean> {
  if (ctx.options.yes) return true;
  if (!ctx.interactive) throw new CommandError('--yes: is required without a terminal to confirm on', 2);
  const a = await ctx.prompt(`${question} [y/N] `);
  return /^y(es)?$/i.test((a ?? '').trim());
}

const pct = (d: StorageDomain) => (d.capacityBytes && d.usedBytes !== null ? `${Math.round((d.usedBytes / d.capacityBytes) * 100)}%` : '-');

function domainRow(d: StorageDomain, names: Map<string, string> = new Map()) {
  return { name: d.name, type: d.type, status: d.status, storage: d.kind === 'block' ? `block ${d.device ?? ''}` : 'file', capacity: formatBytes(d.capacityBytes ?? undefined), used: formatBytes(d.usedBytes ?? undefined), free: formatBytes(d.freeBytes ?? undefined), 'used%': pct(d), connection: names.get(d.connectionId) ?? d.connectionId, id: d.id };
}

/** Connection id -> name, from the state DB (no storage is touched). */
async function connectionNames(ctx: CommandContext): Promise<Map<string, string>> {
  try {
    return new Map((await ctx.core.storageConnections.list()).map((c) => [c.id, c.name ?? c.id]));
  } catch {
    return new Map();
  }
}

const DOMAIN_ARG = 'DOMAIN';
const domainHint = 'a storage domain name or UUID';

export const storageDomainCommands: Command[] = [
  {
    noun: 'storage',
    verb: 'domain list',
    summary: 'List the storage domains of the data center with type, status and capacity',
    async run(ctx) {
      tooMany(ctx, 0);
      const s = ctx.core.storageDomains;
      const list = await s.list();
      if (!list.length && !ctx.json) { ctx.out('No storage domains. Create one with hostdeck storage domain create, or find existing ones with hostdeck storage domain scan.'); return 0; }
      const names = ctx.json ? undefined : await connectionNames(ctx);
      printTable(ctx, list.map((d) => domainRow(d, names)), ['name', 'type', 'status', 'capacity', 'used', 'free', 'used%', 'storage', 'connection'], list);
      return 0;
    },
  },
  {
    noun: 'storage',
    verb: 'domain show',
    summary: 'Show one storage domain in full',
    usage: DOMAIN_ARG,
    async run(ctx) {
      const key = positional(ctx, 0, DOMAIN_ARG, domainHint);
      tooMany(ctx, 1);
      const s = ctx.core.storageDomains;
      const d = await s.get(key);
      if (!d) throw new NotFoundError(`${DOMAIN_ARG}: no storage domain ${JSON.stringify(key)} (see hostdeck storage domain list)`);
      if (ctx.json) { ctx.out(JSON.stringify(d, null, 2)); return 0; }
      const rows: [string, string][] = [
        ['name', d.name], ['id', d.id], ['type', d.type], ['status', d.status + (d.lastError ? ` (${d.lastError})` : '')],
        ['capacity', `${formatBytes(d.capacityBytes ?? undefined)}, ${formatBytes(d.usedBytes ?? undefined)} used, ${formatBytes(d.freeBytes ?? undefined)} free`],
        ['storage', d.kind === 'block' ? `volume group ${d.path} on ${d.device}` : `directory ${d.path}`],
        ['pool', `${d.poolName} (libvirt ${d.poolType})`], ['connection', `${(await connectionNames(ctx)).get(d.connectionId) ?? '(removed)'} ${d.connectionId}`], ['format', `version ${d.formatVersion}`],
        ['created', `${d.createdAt} by ${d.creatorHost}`], ['attached', d.attachedAt], ['checked', d.checkedAt ?? 'never'],
      ];
      if (d.description) rows.splice(1, 0, ['description', d.description]);
      for (const [k, v] of rows) ctx.out(`${k.padEnd(12)} ${v}`);
      return 0;
    },
  },
  {
    noun: 'storage',
    verb: 'domain create',
    summary: 'Create a storage domain on a connection (writes its metadata onto the storage, defines its libvirt pool)',
    options: {
      name: { type: 'string', description: 'Domain name: letters, digits, - and _, at most 50', value: 'NAME' },
      type: { type: 'string', description: 'data, iso or export', value: 'TYPE' },
      connection: { type: 'string', description: 'The storage connection (id or name) it lives on', value: 'CONNECTION' },
      lun: { type: 'string', description: 'iSCSI / FC: the LUN (WWID or device) when the connection has several', value: 'WWID' },
      description: { type: 'string', description: 'Free text, one line, at most 200 characters', value: 'TEXT' },
    },
    async run(ctx) {
      tooMany(ctx, 0);
      const o = ctx.options;
      const d = await withService(ctx, (s) => s.create({ name: (o.name as string) ?? '', type: (o.type as string) ?? '', connectionId: (o.connection as string) ?? '', lun: o.lun as string | undefined, description: o.description as string | undefined }));
      if (ctx.json) ctx.out(JSON.stringify(d, null, 2));
      else ctx.out(`Created ${d.type} storage domain ${d.name} (${d.id}): ${d.status}, ${formatBytes(d.freeBytes ?? undefined)} free.`);
      return 0;
    },
  },
  {
    noun: 'storage',
    verb: 'domain scan',
    summary: 'List the storage domains found on a connection (read-only)',
    options: { connection: { type: 'string', description: 'The storage connection (id or name) to look on', value: 'CONNECTION' } },
    async run(ctx) {
      tooMany(ctx, 0);
      const conn = ctx.options.connection as string | undefined;
      if (!conn) throw new CommandError('--connection: is required (a storage connection id or name)', 2);
      const found = await withService(ctx, (s) => s.scan(conn));
      if (!found.length && !ctx.json) { ctx.out(`No storage domains on connection ${conn}.`); return 0; }
      printTable(ctx, found.map((f) => ({ name: f.metadata.name, type: f.metadata.type, uuid: f.metadata.uuid, version: f.metadata.formatVersion, creator: f.metadata.creatorHost, created: f.metadata.createdAt, attached: f.attachedAs ?? 'no' })),
        ['name', 'type', 'uuid', 'version', 'creator', 'created', 'attached'], found);
      return 0;
    },
  },
  {
    noun: 'storage',
    verb: 'domain import',
    summary: 'Attach a storage domain found on a connection to the data center',
    usage: 'UUID|NAME',
    options: {
      connection: { type: 'string', description: 'The storage connection (id or name) it is on', value: 'CONNECTION' },
      name: { type: 'string', description: 'Attach under another name (when the name is taken here)', value: 'NAME' },
    },
    async run(ctx) {
      const which = positional(ctx, 0, DOMAIN_ARG, 'the UUID or name of a domain shown by hostdeck storage domain scan');
      tooMany(ctx, 1);
      const conn = ctx.options.connection as string | undefined;
      if (!conn) throw new CommandError('--connection: is required (a storage connection id or name)', 2);
      const d = await withService(ctx, (s) => s.import(conn, which, { name: ctx.options.name as string | undefined }));
      if (ctx.json) ctx.out(JSON.stringify(d, null, 2));
      else ctx.out(`Imported ${d.type} storage domain ${d.name} (${d.id}), created ${d.createdAt} by ${d.creatorHost}: ${d.status}.`);
      return 0;
    },
  },
  ...(['activate', 'maintenance'] as const).map((verb): Command => ({
    noun: 'storage',
    verb: `domain ${verb}`,
    summary: verb === 'activate' ? 'Activate a storage domain (from maintenance, inactive or unreachable)' : 'Put a storage domain into maintenance (refused while a running VM uses it)',
    usage: DOMAIN_ARG,
    async run(ctx) {
      const key = positional(ctx, 0, DOMAIN_ARG, domainHint);
      tooMany(ctx, 1);
      const d = await withService(ctx, (s) => (verb === 'activate' ? s.activate(key) : s.maintenance(key)));
      if (ctx.json) ctx.out(JSON.stringify(d, null, 2));
      else ctx.out(`Storage domain ${d.name} is ${d.status === 'maintenance' ? 'in maintenance' : d.status}.`);
      return 0;
    },
  })),
  {
    noun: 'storage',
    verb: 'domain detach',
    summary: 'Detach a storage domain in maintenance from the data center; its data stays on the storage (import finds it again)',
    usage: DOMAIN_ARG,
    options: { yes: { type: 'boolean', description: 'Do not ask for confirmation' } },
    async run(ctx) {
      const key = positional(ctx, 0, DOMAIN_ARG, domainHint);
      tooMany(ctx, 1);
      if (!(await confirm(ctx, `Detach storage domain ${key}? Its libvirt pool is removed; the data stays on the storage.`))) { ctx.err('Not detached.'); return 1; }
      await withService(ctx, (s) => s.detach(key));
      if (ctx.json) ctx.out(JSON.stringify({ detached: key }, null, 2));
      else ctx.out(`Detached ${key}; its data is still on the storage (hostdeck storage domain scan finds it).`);
      return 0;
    },
  },
  {
    noun: 'storage',
    verb: 'domain remove',
    summary: 'Remove a storage domain in maintenance AND delete its data on the storage (refused while any VM has a disk on it)',
    usage: DOMAIN_ARG,
    options: { yes: { type: 'boolean', description: 'Do not ask for confirmation' } },
    async run(ctx) {
      const key = positional(ctx, 0, DOMAIN_ARG, domainHint);
      tooMany(ctx, 1);
      if (!(await confirm(ctx, `Remove storage domain ${key} and DELETE every volume on it?`))) { ctx.err('Not removed.'); return 1; }
      await withService(ctx, (s) => s.remove(key));
      if (ctx.json) ctx.out(JSON.stringify({ removed: key }, null, 2));
      else ctx.out(`Removed ${key} and deleted its data.`);
      return 0;
    },
  },
  {
    noun: 'storage',
    verb: 'domain monitor',
    summary: 'Run the storage domain health check in the foreground (every 10 s; what the host service runs)',
    options: { once: { type: 'boolean', description: 'One round, then exit (1 when a domain is unreachable)' } },
    async run(ctx) {
      tooMany(ctx, 0);
      const s = ctx.core.storageDomains;
      let rounds = 0;
      const monitor = await s.newMonitor({
        keepAlive: true,
        onChange: (changes) => { for (const c of changes) ctx.err(`${new Date().toISOString()} ${c.domain.name}: ${c.from} -> ${c.to}`); },
        onRound: (checked) => {
          if (rounds++ === 0) ctx.err(`${new Date().toISOString()} first round: ${checked.map((d) => `${d.name} ${d.status}`).join(', ') || 'no domain to check'}`);
        },
      });
      if (ctx.options.once) {
        await monitor.checkNow();
        const list = await s.list();
        printTable(ctx, list.map((d) => domainRow(d)), ['name', 'status', 'capacity', 'free'], list);
        return list.some((d) => d.status === 'unreachable') ? 1 : 0;
      }
      const watched = (await s.list()).filter((d) => d.status === 'active' || d.status === 'unreachable').length;
      ctx.err(`${new Date().toISOString()} monitoring ${watched} storage domain${watched === 1 ? '' : 's'} every ${HEALTH_INTERVAL_MS / 1000} s (status changes are events and lines here)`);
      monitor.start();
      await new Promise<void>((resolve) => {
        const stop = () => { monitor.stop(); resolve(); };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      return 0;
    },
  },
  {
    noun: 'storage',
    verb: 'volume list',
    summary: 'List the volumes (VM disks, ISO files) of a storage domain',
    usage: DOMAIN_ARG,
    async run(ctx) {
      const key = positional(ctx, 0, DOMAIN_ARG, domainHint);
      tooMany(ctx, 1);
      const vols = await withService(ctx, (s) => s.volumes(key));
      if (!vols.length && !ctx.json) { ctx.out(`No volumes in ${key}.`); return 0; }
      printTable(ctx, vols.map((v) => ({ name: v.name, capacity: formatBytes(v.capacityBytes), allocation: formatBytes(v.allocationBytes), type: v.type, path: v.path })), ['name', 'capacity', 'allocation', 'type', 'path'], vols);
      return 0;
    },
  },
  {
    noun: 'storage',
    verb: 'volume create',
    summary: 'Create a volume (qcow2 or raw) in a storage domain',
    usage: DOMAIN_ARG,
    options: {
      name: { type: 'string', description: 'Volume name (letters, digits, . _ + -)', value: 'NAME' },
      size: { type: 'string', description: 'Size with a unit, e.g. 10G, 512M (at least 1 MiB)', value: 'SIZE' },
      format: { type: 'string', description: 'qcow2 (default on file domains) or raw (block and ISO domains)', value: 'FORMAT' },
    },
    async run(ctx) {
      const key = positional(ctx, 0, DOMAIN_ARG, domainHint);
      tooMany(ctx, 1);
      const o = ctx.options;
      const v = await withService(ctx, (s) => s.volumeCreate(key, { name: (o.name as string) ?? '', size: (o.size as string) ?? '', format: o.format as string | undefined }));
      if (ctx.json) ctx.out(JSON.stringify(v, null, 2));
      else ctx.out(`Created volume ${v.name} (${formatBytes(v.capacityBytes)}) at ${v.path}.`);
      return 0;
    },
  },
  {
    noun: 'storage',
    verb: 'volume delete',
    summary: 'Delete a volume of a storage domain (refused while a VM has it as a disk)',
    usage: `${DOMAIN_ARG} VOLUME`,
    options: { yes: { type: 'boolean', description: 'Do not ask for confirmation' } },
    async run(ctx) {
      const key = positional(ctx, 0, DOMAIN_ARG, domainHint);
      const name = positional(ctx, 1, 'VOLUME', 'a volume name from hostdeck storage volume list');
      tooMany(ctx, 2);
      // Before the question: a bad name is refused as such, not asked about.
      const bad = volumeNameRule('volume', name);
      if (bad) throw new CommandError(optionMessage({ field: 'volume', message: bad }), 2);
      if (!(await confirm(ctx, `Delete volume ${name} of ${key}? Its data is lost.`))) { ctx.err('Not deleted.'); return 1; }
      await withService(ctx, (s) => s.volumeDelete(key, name));
      if (ctx.json) ctx.out(JSON.stringify({ deleted: name, domain: key }, null, 2));
      else ctx.out(`Deleted volume ${name} of ${key}.`);
      return 0;
    },
  },
  {
    noun: 'storage',
    verb: 'volume upload',
    summary: 'Upload a file (an ISO to an ISO domain, a raw image to a data domain) as a new volume, with progress',
    usage: `${DOMAIN_ARG} FILE`,
    options: { name: { type: 'string', description: 'Volume name (default: the file name)', value: 'NAME' } },
    async run(ctx) {
      const key = positional(ctx, 0, DOMAIN_ARG, domainHint);
      const file = positional(ctx, 1, 'FILE', 'the absolute path of the file to upload');
      tooMany(ctx, 2);
      let last = -1;
      const v = await withService(ctx, (s) => s.upload(key, file, {
        name: ctx.options.name as string | undefined,
        onProgress: (p) => {
          const pc = Math.floor((p.doneBytes / p.totalBytes) * 100);
          if (pc !== last && !ctx.json) { last = pc; ctx.err(`uploading ${pc}% (${formatBytes(p.doneBytes)} of ${formatBytes(p.totalBytes)})`); }
        },
      }));
      if (ctx.json) ctx.out(JSON.stringify(v, null, 2));
      else ctx.out(`Uploaded ${file} to ${key} as ${v.name} (${formatBytes(v.capacityBytes)}).`);
      return 0;
    },
  },
];
