// The open alerts for the dashboard's alerts line and the Events screen's
// open-alerts view: read through the core (one query of the state DB; the
// alerts module loads on the first read, after the first frame) every few
// seconds while a screen shows them. The host service raises and clears them.
import { useEffect, useMemo } from 'react';
import type { Core } from '../core/index.ts';
import type { OpenAlert } from '../core/alerts.ts';
import { createPolledStore } from './poller.ts';
import { usePolled } from './use-polled.ts';

export function useOpenAlerts(core: Pick<Core, 'alerts'>, pollMs = 5000): { alerts?: OpenAlert[]; error?: string } {
  const store = useMemo(() => createPolledStore(() => core.alerts.list(), pollMs), [core, pollMs]);
  useEffect(() => () => store.stop(), [store]);
  const state = usePolled(store);
  return { alerts: state.data, error: state.error };
}

export type AlertLineRole = 'ok' | 'warn' | 'error' | 'dim';

/** The dashboard's alerts line: how many are open and the worst (the list comes worst first). */
export function alertLine(alerts: readonly OpenAlert[] | undefined, error?: string): { text: string; role: AlertLineRole } {
  if (error) return { text: `unknown: ${error}`, role: 'warn' };
  if (!alerts) return { text: '…', role: 'dim' };
  const worst = alerts[0];
  if (!worst) return { text: 'none open', role: 'ok' };
  return { text: `${alerts.length} open; worst: ${worst.level} ${worst.rule}, ${worst.message}`, role: worst.level === 'critical' ? 'error' : 'warn' };
}
