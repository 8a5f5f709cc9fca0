// The top line: hostname, management IP, mode, clock.
import { Text } from 'ink';
import { useTheme } from './theme.ts';

export interface HeaderProps {
  hostname: string;
  ip?: string;
  mode: string;
  clock: string;
  width: number;
  readOnly?: boolean;
  /** What the operator must know about the connection (e.g. the test driver keeps no change). */
  note?: string;
}

export function Header({ hostname, ip, mode, clock, width, readOnly, note }: HeaderProps) {
  const t = useTheme();
  const left = ` hostdeck │ ${hostname}${ip ? ` (${ip})` : ''} │ ${mode}${readOnly ? ' │ READ-ONLY' : ''}${note ? ` │ ${note}` : ''}`;
  const right = `${clock} `;
  const pad = Math.max(1, width - left.length - right.length);
  const text = `${left}${' '.repeat(pad)}${right}`.slice(0, width);
  // One line of the shell's column: a Text alone (a Box around it would be one more layout node in every frame).
  return <Text bold {...(t.color ? { backgroundColor: t.headerBg, color: t.headerFg } : { inverse: true })} wrap="truncate">{text}</Text>;
}

export function Breadcrumbs({ trail, width }: { trail: string[]; width: number }) {
  const t = useTheme();
  void width;
  return <Text wrap="truncate" {...(t.color ? { color: t.dim } : {})}> {trail.join(' › ')}</Text>;
}
