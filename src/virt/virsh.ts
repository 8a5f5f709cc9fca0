// `virsh` through the runner, for what @unraid/libvirt does not have (bulk
// stats, events, snapshots, pools, networks, reboot, autostart). Pure
// helpers for virsh's table output live here too.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunResult } from '../exec/runner.ts';
import { VirtError } from './errors.ts';

/** virsh failed: its message, and what it printed. */
export class VirshError extends VirtError {
  constructor(message: string, public readonly result: RunResult) {
    super(message);
    this.name = 'VirshError';
  }
}

/** virsh's "error: ..." lines, without the prefix and the log noise. */
export function virshErrorMessage(stderr: string, fallback = 'virsh failed'): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const errs = lines.filter((l) => l.startsWith('error:')).map((l) => l.replace(/^error:\s*/, ''));
  // "failed to connect to the hypervisor" is followed by the reason; keep both.
  const msg = (errs.length ? errs : lines.filter((l) => !/^\d{4}-\d\d-\d\d .*: (info|warning) :/.test(l))).join(': ');
  return msg || fallback;
}

/**
 * The virsh commands hostdeck runs and the options each may take (virsh's
 * own names, from `virsh help <command>`). `values` are options that take a
 * value; `flags` take none. Every object (domain, snapshot, pool, volume,
 * network) and every other value goes in as an option's value
 * (`--domain NAME`), never as a positional argument: virsh reads a
 * positional that starts with `-` as an option, so a VM named
 * `--domain=prod` would act on prod. An option's value is taken as it is,
 * leading dashes included.
 */
const VIRSH_COMMANDS = {
  'attach-device': { values: ['domain', 'file'], flags: ['--live', '--config'] },
  autostart: { values: ['domain'], flags: ['--disable'] },
  capabilities: {},
  console: { values: ['domain'], flags: ['--force'] },
  desc: { values: ['domain', 'new-desc'], flags: ['--live', '--config', '--current', '--title'] },
  domcapabilities: { values: ['machine', 'virttype', 'arch'] },
  dominfo: { values: ['domain'] },
  'detach-device': { values: ['domain', 'file'], flags: ['--live', '--config'] },
  domstate: { values: ['domain'], flags: ['--reason'] },
  domstats: { flags: ['--nowait', '--state', '--cpu-total', '--vcpu', '--balloon', '--block', '--interface', '--list-running'] },
  dumpxml: { values: ['domain'], flags: ['--inactive'] },
  event: { flags: ['--all', '--loop', '--timestamp'] },
  list: { flags: ['--all', '--name'] },
  managedsave: { values: ['domain'] },
  'net-destroy': { values: ['network'] },
  'net-list': { flags: ['--all'] },
  'net-start': { values: ['network'] },
  'nwfilter-list': {},
  'pool-build': { values: ['pool'] },
  'pool-define-as': { values: ['name', 'type', 'target', 'source-name'] },
  'pool-destroy': { values: ['pool'] },
  'pool-dumpxml': { values: ['pool'] },
  'pool-info': { values: ['pool'], flags: ['--bytes'] },
  'pool-list': { flags: ['--all', '--details'] },
  'pool-refresh': { values: ['pool'] },
  'pool-start': { values: ['pool'] },
  'pool-undefine': { values: ['pool'] },
  reboot: { values: ['domain'] },
  'snapshot-create-as': { values: ['domain', 'name', 'description', 'diskspec'], flags: ['--disk-only', '--atomic'] },
  'snapshot-current': { values: ['domain'], flags: ['--name'] },
  'snapshot-delete': { values: ['domain', 'snapshotname'], flags: ['--children'] },
  'snapshot-dumpxml': { values: ['domain', 'snapshotname'] },
  'snapshot-list': { values: ['domain'], flags: ['--parent', '--name'] },
  'snapshot-revert': { values: ['domain', 'snapshotname'] },
  undefine: { values: ['domain'], flags: ['--snapshots-metadata', '--managed-save', '--nvram', '--remove-all-storage'] },
  version: {},
  'vol-clone': { values: ['vol', 'newname', 'pool'] },
  'vol-create-as': { values: ['pool', 'name', 'capacity', 'allocation', 'format'] },
  'vol-create': { values: ['pool', 'file'] },
  'vol-create-from': { values: ['pool', 'file', 'vol', 'inputpool'] },
  'vol-delete': { values: ['vol', 'pool'] },
  'vol-dumpxml': { values: ['vol', 'pool'] },
  'vol-info': { values: ['vol', 'pool'], flags: ['--bytes'] },
  'vol-list': { values: ['pool'], flags: ['--details'] },
  'vol-path': { values: ['vol', 'pool'] },
  'vol-pool': { values: ['vol'] },
} as const satisfies Record<string, { values?: readonly string[]; flags?: readonly `--${string}`[] }>;

export type VirshCommand = keyof typeof VIRSH_COMMANDS;
type Spec<C extends VirshCommand> = (typeof VIRSH_COMMANDS)[C];
type ValueName<C extends VirshCommand> = Spec<C> extends { values: readonly (infer V)[] } ? V & string : never;
type FlagName<C extends VirshCommand> = Spec<C> extends { flags: readonly (infer F)[] } ? F & string : never;
/** Option values by option name; an array repeats the option (`--diskspec A --diskspec B`); undefined leaves it out. */
export type VirshValues<C extends VirshCommand> = { readonly [K in ValueName<C>]?: string | readonly string[] };

declare const built: unique symbol;
/** A virsh argument list made by virshArgs (nothing else is accepted where virsh is run). */
export type VirshArgs = readonly string[] & { readonly [built]: true };

/**
 * The argument list of one virsh command: the command, its flags, then each
 * value as `--option VALUE`. Unknown options are refused (a typo would
 * otherwise become a positional argument).
 */
export function virshArgs<C extends VirshCommand>(command: C, values: VirshValues<C> = {} as VirshValues<C>, flags: readonly FlagName<C>[] = []): VirshArgs {
  const spec: { values?: readonly string[]; flags?: readonly string[] } | undefined = Object.hasOwn(VIRSH_COMMANDS, command) ? VIRSH_COMMANDS[command] : undefined;
  if (!spec) throw new TypeError(`virsh: ${JSON.stringify(command)} is not a command hostdeck runs`);
  const out: string[] = [command];
  for (const f of flags) {
    if (!spec.flags?.includes(f)) throw new TypeError(`virsh ${command}: no flag ${JSON.stringify(f)}`);
    out.push(f);
  }
  for (const [name, v] of Object.entries(values) as [string, string | readonly string[] | undefined][]) {
    if (v === undefined) continue;
    if (!spec.values?.includes(name)) throw new TypeError(`virsh ${command}: no option --${name}`);
    for (const one of typeof v === 'string' ? [v] : v) {
      if (typeof one !== 'string') throw new TypeError(`virsh ${command} --${name}: the value must be a string`);
      out.push(`--${name}`, one);
    }
  }
  return out as unknown as VirshArgs;
}

/** `virsh [-r] -c <uri> <args>` as one argument array (for the runner's stream and interactive starts); `-r`: a read-only connection. */
export function virshArgv(uri: string, args: VirshArgs, opts: { readOnly?: boolean } = {}): string[] {
  return [...(opts.readOnly ? ['-r'] : []), '-c', uri, ...args];
}

/** Run `fn` with `xml` in a file virsh can read (`--file`): ours alone, in a fresh 0700 directory, removed after. */
export async function withXmlFile<T>(xml: string, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'hostdeck-xml-'));
  try {
    const file = join(dir, 'object.xml');
    await writeFile(file, xml, { mode: 0o600 });
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Run `virsh [-r] -c <uri> ...args`; throws VirshError with virsh's own message on failure. */
export async function virsh(uri: string, args: VirshArgs, opts: { timeoutMs?: number; readOnly?: boolean } = {}): Promise<string> {
  const r = await run('virsh', virshArgv(uri, args, opts), { timeoutMs: opts.timeoutMs ?? 30_000, env: { LC_ALL: 'C' } });
  if (r.exitCode !== 0 || r.timedOut) {
    const what = r.timedOut ? `virsh ${args[0] ?? ''} timed out` : virshErrorMessage(r.stderr || r.stdout, `virsh ${args[0] ?? ''} exited with code ${r.exitCode}`);
    throw new VirshError(what, r);
  }
  return r.stdout;
}

/**
 * Parse one of virsh's tables (list, net-list, pool-list --details,
 * snapshot-list --parent). Columns are found from the header's offsets, so
 * empty cells and values with single spaces ("2026-11-23 22:41:18 +0000",
 * "100.00 GiB") parse correctly. Keys are the header names in lower case.
 */
export function parseVirshTable(text: string): Record<string, string>[] {
  const lines = text.split('\n');
  const sep = lines.findIndex((l) => /^-{3,}\s*$/.test(l.trim()) && l.trim().length > 3);
  if (sep < 1) return [];
  const header = lines[sep - 1]!;
  const cols: { name: string; start: number }[] = [];
  const re = /\S+(?: \S+)*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header))) cols.push({ name: m[0].toLowerCase(), start: m.index });
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(sep + 1)) {
    if (!line.trim()) continue;
    const row: Record<string, string> = {};
    cols.forEach((c, i) => {
      const end = i + 1 < cols.length ? cols[i + 1]!.start : undefined;
      row[c.name] = line.slice(c.start, end).trim();
    });
    rows.push(row);
  }
  return rows;
}

const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, PiB: 1024 ** 5, EiB: 1024 ** 6 };

/** "100.00 GiB" -> bytes (virsh's human sizes); undefined when unparsable. */
export function parseVirshSize(text: string): number | undefined {
  const m = /^([\d.]+)\s*(B|KiB|MiB|GiB|TiB|PiB|EiB)$/.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}
