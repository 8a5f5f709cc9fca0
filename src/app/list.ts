// Selection over a list by identity: bindings for ↑/↓/PgUp/PgDn/Home/End that
// move the selected key, and re-anchoring when rows change underneath.
import { useEffect, useMemo } from 'react';
import { useScreenState } from './screen-state.ts';
import type { Binding } from './types.ts';

export function moveSelection(keys: readonly string[], current: string | undefined, delta: number | 'start' | 'end'): string | undefined {
  if (!keys.length) return undefined;
  const idx = current === undefined ? -1 : keys.indexOf(current);
  let next: number;
  if (delta === 'start') next = 0;
  else if (delta === 'end') next = keys.length - 1;
  else next = Math.max(0, Math.min(keys.length - 1, (idx < 0 ? 0 : idx) + delta));
  return keys[next];
}

/**
 * Keeps a selected key valid: when the selected row disappears, the row that
 * took its place (same index) is selected; the first row when nothing was.
 * The shell keeps the selection while another screen covers this one (a
 * screen with two lists names each with `name`); rows not read yet (none)
 * leave it as it was.
 */
export function useSelection(keys: readonly string[], pageSize: number, name = 'selection'): { selected: string | undefined; select: (k: string | undefined) => void; bindings: Binding[] } {
  const [selected, setSelected] = useScreenState<string | undefined>(name, keys[0]);
  const [lastIndex, setLastIndex] = useScreenState(`${name}.index`, 0);
  useEffect(() => {
    if (!keys.length) return;
    if (selected !== undefined && keys.includes(selected)) {
      setLastIndex(keys.indexOf(selected));
      return;
    }
    setSelected(keys[Math.min(lastIndex, keys.length - 1)]);
  }, [keys, selected, lastIndex, setSelected, setLastIndex]);
  const bindings = useMemo<Binding[]>(() => [
    { keys: ['up', 'k'], description: 'Previous', action: () => setSelected((s) => moveSelection(keys, s, -1)), footer: false, group: 'Move' },
    { keys: ['down', 'j'], description: 'Next', action: () => setSelected((s) => moveSelection(keys, s, 1)), footer: false, group: 'Move' },
    { keys: ['pageup'], description: 'Page up', action: () => setSelected((s) => moveSelection(keys, s, -Math.max(1, pageSize - 1))), footer: false, group: 'Move' },
    { keys: ['pagedown'], description: 'Page down', action: () => setSelected((s) => moveSelection(keys, s, Math.max(1, pageSize - 1))), footer: false, group: 'Move' },
    { keys: ['home', 'g'], description: 'First', action: () => setSelected(moveSelection(keys, undefined, 'start')), footer: false, group: 'Move' },
    { keys: ['end', 'G'], description: 'Last', action: () => setSelected(moveSelection(keys, undefined, 'end')), footer: false, group: 'Move' },
  ], [keys, pageSize, setSelected]);
  return { selected: selected !== undefined && keys.includes(selected) ? selected : keys[Math.min(lastIndex, keys.length - 1)], select: setSelected, bindings };
}
