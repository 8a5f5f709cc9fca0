// hostdeck net ...: the host's network from the command line. Commands that
// change something stage a change (validated first; a bad value names the
// option and the rule and nothing is staged or run); `net diff` shows what
// is staged, `net apply` applies it safely and waits for `net confirm` from
// any session, rolling back at the timeout. `net apply-file` feeds the same
// operations from a file, one command per line, for unattended installs.
import { readFileSync } from 'node:fs';
import { formatDiff } from '../domain/net/diff.ts';
import { ChangeChain, DEFAULT_BOND_OPTIONS, findIface, type BondOptions, type IpMethod, type NetChange, type NetConfig } from '../domain/net/model.ts';
import { NetValidationError, bondWarnings, validateChange, type FieldError } from '../domain/net/validate.ts';
import { managementImpact, riskText, type ManagementRisk } from '../domain/net/impact.ts';
import { DEFAULT_CONFIRM_TIMEOUT_S, NetError, type ApplyResult, type NetworkUseCases } from '../core/network.ts';
import { stagedChanges } from '../domain/counts.ts';
import { parseArgs, UsageError, type OptionSpecs, type ParsedOptions } from './args.ts';
import { toCommandError } from './errors.ts';
import { CommandError, printTable, problem, type Command, type CommandContext } from './registry.ts';

const netService = (ctx: CommandContext): NetworkUseCases => ctx.core.network;

/** Which option or argument a field error is about. */
const FIELD_OPTION: Record<string, string> = {
  ports: '--port', mode: '--mode', miimon: '--miimon', updelay: '--updelay', downdelay: '--downdelay', arp_interval: '--arp-interval',
  arp_ip_target: '--arp-target', primary: '--primary', lacp_rate: '--lacp-rate', xmit_hash_policy: '--xmit-hash-policy', ad_select: '--ad-select',
  id: '--id', parent: '--parent', stp: '--stp', method: '--method', address: '--address', gateway: '--gateway', servers: '--server',
  search: '--search', to: '--to', via: '--via', metric: '--metric', name: 'NAME', iface: 'IFACE', hostname: 'NAME', mtu: 'MTU', family: '--ipv6',
};

/** A field error as the command line says it: the verb's own option when it has one by that name (vlan create --name), else the usual option or argument. */
export function fieldMessage(e: FieldError, verb?: StageVerb): string {
  const opt = verb && Object.hasOwn(verb.options, e.field) ? `--${e.field}` : FIELD_OPTION[e.field] ?? e.field;
  return `${opt}: ${e.message}`;
}

const BOND_OPTS: OptionSpecs = {
  port: { type: 'list', description: 'A port of the bond (repeat for each)', value: 'NIC' },
  mode: { type: 'string', description: 'Bond mode: balance-rr, active-backup, balance-xor, broadcast, 802.3ad, balance-tlb, balance-alb', value: 'MODE' },
  miimon: { type: 'number', description: 'MII link monitoring interval in ms', value: 'MS' },
  updelay: { type: 'number', description: 'Delay before a port that came up is used, ms', value: 'MS' },
  downdelay: { type: 'number', description: 'Delay before a port that went down is dropped, ms', value: 'MS' },
  'arp-interval': { type: 'number', description: 'ARP monitoring interval in ms (instead of miimon)', value: 'MS' },
  'arp-target': { type: 'list', description: 'ARP monitoring target (repeat for each)', value: 'IPV4' },
  primary: { type: 'string', description: 'Preferred port (active-backup, balance-tlb, balance-alb)', value: 'NIC' },
  'lacp-rate': { type: 'string', description: 'LACPDU rate, slow or fast (802.3ad)', value: 'RATE' },
  'xmit-hash-policy': { type: 'string', description: 'Transmit hash policy (balance-xor, 802.3ad, balance-tlb, balance-alb)', value: 'POLICY' },
  'ad-select': { type: 'string', description: 'Aggregator selection: stable, bandwidth, count (802.3ad)', value: 'SEL' },
};

function bondOptions(o: ParsedOptions, base?: BondOptions): BondOptions | undefined {
  const given = Object.keys(BOND_OPTS).some((k) => k !== 'port' && o[k] !== undefined);
  if (!given) return undefined;
  const b = { ...(base ?? {}), mode: (o.mode as string | undefined) ?? base?.mode } as BondOptions & Record<string, unknown>;
  const set = (k: keyof BondOptions, v: unknown) => { if (v !== undefined) (b as Record<string, unknown>)[k] = v; };
  set('miimon', o.miimon); set('updelay', o.updelay); set('downdelay', o.downdelay); set('arp_interval', o['arp-interval']);
  set('arp_ip_target', o['arp-target']); set('primary', o.primary); set('lacp_rate', o['lacp-rate']);
  set('xmit_hash_policy', o['xmit-hash-policy']); set('ad_select', o['ad-select']);
  // A mode change drops options the new mode does not take.
  if (o.mode !== undefined && base && o.mode !== base.mode) {
    for (const k of ['lacp_rate', 'ad_select', 'xmit_hash_policy', 'primary'] as const) if (o[k.replace(/_/g, '-')] === undefined && o[k] === undefined) delete b[k];
  }
  return b;
}

/** bond create's options: what is left out is the console's New bond default (DEFAULT_BOND_OPTIONS). */
const BOND_CREATE_OPTS: OptionSpecs = {
  ...BOND_OPTS,
  mode: { ...BOND_OPTS.mode!, description: `${BOND_OPTS.mode!.description} (default ${DEFAULT_BOND_OPTIONS.mode})` },
  miimon: { ...BOND_OPTS.miimon!, description: `${BOND_OPTS.miimon!.description} (default ${DEFAULT_BOND_OPTIONS.miimon!} unless --arp-interval is given; 0 turns monitoring off)` },
};

/** A new bond's options: the defaults, then what was given (given ARP monitoring replaces the default MII monitoring). */
function newBondOptions(o: ParsedOptions): BondOptions {
  const base: BondOptions = o['arp-interval'] !== undefined ? { mode: DEFAULT_BOND_OPTIONS.mode } : { ...DEFAULT_BOND_OPTIONS };
  return bondOptions(o, base) ?? base;
}

const one = (positionals: string[], what: string): string => {
  if (positionals.length !== 1) throw new UsageError(`needs exactly one ${what} (got ${positionals.length})`);
  return positionals[0]!;
};

/** A staging verb: its options and how its arguments become a change. */
interface StageVerb {
  verb: string;
  summary: string;
  usage?: string;
  options: OptionSpecs;
  build: (positionals: string[], o: ParsedOptions, current: NetConfig) => NetChange;
}

export const STAGE_VERBS: StageVerb[] = [
  {
    verb: 'bond create', summary: 'Stage a new bond over NICs', usage: 'NAME', options: BOND_CREATE_OPTS,
    build: (p, o) => ({ op: 'bond.create', name: one(p, 'bond NAME'), ports: (o.port as string[] | undefined) ?? [], options: newBondOptions(o) }),
  },
  {
    verb: 'bond edit', summary: 'Stage a change of a bond\'s ports or options', usage: 'NAME', options: BOND_OPTS,
    build: (p, o, cur) => {
      const name = one(p, 'bond NAME');
      const options = bondOptions(o, findIface(cur, name)?.bond);
      return { op: 'bond.edit', name, ...(o.port ? { ports: o.port as string[] } : {}), ...(options ? { options } : {}) };
    },
  },
  { verb: 'bond delete', summary: 'Stage deleting a bond (its ports are released)', usage: 'NAME', options: {}, build: (p) => ({ op: 'bond.delete', name: one(p, 'bond NAME') }) },
  {
    verb: 'vlan create', summary: 'Stage a VLAN on a NIC or bond', usage: '',
    options: {
      parent: { type: 'string', description: 'NIC or bond the VLAN runs on', value: 'IFACE', required: true },
      id: { type: 'number', description: 'VLAN id 1-4094', value: 'ID', required: true },
      name: { type: 'string', description: 'Interface name (default PARENT.ID)', value: 'NAME' },
    },
    build: (_p, o) => ({ op: 'vlan.create', parent: o.parent as string, id: o.id as number, ...(o.name !== undefined ? { name: o.name as string } : {}) }),
  },
  { verb: 'vlan delete', summary: 'Stage deleting a VLAN', usage: 'NAME', options: {}, build: (p) => ({ op: 'vlan.delete', name: one(p, 'VLAN NAME') }) },
  {
    verb: 'bridge create', summary: 'Stage a bridge over NICs, bonds or VLANs', usage: 'NAME',
    options: { port: { type: 'list', description: 'A port of the bridge (repeat for each)', value: 'IFACE' }, stp: { type: 'boolean', description: 'Run the spanning tree protocol' } },
    build: (p, o) => ({ op: 'bridge.create', name: one(p, 'bridge NAME'), ports: (o.port as string[] | undefined) ?? [], stp: Boolean(o.stp) }),
  },
  { verb: 'bridge delete', summary: 'Stage deleting a bridge (its ports are released)', usage: 'NAME', options: {}, build: (p) => ({ op: 'bridge.delete', name: one(p, 'bridge NAME') }) },
  {
    verb: 'ip set', summary: 'Stage the addressing of an interface', usage: 'IFACE',
    options: {
      method: { type: 'string', description: 'dhcp (DHCPv6 for IPv6), static, none; auto = SLAAC, IPv6 only', value: 'METHOD', required: true },
      address: { type: 'list', description: 'Address with prefix, e.g. 192.168.1.10/24 (repeat for more)', value: 'CIDR' },
      gateway: { type: 'string', description: 'Default gateway (inside the subnet)', value: 'IP' },
      ipv6: { type: 'boolean', description: 'Set IPv6 instead of IPv4' },
    },
    build: (p, o) => ({ op: 'ip.set', iface: one(p, 'IFACE'), family: o.ipv6 ? 6 : 4, method: o.method as IpMethod, addresses: (o.address as string[] | undefined) ?? [], ...(o.gateway !== undefined ? { gateway: o.gateway as string } : {}) }),
  },
  {
    verb: 'dns set', summary: 'Stage the DNS servers and search domains', usage: '',
    options: { server: { type: 'list', description: 'DNS server address (repeat, at most 3)', value: 'IP' }, search: { type: 'list', description: 'Search domain (repeat)', value: 'DOMAIN' } },
    build: (_p, o) => ({ op: 'dns.set', servers: (o.server as string[] | undefined) ?? [], search: (o.search as string[] | undefined) ?? [] }),
  },
  { verb: 'hostname set', summary: 'Stage the host name', usage: 'NAME', options: {}, build: (p) => ({ op: 'hostname.set', hostname: one(p, 'host NAME') }) },
  {
    verb: 'mtu set', summary: 'Stage the MTU of an interface', usage: 'IFACE MTU', options: {},
    build: (p) => {
      if (p.length !== 2) throw new UsageError('needs IFACE and MTU');
      if (!/^\d{1,6}$/.test(p[1]!)) throw new UsageError(`MTU: must be a whole number (got ${JSON.stringify(p[1]!.slice(0, 40))})`);
      return { op: 'mtu.set', iface: p[0]!, mtu: Number(p[1]) };
    },
  },
  {
    verb: 'route add', summary: 'Stage a static route', usage: 'IFACE',
    options: { to: { type: 'string', description: 'Destination with prefix', value: 'CIDR', required: true }, via: { type: 'string', description: 'Next hop', value: 'IP' }, metric: { type: 'number', description: 'Route metric', value: 'N' } },
    build: (p, o) => ({ op: 'route.add', iface: one(p, 'IFACE'), to: o.to as string, ...(o.via !== undefined ? { via: o.via as string } : {}), ...(o.metric !== undefined ? { metric: o.metric as number } : {}) }),
  },
  {
    verb: 'route delete', summary: 'Stage removing a static route', usage: 'IFACE',
    options: { to: { type: 'string', description: 'Destination with prefix', value: 'CIDR', required: true } },
    build: (p, o) => ({ op: 'route.delete', iface: one(p, 'IFACE'), to: o.to as string }),
  },
];

/** What is staged now, counted as the lines `net diff` shows. */
async function printStaged(ctx: CommandContext, svc: NetworkUseCases, current: NetConfig): Promise<void> {
  const rows = svc.staged().length;
  const n = await svc.desired(current).then((d) => d.diff.length, () => rows);
  ctx.out(`Staged. ${stagedChanges(n)} in all: \`hostdeck net diff\` shows them, \`hostdeck net apply\` applies them.`);
}

async function stageOrExplain(svc: NetworkUseCases, change: NetChange, current: NetConfig, verb: StageVerb): Promise<void> {
  try {
    await svc.stage(change, { current });
  } catch (e) {
    throw toCommandError(e, (x) => fieldMessage(x, verb));
  }
}

export function printProbes(ctx: CommandContext, probes: readonly { name: string; target: string; ok: boolean; detail: string }[]): void {
  for (const p of probes) ctx.out(`  ${p.ok ? 'ok    ' : 'FAILED'} ${p.name} ${p.target}: ${p.detail}`);
}

async function mtuTest(ctx: CommandContext, targets: readonly string[], mtu: number | undefined): Promise<number> {
  if (!targets.length) throw new CommandError('--target: --mtu needs the host to test the path to (--target HOST)', 2);
  const rs = [];
  for (const t of targets) {
    try {
      rs.push(await ctx.core.diagnostics.mtuPath(t, mtu));
    } catch (e) {
      throw toCommandError(e, (f) => `--${f.message.replace(/^mtu:/, 'mtu-size:')}`);
    }
  }
  if (ctx.json) ctx.out(JSON.stringify(rs, null, 2));
  else printProbes(ctx, rs.map((r) => ({ name: 'mtu', target: r.target, ok: r.ok, detail: r.detail })));
  return rs.every((r) => r.ok) ? 0 : 1;
}

function outcome(ctx: CommandContext, r: ApplyResult): number {
  if (ctx.json) ctx.out(JSON.stringify(r, null, 2));
  if (r.status === 'confirmed') { if (!ctx.json) ctx.out('Confirmed: the change is kept.'); return 0; }
  if (r.status === 'rolled-back') { problem(ctx, `Rolled back: ${r.reason ?? 'not confirmed'}. The previous configuration is back; the staged changes are kept (net discard drops them).`); return 1; }
  if (!ctx.json) ctx.out(`Applied; waiting for confirmation until ${r.deadline}: run \`hostdeck net confirm\` (from any session) or \`hostdeck net rollback\`.`);
  return 0;
}

function stageCommand(v: StageVerb): Command {
  return {
    noun: 'net', verb: v.verb, summary: v.summary, usage: v.usage, options: v.options,
    async run(ctx) {
      const svc = netService(ctx);
      const current = await svc.current();
      let change: NetChange;
      try { change = v.build(ctx.positionals, ctx.options, current); } catch (e) { throw toCommandError(e); }
      await stageOrExplain(svc, change, current, v);
      if (change.op === 'bond.create' || change.op === 'bond.edit') for (const w of bondWarnings(change.name, change.options)) problem(ctx, `warning: ${w}`);
      if (ctx.json) ctx.out(JSON.stringify(svc.staged(), null, 2));
      else await printStaged(ctx, svc, current);
      return 0;
    },
  };
}

/**
 * A one-line counter on a terminal's stderr ("staging 12000/20000"), redrawn
 * at most every 100 ms; nothing when stderr is not a terminal or with --json,
 * so logs and pipes get no carriage returns.
 */
export function terminalProgress(ctx: Pick<CommandContext, 'json'>, stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'> = process.stderr): { show: (text: string) => void; clear: () => void } {
  if (!stream.isTTY || ctx.json) return { show: () => {}, clear: () => {} };
  let shown = 0;
  return {
    show(text) {
      const t = performance.now();
      if (t - shown < 100) return;
      shown = t;
      stream.write(`\r\x1b[K${text}`);
    },
    // The counter goes before the result or the error is printed.
    clear() { if (shown) stream.write('\r\x1b[K'); shown = 0; },
  };
}

/** Parses an unattended file: one `net` staging command per line ("bond create bond0 --port eth0 ..."); # starts a comment. */
export function parseNetFile(text: string, current: NetConfig, onLine?: (done: number, total: number) => void): { changes: NetChange[]; errors: string[] } {
  const changes: NetChange[] = []; const errors: string[] = [];
  const chain = new ChangeChain(current);
  const lines = text.split('\n');
  if (text.includes('\0')) return { changes: [], errors: ['the file contains a NUL character'] };
  lines.forEach((raw, idx) => {
    onLine?.(idx + 1, lines.length);
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const words = line.split(/\s+/);
    const at = `line ${idx + 1}`;
    const v = STAGE_VERBS.find((s) => s.verb === `${words[0]} ${words[1]}`);
    if (!v) { errors.push(`${at}: unknown operation "${`${words[0]} ${words[1] ?? ''}`.trim().slice(0, 40)}" (one of ${STAGE_VERBS.map((s) => s.verb).join(', ')})`); return; }
    try {
      const { options, positionals } = parseArgs(words.slice(2), v.options);
      const c = v.build(positionals, options, chain.config);
      const errs = validateChange(c, chain.config);
      if (errs.length) { errors.push(...errs.map((e) => `${at}: ${fieldMessage(e, v)}`)); return; }
      changes.push(c);
      chain.apply(c);
    } catch (e) {
      if (e instanceof UsageError) errors.push(`${at}: ${e.message}`); else throw e;
    }
  });
  return { changes, errors };
}

/**
 * A change that may cut the operator off from the host (the management
 * interface's address or the default gateway goes) applies only when that
 * risk is accepted by name, as the console asks: "yes" typed at a prompt
 * naming it, or --accept-disconnect where there is no terminal.
 */
export async function acceptDisconnect(ctx: CommandContext, risks: readonly ManagementRisk[]): Promise<void> {
  for (const r of risks) problem(ctx, `warning: ${r.reason}`);
  if (ctx.options['accept-disconnect']) return;
  if (ctx.interactive && !ctx.json) {
    const a = await ctx.prompt(`${riskText(risks)}. Apply anyway? Type yes to apply: `);
    if (a?.trim().toLowerCase() === 'yes') return;
    throw new CommandError('Not applied; the staged changes are kept (net discard drops them).', 1);
  }
  throw new CommandError('not applied: this change may disconnect you from the host (see the warnings); give --accept-disconnect to apply it anyway', 1);
}

/**
 * While apply `r` waits for confirmation: says how to confirm it, and on a
 * terminal asks (the operator types yes); `done` settles once the apply is
 * confirmed or rolled back, and then the question is dropped.
 */
export async function confirmWhileWaiting(ctx: CommandContext, svc: Pick<NetworkUseCases, 'confirm'>, r: ApplyResult, done: Promise<unknown>): Promise<void> {
  if (!ctx.json) ctx.out(`Waiting for confirmation until ${r.deadline}: run \`hostdeck net confirm\` from any session (or \`net rollback\`).`);
  if (!ctx.interactive || ctx.json) return;
  const ask = ctx.prompt('Keep this configuration? Type yes to confirm: ');
  const first = await Promise.race([ask.then((a) => ({ a })), done.then(() => ({}), () => ({}))]);
  if ('a' in first && first.a?.trim().toLowerCase() === 'yes') {
    try { await svc.confirm(); } catch (e) { if (!(e instanceof NetError)) throw e; }
  } else if (!('a' in first)) {
    // Rolled back while the question was open: stop reading the terminal so the command ends.
    process.stdin.destroy();
  }
}

async function applyAndWait(ctx: CommandContext, svc: NetworkUseCases): Promise<number> {
  const timeout = (ctx.options['confirm-timeout'] as number | undefined) ?? DEFAULT_CONFIRM_TIMEOUT_S;
  try {
    const { current, diff } = await svc.desired();
    if (!ctx.json) { ctx.out(`Backend: ${await svc.backend()}`); ctx.out(formatDiff(diff)); }
    const risks = managementImpact(current, svc.staged(), await svc.management());
    if (risks.length) await acceptDisconnect(ctx, risks);
    const r = await svc.apply({ confirmTimeoutS: timeout, yes: Boolean(ctx.options.yes), onProgress: (p) => { if (!ctx.json) ctx.out(`... ${p.step}${p.detail ? `: ${p.detail}` : ''}`); } });
    if (!ctx.json) { ctx.out(`Verified after ${r.verifyTries} read${r.verifyTries === 1 ? '' : 's'}; probes:`); printProbes(ctx, r.probes); if (!r.probes.length) ctx.out('  (none passed before the change)'); }
    if (r.status !== 'waiting') return outcome(ctx, r);
    if (ctx.options['no-wait']) return outcome(ctx, r);
    const done = svc.waitForOutcome(r.id);
    await confirmWhileWaiting(ctx, svc, r, done);
    return outcome(ctx, await done);
  } catch (e) {
    throw toCommandError(e, (x) => fieldMessage(x));
  }
}

export const APPLY_OPTS: OptionSpecs = {
  'confirm-timeout': { type: 'number', description: `Seconds to wait for net confirm before rolling back (default ${DEFAULT_CONFIRM_TIMEOUT_S})`, value: 'S', min: 5, max: 3600 },
  yes: { type: 'boolean', description: 'Confirm at once when the connectivity probes pass' },
  'no-wait': { type: 'boolean', description: 'Return once applied; the rollback watchdog still rolls back at the timeout unless confirmed' },
  'accept-disconnect': { type: 'boolean', description: "Apply even when the change takes the management interface's address or the default gateway away (asked on a terminal)" },
};

export const netCommands: Command[] = [
  {
    noun: 'net', verb: 'list', summary: "NICs, bonds, VLANs and bridges with state and addresses (this host's network configuration; the manager's logical networks: hostdeck network)",
    async run(ctx) {
      const inv = await netService(ctx).inventory();
      const rows = [
        ...inv.nics.map((n) => ({ name: n.name, kind: 'nic', state: n.link, mac: n.mac, mtu: n.mtu, detail: [n.driver, n.speedMbps ? `${n.speedMbps}Mb/s` : undefined].filter(Boolean).join(' '), member: n.memberOf, addresses: n.addresses.map((a) => a.cidr).join(' ') })),
        ...inv.bonds.map((b) => ({ name: b.name, kind: 'bond', state: b.link, mac: b.mac, mtu: b.mtu, detail: `${b.mode} ports ${b.ports.map((p) => p.name).join(',')}`, member: b.memberOf, addresses: b.addresses.map((a) => a.cidr).join(' ') })),
        ...inv.vlans.map((v) => ({ name: v.name, kind: 'vlan', state: v.link, mac: v.mac, mtu: v.mtu, detail: `id ${v.id} on ${v.parent}`, member: v.memberOf, addresses: v.addresses.map((a) => a.cidr).join(' ') })),
        ...inv.bridges.map((b) => ({ name: b.name, kind: 'bridge', state: b.link, mac: b.mac, mtu: b.mtu, detail: `ports ${b.ports.join(',') || '-'}${b.stp ? ' stp' : ''}`, member: b.memberOf, addresses: b.addresses.map((a) => a.cidr).join(' ') })),
      ];
      printTable(ctx, rows, ['name', 'kind', 'state', 'mac', 'mtu', 'member', 'addresses', 'detail'], inv);
      if (!ctx.json) {
        for (const g of inv.gateways) ctx.out(`gateway ${g.gateway} dev ${g.dev}`);
        ctx.out(`dns ${inv.dns.servers.join(' ') || '-'}${inv.dns.search.length ? ` search ${inv.dns.search.join(' ')}` : ''}`);
      }
      return 0;
    },
  },
  ...STAGE_VERBS.map(stageCommand),
  {
    noun: 'net', verb: 'diff', summary: 'Show every staged change as a diff against the current configuration',
    async run(ctx) {
      const svc = netService(ctx);
      try {
        const { diff } = await svc.desired();
        if (ctx.json) ctx.out(JSON.stringify({ staged: svc.staged(), diff }, null, 2));
        else ctx.out(formatDiff(diff));
      } catch (e) {
        if (e instanceof NetValidationError) throw new CommandError(['the staged changes no longer fit the host:', ...e.errors.map((x) => fieldMessage(x)), '(net discard drops them)'], 1);
        throw e;
      }
      return 0;
    },
  },
  {
    noun: 'net', verb: 'discard', summary: 'Drop every staged change',
    async run(ctx) {
      const n = await netService(ctx).discard();
      ctx.out(ctx.json ? JSON.stringify({ discarded: n }) : `Discarded ${n} staged change${n === 1 ? '' : 's'}.`);
      return 0;
    },
  },
  {
    noun: 'net', verb: 'apply', summary: 'Apply the staged changes safely: verify, probe, wait for net confirm or roll back',
    options: APPLY_OPTS,
    run: (ctx) => applyAndWait(ctx, netService(ctx)),
  },
  {
    noun: 'net', verb: 'apply-file', summary: 'Stage (and with --apply, apply) the operations in a file, one per line', usage: 'FILE',
    options: { apply: { type: 'boolean', description: 'Apply after staging' }, ...APPLY_OPTS },
    async run(ctx) {
      const path = one(ctx.positionals, 'FILE');
      let text: string;
      try { text = readFileSync(path, 'utf8'); } catch (e) { throw new CommandError(`FILE: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2); }
      const svc = netService(ctx);
      if (svc.staged().length) throw new CommandError('changes are already staged; apply or discard them first (net diff shows them)', 1);
      const current = await svc.current();
      const progress = terminalProgress(ctx);
      try {
        const { changes, errors } = parseNetFile(text, current, (done, total) => progress.show(`reading line ${done}/${total}`));
        if (errors.length) throw new CommandError([`${path}: nothing staged:`, ...errors], 2);
        if (!changes.length) throw new CommandError(`${path}: no operations in the file`, 2);
        await svc.stageAll(changes, {
          current, onProgress: (phase, done, total) => progress.show(`${phase} ${done}/${total}`),
          event: { message: `Staged ${changes.length} change${changes.length === 1 ? '' : 's'} from ${path}` },
        });
      } catch (e) {
        if (e instanceof NetValidationError) throw new CommandError([`${path}: nothing staged:`, ...e.errors.map((x) => fieldMessage(x))], 2);
        if (e instanceof NetError) throw new CommandError(`${path}: nothing staged: ${e.message}`, 1);
        throw e;
      } finally {
        progress.clear();
      }
      if (!ctx.options.apply) { await printStaged(ctx, svc, current); return 0; }
      return applyAndWait(ctx, svc);
    },
  },
  {
    noun: 'net', verb: 'confirm', summary: 'Keep the applied change (from any session)',
    async run(ctx) {
      try {
        const p = await netService(ctx).confirm();
        ctx.out(ctx.json ? JSON.stringify(p, null, 2) : 'Confirmed: the change is kept.');
        return 0;
      } catch (e) { throw toCommandError(e); }
    },
  },
  {
    noun: 'net', verb: 'rollback', summary: 'Roll back the applied change now',
    async run(ctx) {
      try {
        await netService(ctx).rollback(`rolled back by ${ctx.core.principal.user} (net rollback)`);
        ctx.out(ctx.json ? JSON.stringify({ status: 'rolled-back' }) : 'Rolled back: the previous configuration is back.');
        return 0;
      } catch (e) { throw toCommandError(e); }
    },
  },
  {
    noun: 'net', verb: 'status', summary: 'The apply in progress (deadline, who, the diff) and the staged changes',
    async run(ctx) {
      const svc = netService(ctx);
      const [p, backend] = await Promise.all([svc.pending(), svc.backend()]);
      if (ctx.json) { ctx.out(JSON.stringify({ backend, pending: p ?? null, staged: svc.staged() }, null, 2)); return 0; }
      ctx.out(`Backend: ${backend}`);
      if (p) { ctx.out(`Apply ${p.id.slice(0, 8)} by ${p.who}: ${p.status}, rolls back at ${p.deadline} unless confirmed`); ctx.out(formatDiff(p.diff)); }
      else ctx.out('No apply pending.');
      // Counted as the lines `net diff` shows (the Network screen's count); changes that no longer fit the host have no diff: their rows.
      const rows = svc.staged().length;
      ctx.out(`${stagedChanges(rows ? await svc.diff().then((d) => d.length, () => rows) : 0)}.`);
      return 0;
    },
  },
  {
    noun: 'net', verb: 'test', summary: 'Probe connectivity: default gateway, DNS, the engine, and --target hosts',
    options: {
      target: { type: 'list', description: 'Another host to ping (repeat)', value: 'HOST' },
      mtu: { type: 'boolean', description: 'Instead: the MTU path test to each --target (ping with don\'t-fragment at the MTU; the largest size that passes)' },
      'mtu-size': { type: 'number', description: 'The MTU to test with --mtu (default: the MTU of the interface the route to the target uses)', value: 'MTU', min: 68, max: 65536 },
    },
    async run(ctx) {
      const targets = (ctx.options.target as string[] | undefined) ?? [];
      for (const x of targets) if (!/^[A-Za-z0-9.:-]{1,253}$/.test(x) || x.startsWith('-')) throw new CommandError(`--target: must be a host name or IP address (got ${JSON.stringify(x.slice(0, 40))})`, 2);
      if (ctx.options['mtu-size'] !== undefined && !ctx.options.mtu) throw new CommandError('--mtu-size: only with --mtu', 2);
      if (ctx.options.mtu) return mtuTest(ctx, targets, ctx.options['mtu-size'] as number | undefined);
      // The console's network test too; printed as the apply's probes are.
      const r = (await netService(ctx).test(targets)).map((x) => ({ name: x.kind, target: x.target, ok: x.ok, detail: x.detail }));
      if (ctx.json) ctx.out(JSON.stringify(r, null, 2));
      else if (!r.length) ctx.out('Nothing to probe: no default gateway, DNS server or engine.');
      else printProbes(ctx, r);
      return r.every((p) => p.ok) ? 0 : 1;
    },
  },
  {
    noun: 'net', verb: 'watchdog', summary: '(internal) Roll back apply --id at its deadline unless confirmed',
    options: { id: { type: 'string', description: 'The apply to watch', value: 'ID', required: true } },
    async run(ctx) {
      const id = ctx.options.id as string;
      if (!/^[0-9a-f-]{36}$/.test(id)) throw new CommandError('--id: must be an apply id', 2);
      const r = await netService(ctx).watchdog(id);
      ctx.out(r);
      return 0;
    },
  },
];
