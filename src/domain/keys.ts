// Key names ('a', 'enter', 'ctrl+r', ...) as bindings use them, and their labels.
import type { Key } from 'ink';

/** Name of a key press, matching Binding.keys ('a', 'A', 'enter', 'ctrl+r', ...). */
export function keyName(input: string, key: Key): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace) return 'backspace';
  if (key.delete) return 'delete';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return input;
}

/** How a key is shown in the footer and help. */
export function keyLabel(k: string): string {
  const map: Record<string, string> = {
    up: '↑', down: '↓', left: '←', right: '→', enter: 'Enter', escape: 'Esc', tab: 'Tab', 'shift+tab': 'S-Tab',
    pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End', space: 'Space', delete: 'Del', backspace: 'Bksp',
  };
  if (map[k]) return map[k];
  if (k.startsWith('ctrl+')) return `^${k.slice(5).toUpperCase()}`;
  return k;
}

