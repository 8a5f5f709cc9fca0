// The hooks from the console: whether they run at all, their root and time
// limit, then every hook point with its scripts in the order they run and,
// for one that does not run, why; the selected row's path below. Hooks are
// files an administrator puts in place (they run as root), so this screen
// shows them and changes nothing; r reads the directories again.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import type { ScreenProps } from '../../src/app/types.ts';
import type { HookListing } from '../../src/core/hooks.ts';
import { hookRows, type HookRow } from '../../src/domain/hooks.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { HOOKS_KEYS as K } from './keys.ts';

const ROLE: Record<HookRow['state'], 'ok' | 'warn' | 'error' | 'dim'> = { runs: 'ok', idle: 'dim', skipped: 'warn', refused: 'error' };

const columns = (width: number): Column<HookRow>[] => [
  { id: 'point', title: 'POINT', width: 21, render: (r) => r.point },
  { id: 'script', title: 'SCRIPT', width: 22, render: (r) => r.script },
  // What is left of the line (the table puts a space between columns).
  { id: 'status', title: 'STATUS', width: Math.max(12, width - 21 - 22 - 4), render: (r) => r.status, role: (r) => ROLE[r.state] },
];

const rowKey = (r: HookRow) => `${r.point}/${r.script}`;

export function Hooks({ shell }: ScreenProps) {
  const t = useTheme();
  const [listing, setListing] = useState<HookListing | undefined>();
  const [scriptsOnly, setScriptsOnly] = useState(false);
  const live = useRef(true);
  useEffect(() => () => { live.current = false; }, []);

  const reload = useCallback(async () => {
    try {
      const l = await shell.core.hooks.list();
      if (live.current) setListing(l);
    } catch (e) {
      shell.notify(...errorNotice(e, 'Hooks not read'));
    }
  }, [shell]);
  useEffect(() => { void reload(); }, [reload]);

  const all = useMemo(() => (listing ? hookRows(listing.points) : []), [listing]);
  const rows = useMemo(() => (scriptsOnly ? all.filter((r) => r.script !== '-') : all), [all, scriptsOnly]);
  const height = Math.max(4, shell.size.rows - 11);
  const { selected, bindings: nav } = useSelection(useMemo(() => rows.map(rowKey), [rows]), height - 1, 'hook');
  useBindings([...nav, bind(K.reload, { action: reload }), bind(K.scriptsOnly, { action: () => setScriptsOnly((x) => !x) })]);

  const sel = rows.find((r) => rowKey(r) === selected);
  const scripts = all.filter((r) => r.script !== '-');
  const running = scripts.filter((r) => r.state === 'runs').length;
  const refused = all.filter((r) => r.state === 'refused').length;
  return (
    <Box flexDirection="column" paddingX={1} height={shell.size.rows} overflow="hidden">
      <Text bold {...tone(t, 'accent')}>Hooks</Text>
      {listing ? (
        <Text wrap="truncate-end" {...tone(t, !listing.enabled ? 'warn' : refused ? 'error' : 'ok')}>
          {listing.enabled
            ? `on: ${listing.root}, each script may run ${listing.timeoutS} s · ${running} of ${scripts.length} script(s) run${refused ? ` · ${refused} refused` : ''}`
            : `off (HOSTDECK_HOOKS=off): no hook runs · ${listing.root}`}
        </Text>
      ) : <Text {...tone(t, 'dim')}>Reading the hook directories…</Text>}
      <Box marginTop={1}>
        <Table rows={rows} columns={columns(shell.size.columns - 2)} rowKey={rowKey} selectedKey={selected} height={height} width={shell.size.columns - 2}
          empty={listing ? 'No hook point has scripts (a to show every point).' : undefined} />
      </Box>
      {sel ? (
        <Box marginTop={1} flexDirection="column">
          <Text bold wrap="truncate-end">{sel.point}{sel.script === '-' ? '' : ` · ${sel.script}`}</Text>
          <Text wrap="truncate-start">{sel.path}</Text>
          <Text wrap="wrap" {...tone(t, ROLE[sel.state])}>{sel.status}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
