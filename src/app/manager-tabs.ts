// The manager area's tabs, as data: each tab is a screen (opened in place of
// the one on top, so Esc leaves the area), with `[` and `]` moving to the
// previous and next one; the screens render the strip (ui/ManagerTabs.tsx).
import { bind } from './keys.ts';
import type { Binding, KeyTable, Shell } from './types.ts';

export const MANAGER_TABS = [
  { title: 'Data centers', screen: 'data-centers' },
  { title: 'Clusters', screen: 'clusters' },
  { title: 'Host', screen: 'host' },
  { title: 'Networks', screen: 'logical-networks' },
  { title: 'Storage', screen: 'storage-domains' },
  { title: 'Templates', screen: 'templates' },
  { title: 'Pools', screen: 'vm-pools' },
  { title: 'VMs', screen: 'vms' },
] as const;

export type ManagerTab = (typeof MANAGER_TABS)[number]['screen'];

export const MANAGER_TAB_KEYS = {
  previousTab: { keys: ['['], description: 'Previous tab', group: 'Manager tabs' },
  nextTab: { keys: [']'], description: 'Next tab', group: 'Manager tabs' },
} as const satisfies KeyTable;

/** The tab `delta` away from `current`, round the strip. */
export function tabFrom(current: ManagerTab, delta: number): ManagerTab {
  const i = MANAGER_TABS.findIndex((t) => t.screen === current);
  return MANAGER_TABS[(i + delta + MANAGER_TABS.length) % MANAGER_TABS.length]!.screen;
}

/** `[` and `]` on a manager screen; `when` false while a form or filter has the keys; `footer` false leaves them to `?` help (a footer full of actions). */
export function managerTabBindings(shell: Shell, current: ManagerTab, when = true, footer = true): Binding[] {
  // A console built without a tab's screen (a test's) skips it.
  const move = (delta: number) => {
    let next = tabFrom(current, delta);
    for (let n = 0; n < MANAGER_TABS.length && !shell.screens.some((s) => s.id === next); n++) next = tabFrom(next, delta);
    shell.replace(next);
  };
  return [
    bind(MANAGER_TAB_KEYS.previousTab, { action: () => move(-1), when, footer }),
    bind(MANAGER_TAB_KEYS.nextTab, { action: () => move(1), when, footer }),
  ];
}
