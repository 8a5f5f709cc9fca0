// This host as the manager's host object: its cluster and data center, status
// (NonOperational with the reason), CPU, memory and VMs. Maintenance is
// refused while VMs run (with one host there is nowhere to migrate them) or,
// with M, shuts them down first after naming them; activate brings it back.
// Reboot and power off show the plan (each running VM and its fate,
// maintenance, how the host goes down) in the confirm; the VMs are shut down
// (forced after the timeout) or, with the capital key, saved. Read-only mode
// drops the changing keys.
import { useCallback, useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { managerTabBindings } from '../../src/app/manager-tabs.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import type { HostView } from '../../src/core/manager.ts';
import { planText, type PowerAction, type VmPolicy } from '../../src/domain/power.ts';
import { formatMiB } from '../../src/domain/size.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { ManagerTabs } from '../../src/ui/ManagerTabs.tsx';
import { Field } from '../../src/ui/Panel.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { HOST_KEYS as K } from './keys.ts';

const statusRole = (s: string) => (s === 'Up' ? 'ok' : s === 'Maintenance' ? 'warn' : 'error');

export function HostScreen({ shell }: ScreenProps) {
  const t = useTheme();
  const host = shell.core.manager.host;
  const [view, setView] = useState<HostView>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const reload = useCallback(async () => {
    try { setView(await host.show()); setError(undefined); } catch (e) { setError((e as Error).message); }
  }, [host]);
  useEffect(() => { void reload(); }, [reload]);

  const act = (what: string, fn: () => Promise<HostView>) => async () => {
    setBusy(true);
    try { setView(await fn()); shell.notify('success', what); } catch (e) { shell.notify(...errorNotice(e)); } finally { setBusy(false); }
    await reload();
  };
  const power = (action: PowerAction, vms: VmPolicy) => async () => {
    const plan = await shell.core.power.plan(action, { vms });
    if (!(await shell.confirm(planText(plan), { dangerous: true }))) { shell.notify('info', 'Nothing was done'); return; }
    setBusy(true);
    try {
      await shell.core.power.run(action, { vms });
      shell.notify('success', action === 'reboot' ? 'This host is rebooting' : 'This host is powering off');
    } catch (e) { shell.notify(...errorNotice(e)); } finally { setBusy(false); }
    await reload();
  };
  const restart = (service: 'libvirtd' | 'hostdeck') => async () => {
    setBusy(true);
    try { await shell.core.power.restartService(service); shell.notify('success', `${service} restarted`); } catch (e) { shell.notify(...errorNotice(e)); } finally { setBusy(false); }
  };
  const inMaintenance = view?.status === 'Maintenance';
  const running = view?.vms.running ?? 0;
  const bindings: Binding[] = [
    bind(K.maintenance, {
      when: Boolean(view) && !busy, disabledReason: inMaintenance ? 'already in maintenance' : running ? `${running} VM${running === 1 ? '' : 's'} running: shut them down first (or M)` : undefined,
      confirm: 'Put this host into maintenance? No VM can start on it until it is activated.', action: act('This host is in maintenance', () => host.maintenance()),
    }),
    bind(K.maintenanceStopVms, {
      when: Boolean(view) && !busy && !inMaintenance && running > 0,
      confirm: `Shut down the ${running} running VM${running === 1 ? '' : 's'} of this host and put it into maintenance?`, action: act('This host is in maintenance', () => host.maintenance({ stopVms: true })),
    }),
    bind(K.activate, {
      when: Boolean(view) && !busy, disabledReason: inMaintenance ? undefined : 'it is not in maintenance',
      confirm: 'Activate this host (out of maintenance)?', action: act('This host is active', () => host.activate()),
    }),
    bind(K.reboot, { when: !busy, action: power('reboot', 'shutdown') }),
    bind(K.rebootSave, { when: !busy, footer: false, action: power('reboot', 'save') }),
    bind(K.poweroff, { when: !busy, action: power('poweroff', 'shutdown') }),
    bind(K.poweroffSave, { when: !busy, footer: false, action: power('poweroff', 'save') }),
    bind(K.restartLibvirtd, { when: !busy, footer: false, confirm: 'Restart libvirtd? Running VMs keep running; hostdeck reconnects.', action: restart('libvirtd') }),
    bind(K.restartService, { when: !busy, footer: false, confirm: 'Restart the host service (hostdeck serve)?', action: restart('hostdeck') }),
    bind(K.refresh, { action: () => { void reload(); } }),
    ...managerTabBindings(shell, 'host'),
  ];
  useBindings(bindings);

  return (
    <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
      <ManagerTabs current="host" />
      {error ? <Text {...tone(t, 'error')} wrap="truncate">Cannot read this host: {error}</Text> : null}
      {!view && !error ? <Text {...tone(t, 'dim')}>Reading…</Text> : null}
      {view ? (
        <Box flexDirection="column" marginTop={1}>
          <Field label="name" value={view.name} />
          <Field label="address" value={view.address ?? '-'} />
          <Field label="status" value={view.reason ? `${view.status}: ${view.reason}` : view.status} role={statusRole(view.status)} />
          <Field label="cluster" value={`${view.cluster} (data center ${view.dataCenter})`} />
          <Field label="CPU" value={`${view.cpu.model}, ${view.cpu.sockets} socket(s) × ${view.cpu.cores} core(s) × ${view.cpu.threads} thread(s)`} />
          <Field label="memory" value={formatMiB(Math.round(view.memoryKiB / 1024))} />
          <Field label="VMs" value={`${view.vms.running} running of ${view.vms.total}`} />
        </Box>
      ) : null}
      {busy ? <Text {...tone(t, 'warn')}>Working…</Text> : null}
    </Box>
  );
}
