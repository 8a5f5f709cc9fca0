// A one-line text field display (the input itself is handled by the owner).
import { Text } from 'ink';
import { tone, useTheme } from './theme.ts';

export function TextLine({ label, value, focused, error }: { label: string; value: string; focused: boolean; error?: string }) {
  const t = useTheme();
  return (
    <Text wrap="truncate">
      <Text {...tone(t, 'dim')}>{label}</Text>
      <Text>{value}</Text>
      {focused ? <Text inverse> </Text> : null}
      {error ? <Text {...tone(t, 'error')}>  {error}</Text> : null}
    </Text>
  );
}

/** Apply one key press to a single-line text value; returns the new value or undefined when the key is not editing. */
export function editText(value: string, input: string, key: { backspace?: boolean; delete?: boolean; ctrl?: boolean; meta?: boolean; return?: boolean; escape?: boolean; tab?: boolean; upArrow?: boolean; downArrow?: boolean; leftArrow?: boolean; rightArrow?: boolean }): string | undefined {
  if (key.backspace || key.delete) return value.slice(0, -1);
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl && input === 'w') return value.replace(/\S*\s*$/, '');
  if (key.ctrl || key.meta || key.return || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return undefined;
  if (!input) return undefined;
  // Keys typed quickly (a slow SSH link, a script) can reach us in one read, e.g. Ctrl-U then a new
  // value: the line-editing keys in it act in order; other control characters (pasted newlines) drop.
  let next = value;
  let changed = false;
  for (const ch of input) {
    if (ch === '\u0015') next = '';
    else if (ch === '\u0017') next = next.replace(/\S*\s*$/, '');
    else if (ch === '\u007f' || ch === '\b') next = next.slice(0, -1);
    // eslint-disable-next-line no-control-regex -- dropping control characters is the point
    else if (/[\u0000-\u001f]/.test(ch)) continue;
    else next += ch;
    changed = true;
  }
  return changed ? next : undefined;
}
