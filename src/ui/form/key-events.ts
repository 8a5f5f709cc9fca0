// Key events from one ink input event: a chunk of typed or pasted text (and
// the Enter that often arrives in the same chunk over a pty) becomes one
// event per character, as the shell itself does for its own keys.
import type { Key } from 'ink';

export function keyEvents(input: string, key: Key): [string, Key][] {
  if (input.length <= 1 || key.ctrl || key.meta || input.startsWith('\x1b')) return [[input, key]];
  return [...input].map((ch): [string, Key] => (ch === '\r' || ch === '\n' ? ['', { ...key, return: true }] : [ch, key]));
}
