// The manager area's tab strip: every tab on one line, the current one
// highlighted (77 columns: whole at 80; `[` and `]` are in the footer).
import { Fragment } from 'react';
import { Text } from 'ink';
import { MANAGER_TABS, type ManagerTab } from '../app/manager-tabs.ts';
import { tone, useTheme } from './theme.ts';

export function ManagerTabs({ current }: { current: ManagerTab }) {
  const t = useTheme();
  return (
    <Text wrap="truncate">
      {MANAGER_TABS.map((tab, i) => (
        <Fragment key={tab.screen}>
          {i ? <Text {...tone(t, 'dim')}> · </Text> : null}
          <Text {...(tab.screen === current ? { bold: true, inverse: true } : tone(t, 'dim'))}>{tab.title}</Text>
        </Fragment>
      ))}
    </Text>
  );
}
