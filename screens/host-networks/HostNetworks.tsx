// "Setup host networks" in the console (`:hostnet`): the logical networks on
// this host's NICs and bonds; a attaches one (a form checked by the core's
// rules: a refusal marks its field and nothing changes), x detaches the
// selected one. Either asks first, showing what changes on the host and any
// risk to the management interface, then runs the host network's safe apply
// with the Network screen's steps and its "keep this configuration?"
// countdown (y keeps, R rolls back, the countdown running out rolls back and
// records nothing). Read-only mode offers neither.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import type { HostNetworkApplyOptions, HostNetworkOutcome, HostNetworkPlan, HostNetworkView } from '../../src/core/host-networks.ts';
import { DEFAULT_CONFIRM_TIMEOUT_S } from '../../src/core/network.ts';
import { stepList, type ApplyStep } from '../../src/domain/net/apply-steps.ts';
import { managementImpact, riskText } from '../../src/domain/net/impact.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { FormView, useForm, type FormField } from '../storage-domains/Form.tsx';
import { formBindings, showRefusal } from '../data-centers/manager-form.ts';
import { KeepBox, Steps } from '../network/ApplyScreen.tsx';
import { diffRole } from '../network/Risk.tsx';
import { HOSTNET_KEYS as K } from './keys.ts';

const COLUMNS: Column<HostNetworkView>[] = [
  { id: 'network', title: 'Network', width: 16, render: (a) => a.network },
  { id: 'iface', title: 'NIC / bond', width: 12, render: (a) => a.iface },
  { id: 'device', title: 'Carried by', width: 16, render: (a) => a.device },
  { id: 'vlan', title: 'VLAN', width: 5, align: 'right', render: (a) => (a.vlan === null ? '-' : String(a.vlan)) },
  { id: 'vm', title: 'VM net', width: 6, render: (a) => (a.vmNetwork ? 'yes' : 'no') },
  { id: 'attached', title: 'Attached', width: 30, render: (a) => (a.management ? 'management interface' : `${a.attachedAt?.slice(0, 16) ?? ''} by ${a.attachedBy ?? '-'}`) },
];

interface ApplyView {
  title: string;
  plan: HostNetworkPlan;
  phase: 'applying' | 'confirm' | 'done' | 'failed';
  steps: ApplyStep[];
  deadline?: number;
  probes: { name: string; ok: boolean; detail: string }[];
  message?: string;
}

export function HostNetworksScreen({ shell, active }: ScreenProps) {
  const t = useTheme();
  const hn = shell.core.hostNetworks;
  const net = shell.core.network;
  const [rows, setRows] = useState<HostNetworkView[] | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [choices, setChoices] = useState<{ networks: string[]; ifaces: string[] }>({ networks: [], ifaces: [] });
  const [mode, setMode] = useState<'list' | 'form' | 'apply'>('list');
  const [apply, setApply] = useState<ApplyView | undefined>();
  const [busy, setBusy] = useState(false);
  const [form, dispatch] = useForm({});
  const [, tick] = useState(0);

  const reload = useCallback(async () => {
    try {
      setRows(await hn.list());
      setLoadError(undefined);
    } catch (e) { setLoadError((e as Error).message); }
  }, [hn]);
  useEffect(() => { void reload(); }, [reload]);

  const keys = useMemo(() => (rows ?? []).map((r) => r.network), [rows]);
  const tableH = Math.max(4, Math.min(keys.length + 2, shell.size.rows - 12));
  const { selected, bindings: nav } = useSelection(keys, tableH - 1);
  const sel = rows?.find((r) => r.network === selected);
  const fields: FormField[] = useMemo(() => [
    { id: 'network', label: 'Logical network', ...(choices.networks.length ? { choices: choices.networks } : { placeholder: 'a logical network (:lnet)' }) },
    { id: 'iface', label: 'NIC or bond', ...(choices.ifaces.length ? { choices: choices.ifaces } : { placeholder: 'a NIC or bond of this host (:network)' }) },
  ], [choices]);

  useFormInput(shell, form, active && mode === 'form', {
    draft: (value) => dispatch({ type: 'draft', value }),
    commit: () => { const f = fields[form.focus]; if (f) dispatch({ type: 'commit', id: f.id }); },
    cancel: () => dispatch({ type: 'cancel' }),
    next: () => dispatch({ type: 'move', delta: 1, count: fields.length }),
  });

  // The countdown redraws every second while the question is open; at zero the core rolls back.
  useEffect(() => {
    if (apply?.phase !== 'confirm') return;
    let timer: ReturnType<typeof setTimeout>;
    const next = () => { timer = setTimeout(() => { tick((n) => n + 1); next(); }, 1000); };
    next();
    return () => clearTimeout(timer);
  }, [apply?.phase]);

  const openForm = async () => {
    try {
      const [nets, inv] = await Promise.all([shell.core.logicalNetworks.list(), net.inventory()]);
      const networks = nets.map((n) => n.name);
      const ifaces = [...inv.nics.filter((n) => !n.memberOf), ...inv.bonds].map((l) => l.name);
      setChoices({ networks, ifaces });
      dispatch({ type: 'reset', values: { network: networks.find((n) => !rows?.some((r) => r.network === n)) ?? networks[0] ?? '', iface: ifaces[0] ?? '' } });
      setMode('form');
    } catch (e) { shell.notify(...errorNotice(e)); }
  };

  /** Asks first (what changes, any risk to the management interface), then applies safely with the steps and the countdown. */
  const run = async (title: string, plan: HostNetworkPlan, act: (o: HostNetworkApplyOptions) => Promise<HostNetworkOutcome>) => {
    const timeoutS = DEFAULT_CONFIRM_TIMEOUT_S;
    const risks = plan.changes.length ? managementImpact(plan.current, plan.changes, await net.management().catch(() => undefined)) : [];
    const what = plan.changes.length ? `${plan.diff.length} change${plan.diff.length === 1 ? '' : 's'} to the host network, applied safely: confirm within ${timeoutS} s or it rolls back` : 'nothing changes on the host';
    if (!(await shell.confirm(`${title}? ${what}.${risks.length ? ` ${riskText(risks)}.` : ''}`, { dangerous: true, yes: title.split(' ')[0] }))) { setMode('list'); return; }
    const steps = stepList();
    setApply({ title, plan, phase: 'applying', steps: [], probes: [] });
    setMode('apply');
    try {
      await act({
        confirmTimeoutS: timeoutS,
        onProgress: (p) => setApply((a) => a && { ...a, steps: steps.report(p) }),
        onApplied: (r) => setApply((a) => a && { ...a, phase: 'confirm', steps: steps.waiting(), deadline: Date.parse(r.deadline), probes: r.probes.map((x) => ({ name: `${x.name} ${x.target}`, ok: x.ok, detail: x.detail })) }),
      });
      setApply((a) => a && { ...a, phase: 'done', steps: a.steps.map((s) => (s.status === 'running' ? { ...s, status: 'done' } : s)), message: `${title}: done, recorded.` });
      shell.notify('success', `${title}: done`);
    } catch (e) {
      setApply((a) => a && { ...a, phase: 'failed', steps: steps.failed((e as Error).message), message: `${title}: ${(e as Error).message}` });
      shell.notify(...errorNotice(e, `${title}: not done`));
    }
    await reload();
  };

  const submit = async () => {
    const input = { network: form.values.network, iface: form.values.iface };
    setBusy(true);
    let plan: HostNetworkPlan;
    try { plan = await hn.planAttach(input); } catch (e) { showRefusal(shell, dispatch, e); return; } finally { setBusy(false); }
    await run(`Attach ${plan.network} to ${plan.iface}`, plan, (o) => hn.attach(input, o));
  };

  const detach = async () => {
    if (!sel) return;
    let plan: HostNetworkPlan;
    try { plan = await hn.planDetach(sel.network); } catch (e) { shell.notify(...errorNotice(e)); return; }
    await run(`Detach ${plan.network} from ${plan.iface}`, plan, (o) => hn.detach(sel.network, o));
  };

  const keep = async () => { try { await net.confirm(); } catch (e) { shell.notify(...errorNotice(e, 'Confirm failed')); } };
  const rollback = async () => { try { await net.rollback('rolled back by the operator'); } catch (e) { shell.notify(...errorNotice(e, 'Rollback failed')); } };

  const listing = mode === 'list';
  const ended = mode === 'apply' && (apply?.phase === 'done' || apply?.phase === 'failed');
  const bindings: Binding[] = [
    ...(listing ? nav : []),
    bind(K.attach, { action: openForm, when: listing }),
    bind(K.detach, { action: detach, when: listing && Boolean(sel), disabledReason: sel?.management ? 'the management network stays on the management interface' : undefined }),
    bind(K.refresh, { action: () => { void reload(); }, when: listing }),
    bind(K.keepThisConfiguration, { action: keep, when: mode === 'apply' && apply?.phase === 'confirm' }),
    bind(K.rollBackNow, { action: rollback, when: mode === 'apply' && apply?.phase === 'confirm' }),
    bind(K.done, { action: () => setMode('list'), when: ended }),
    ...formBindings({ shell, keys: K, form, dispatch, fields, inForm: mode === 'form', submit, submitDescription: 'Attach (asks first)', busy, leave: () => setMode('list') }),
  ];
  useBindings(bindings);

  if (mode === 'form') {
    return (
      <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
        <Text bold {...tone(t, 'accent')}>Attach a logical network to a NIC or bond of this host</Text>
        <FormView fields={fields} state={form} labelWidth={18} />
        <Text wrap="wrap" {...tone(t, 'dim')}>A VM network becomes a bridge named like it over the NIC/bond (or its VLAN interface); a non-VM network the VLAN interface. Space cycles a choice, s attaches (asks first), Esc goes back.</Text>
      </Box>
    );
  }
  if (mode === 'apply' && apply) {
    return (
      <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
        <Text bold {...tone(t, 'accent')}>{apply.title}</Text>
        <Box flexDirection="column" marginBottom={1}>
          {apply.plan.diff.map((d, i) => <Text key={i} wrap="truncate" {...tone(t, diffRole({ sign: d.kind, text: d.text }))}>{d.kind} {d.text}</Text>)}
          {!apply.plan.diff.length ? <Text {...tone(t, 'dim')}>Nothing changes on the host.</Text> : null}
        </Box>
        {apply.steps.length ? <Steps steps={apply.steps} t={t} /> : null}
        {apply.phase === 'confirm' && apply.deadline ? (
          <KeepBox deadline={apply.deadline} probes={apply.probes} t={t} />
        ) : null}
        {apply.message ? <Text wrap="wrap" {...tone(t, apply.phase === 'done' ? 'ok' : 'error')}>{apply.message}</Text> : null}
        {ended ? <Text {...tone(t, 'dim')}>Esc goes back to the list.</Text> : null}
      </Box>
    );
  }
  return (
    <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
      <Text wrap="truncate" {...tone(t, 'dim')}>
        {rows ? `${rows.length} logical network${rows.length === 1 ? '' : 's'} on this host's NICs and bonds (the networks themselves: :lnet; the host's configuration: :network)` : 'Reading…'}
      </Text>
      {loadError ? <Text {...tone(t, 'error')}>Cannot read the host's networks: {loadError}</Text> : null}
      <Table rows={rows ?? []} columns={COLUMNS} rowKey={(r) => r.network} selectedKey={sel?.network} height={tableH} width={shell.size.columns - 2}
        empty="No logical network on this host. a attaches one." />
    </Box>
  );
}
