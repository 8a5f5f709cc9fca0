// This host as the manager's host object: its cluster and data center, status
// (NonOperational with the reason), CPU, memory and VMs. Maintenance is
// refused while VMs run (with one host there is nowhere to migrate them) or,
// with M, shuts them down first after naming them; activate brings it back.
// Read-only mode drops the changing keys.
import { useCallback, useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { managerTabBindings } from '../../src/app/manager-tabs.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import type { HostView } from '../../src/core/manager.ts';
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
