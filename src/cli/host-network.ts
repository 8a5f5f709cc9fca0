// hostdeck host network list|attach|detach: the manager's logical networks on
// this host's NICs and bonds ("setup host networks"). Not the host's network
// configuration as such (`hostdeck net`), though an attach or detach changes
// it through the same safe apply as `net apply`: the diff is shown, a change
// that may cut the operator off is accepted by name, then verify, probes, and
// confirmation (typed here on a terminal, or `net confirm` from any session),
// else rollback. The attachment is recorded only once the apply is confirmed.
import { formatDiff } from '../domain/net/diff.ts';
import { managementImpact } from '../domain/net/impact.ts';
import type { FieldError } from '../domain/errors.ts';
import type { HostNetworkApplyOptions, HostNetworkOutcome, HostNetworkPlan } from '../core/host-networks.ts';
import type { ApplyResult } from '../core/network.ts';
import { acceptDisconnect, APPLY_OPTS, confirmWhileWaiting, printProbes } from './net.ts';
import { CommandError, printTable, type Command, type CommandContext } from './registry.ts';
import { positional, tooMany } from './storage-domain.ts';
import { guard, optionMessageBy } from './manager.ts';

const NOT_NET = "(logical networks on this host's NICs and bonds; the host's network configuration itself: hostdeck net)";
const OPTION: Record<string, [string, string]> = { network: ['network', 'NETWORK'], iface: ['interface', '--iface'], mtu: ['MTU', 'NETWORK'] };
const optionMessage = (e: FieldError) => optionMessageBy(OPTION, e);

const OPTIONS = {
  'confirm-timeout': APPLY_OPTS['confirm-timeout']!,
  yes: APPLY_OPTS.yes!,
  'accept-disconnect': APPLY_OPTS['accept-disconnect']!,
};

/** Shows the plan's diff, accepts a risk to the management interface, applies it and confirms as `net apply` does. */
async function applyPlan(ctx: CommandContext, plan: HostNetworkPlan, run: (opts: HostNetworkApplyOptions) => Promise<HostNetworkOutcome>): Promise<HostNetworkOutcome> {
  const svc = ctx.core.network;
  if (plan.changes.length) {
    if (!ctx.json) ctx.out(formatDiff(plan.diff));
    const risks = managementImpact(plan.current, plan.changes, await svc.management());
    if (risks.length) await acceptDisconnect(ctx, risks);
  }
  let waiting: Promise<void> | undefined;
  const done: Promise<HostNetworkOutcome> = guard(() => run({
    confirmTimeoutS: ctx.options['confirm-timeout'] as number | undefined,
    yes: Boolean(ctx.options.yes),
    onProgress: (p) => { if (!ctx.json) ctx.out(`... ${p.step}${p.detail ? `: ${p.detail}` : ''}`); },
    onApplied: (r: ApplyResult) => { waiting = confirmWhileWaiting(ctx, svc, r, done); },
  }), optionMessage);
  try {
    return await done;
  } finally {
    await waiting;
  }
}

function applied(ctx: CommandContext, o: HostNetworkOutcome, text: string): number {
  if (ctx.json) { ctx.out(JSON.stringify(o, null, 2)); return 0; }
  if (o.apply) { ctx.out(`Verified after ${o.apply.verifyTries} read${o.apply.verifyTries === 1 ? '' : 's'}; probes:`); printProbes(ctx, o.apply.probes); }
  ctx.out(text);
  return 0;
}

export const hostNetworkCommands: Command[] = [
  {
    noun: 'host', verb: 'network list', summary: `The logical networks on this host's NICs and bonds ${NOT_NET}`,
    async run(ctx) {
      tooMany(ctx, 0);
      const rows = await guard(() => ctx.core.hostNetworks.list(), optionMessage);
      printTable(ctx, rows.map((a) => ({
        network: a.network, iface: a.iface, device: a.device, vlan: a.vlan ?? '-', vm: a.vmNetwork ? 'yes' : 'no',
        attached: a.management ? 'management interface' : `${a.attachedAt ?? ''} by ${a.attachedBy ?? '-'}`,
      })), ['network', 'iface', 'device', 'vlan', 'vm', 'attached'], rows);
      return 0;
    },
  },
  {
    noun: 'host', verb: 'network attach', usage: 'NETWORK', options: { iface: { type: 'string', description: 'The NIC or bond to attach it to', value: 'IFACE' }, ...OPTIONS },
    summary: 'Attach a logical network to a NIC or bond through the safe network apply (a VM network: a bridge over it or its VLAN)',
    async run(ctx) {
      const network = positional(ctx, 0, 'NETWORK', 'a logical network name');
      tooMany(ctx, 1);
      const iface = ctx.options.iface as string | undefined;
      if (!iface?.trim()) throw new CommandError('--iface: is required (a NIC or bond of this host: hostdeck net list)', 2);
      const hn = ctx.core.hostNetworks;
      // Refused by the door (read-only mode) before the host is read, with the refusal's event.
      if (ctx.core.whyNot('host-network.attach')) await guard(() => hn.attach({ network, iface }), optionMessage);
      const plan = await guard(() => hn.planAttach({ network, iface }), optionMessage);
      const o = await applyPlan(ctx, plan, (opts) => hn.attach({ network, iface }, opts));
      return applied(ctx, o, `Attached ${plan.network} to ${plan.iface}${plan.device !== plan.iface ? ` (carried by ${plan.device})` : ' (nothing to change on the host)'}.`);
    },
  },
  {
    noun: 'host', verb: 'network detach', usage: 'NETWORK', options: OPTIONS,
    summary: 'Detach a logical network from this host through the safe network apply (its bridge and VLAN go)',
    async run(ctx) {
      const network = positional(ctx, 0, 'NETWORK', 'a logical network name');
      tooMany(ctx, 1);
      const hn = ctx.core.hostNetworks;
      if (ctx.core.whyNot('host-network.detach')) await guard(() => hn.detach(network), optionMessage);
      const plan = await guard(() => hn.planDetach(network), optionMessage);
      const o = await applyPlan(ctx, plan, (opts) => hn.detach(network, opts));
      return applied(ctx, o, `Detached ${plan.network} from ${plan.iface}.`);
    },
  },
];
