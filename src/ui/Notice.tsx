// The notification line for results and errors.
import { Text } from 'ink';
import type { NoticeKind } from '../app/types.ts';
import { printable } from '../domain/text.ts';
import { tone, useTheme } from './theme.ts';

const ICON: Record<NoticeKind, string> = { info: 'i', success: '✓', warning: '!', error: '✗' };
const ROLE = { info: 'info', success: 'ok', warning: 'warn', error: 'error' } as const;

/** One line of the shell's column (a Text alone: one layout node), blank without a notice; a value quoted in the text shows escaped. */
export function NoticeLine({ notice, width }: { notice?: { kind: NoticeKind; text: string }; width: number }) {
  const t = useTheme();
  void width;
  return notice ? (
    <Text wrap="truncate" {...tone(t, ROLE[notice.kind])} bold={notice.kind === 'error'}> {ICON[notice.kind]} {printable(notice.text)}</Text>
  ) : (
    <Text> </Text>
  );
}
