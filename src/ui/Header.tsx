// The top line: hostname, management IP, mode, clock.
import { Box, Text } from 'ink';
import { useTheme } from './theme.ts';

export interface HeaderProps {
  hostname: string;
  ip?: string;
  mode: string;
  clock: string;
  width: number;
  readOnly?: boolean;
}

export function Header({ hostname, ip, mode, clock, width, readOnly }: HeaderProps) {
  const t = useTheme();
  const left = ` hostdeck │ ${hostname}${ip ? ` (${ip})` : ''} │ ${mode}${readOnly ? ' │ READ-ONLY' : ''}`;
  const right = `${clock} `;
  const pad = Math.max(1, width - left.length - right.length);
  const text = `${left}${' '.repeat(pad)}${right}`.slice(0, width);
  return (
    <Box width={width} height={1}>
      <Text bold {...(t.color ? { backgroundColor: t.headerBg, color: t.headerFg } : { inverse: true })} wrap="truncate">{text}</Text>
    </Box>
  );
}

export function Breadcrumbs({ trail, width }: { trail: string[]; width: number }) {
  const t = useTheme();
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate" {...(t.color ? { color: t.dim } : {})}> {trail.join(' › ')}</Text>
    </Box>
  );
}
