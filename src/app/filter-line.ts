// A list's `/` filter line, typed in place: every key edits the text (ahead of
// the next render, so keys typed faster than a frame each see the previous
// one's text), Enter keeps a valid expression and gives the keys back, Esc
// clears it. The list filters with makeFilter over the text.
import { useRef, useState } from 'react';
import { useInput } from 'ink';
import { makeFilter } from '../domain/filter.ts';
import { editText } from '../ui/TextLine.tsx';
import type { Shell } from './types.ts';

export function useFilterLine(shell: Pick<Shell, 'setCapture'>, active: boolean, filter: string, setFilter: (text: string) => void): { filtering: boolean; start: () => void } {
  const [filtering, setFiltering] = useState(false);
  const typing = useRef(filter);
  useInput((input, key) => {
    if (key.escape) { typing.current = ''; setFilter(''); setFiltering(false); shell.setCapture(false); return; }
    if (key.return) { if (!makeFilter(typing.current).error) { setFiltering(false); shell.setCapture(false); } return; }
    const next = editText(typing.current, input, key);
    if (next !== undefined) { typing.current = next; setFilter(next); }
  }, { isActive: active && filtering });
  return { filtering, start: () => { typing.current = filter; setFiltering(true); shell.setCapture(true); } };
}
