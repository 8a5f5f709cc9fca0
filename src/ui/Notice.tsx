// The notification line for results and errors.
import { Text } from 'ink';
import type { NoticeKind } from '../app/types.ts';
import { printable } from '../domain/text.ts';
import stringWidth from './string-width.ts';
import { tone, useTheme } from './theme.ts';

const ICON: Record<NoticeKind, string> = { info: 'i', success: '✓', warning: '!', error: '✗' };
const ROLE = { info: 'info', success: 'ok', warning: 'warn', error: 'error' } as const;

/** The most lines a notice wraps to: the rest of the terminal stays the screen's. */
const NOTICE_MAX_ROWS = 3;

const noticeText = (notice: { kind: NoticeKind; text: string }) => ` ${ICON[notice.kind]} ${printable(notice.text)}`;

/**
 * How many lines the notice takes at `width` columns (1 without one), word
 * by word as the line wraps it, so the shell gives the screen what is left.
 */
export function noticeRows(notice: { kind: NoticeKind; text: string } | undefined, width: number): number {
  if (!notice) return 1;
  const w = Math.max(1, width);
  let rows = 1;
  let col = -1; // no word on the line yet: the next needs no space before it
  for (const word of noticeText(notice).split(' ')) {
    const ww = stringWidth(word);
    if (col + 1 + ww <= w) { col += 1 + ww; continue; }
    if (ww <= w) { rows++; col = ww; continue; }
    // A word wider than the line is cut: it starts on this line unless starting on the next saves a line (as ink's wrap does).
    const left = w - (col + 1);
    const cutsHere = 1 + Math.floor((ww - left - 1) / w);
    const cutsNext = Math.floor((ww - 1) / w);
    if (cutsNext < cutsHere || left <= 0) { rows += 1 + cutsNext; col = ww - cutsNext * w; } else { rows += cutsHere; col = ww - left - (cutsHere - 1) * w; }
  }
  return Math.min(NOTICE_MAX_ROWS, rows);
}

/** The shell's notice (a Text alone: one layout node), wrapped to noticeRows() lines, blank without a notice; a value quoted in the text shows escaped. */
export function NoticeLine({ notice, width }: { notice?: { kind: NoticeKind; text: string }; width: number }) {
  const t = useTheme();
  void width;
  return notice ? (
    <Text wrap="wrap" {...tone(t, ROLE[notice.kind])} bold={notice.kind === 'error'}>{noticeText(notice)}</Text>
  ) : (
    <Text> </Text>
  );
}
