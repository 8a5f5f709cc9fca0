// The Events screen's open-alerts view: the alerts the host service raised and
// has not cleared, the worst first (critical, then the oldest).
import { Text } from 'ink';
import type { Core } from '../../src/core/index.ts';
import type { OpenAlert } from '../../src/core/alerts.ts';
import { eventTime } from '../../src/domain/duration.ts';
import { useOpenAlerts } from '../../src/store/alerts.ts';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';

function columns(width: number): Column<OpenAlert>[] {
  const fixed = 19 + 8 + 28 + 8 + 4;
  return [
    { id: 'since', title: 'SINCE', width: 19, render: (a) => eventTime(a.raisedAt) },
    { id: 'level', title: 'LEVEL', width: 8, render: (a) => a.level, role: (a) => (a.level === 'critical' ? 'error' : 'warn') },
    { id: 'rule', title: 'RULE', width: 28, render: (a) => a.rule },
    { id: 'state', title: 'STATE', width: 8, render: (a) => (a.clearing ? 'clearing' : 'open'), role: (a) => (a.clearing ? 'dim' : undefined) },
    { id: 'message', title: 'OBJECT AND FIGURE', width: Math.max(10, width - fixed), render: (a) => a.message },
  ];
}

export function OpenAlerts({ core, width, height }: { core: Pick<Core, 'alerts'>; width: number; height: number }) {
  const t = useTheme();
  const { alerts, error } = useOpenAlerts(core, 2000);
  if (error) return <Text {...tone(t, 'error')}>Cannot read the alerts: {error}</Text>;
  return <Table rows={alerts ?? []} columns={columns(width)} rowKey={(a) => `${a.rule} ${a.objectType} ${a.objectId}`} height={height} width={width}
    empty={alerts ? 'No open alerts. The host service (hostdeck serve) raises them when a threshold is crossed.' : 'Reading the alerts…'} />;
}
