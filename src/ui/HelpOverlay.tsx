// The `?` overlay: every binding of the current screen plus the global keys,
// generated from the binding data, with the reason for disabled ones.
import { Box, Text } from 'ink';
import { keyLabel } from '../domain/keys.ts';
import type { Binding } from '../app/types.ts';
import { tone, useTheme } from './theme.ts';

export interface HelpSection { title: string; bindings: readonly Pick<Binding, 'keys' | 'description' | 'disabledReason' | 'dangerous' | 'effect' | 'confirm'>[] }

export function HelpOverlay({ screenTitle, sections, height, width, offset }: { screenTitle: string; sections: HelpSection[]; height: number; width: number; offset: number }) {
  const t = useTheme();
  const lines: { text: string; role?: 'accent' | 'dim' | 'warn'; bold?: boolean }[] = [];
  for (const s of sections) {
    if (!s.bindings.length) continue;
    lines.push({ text: s.title, role: 'accent', bold: true });
    for (const b of s.bindings) {
      const keys = b.keys.map(keyLabel).join(', ').padEnd(16);
      // "asks first" only for a key that does ask (its binding has a question).
      const extra = b.disabledReason ? ` (unavailable: ${b.disabledReason})` : b.dangerous ? ` (${b.effect ?? 'changes the host'}${b.confirm ? '; asks first' : ''})` : '';
      lines.push({ text: `  ${keys} ${b.description}${extra}`, role: b.disabledReason ? 'dim' : undefined });
    }
    lines.push({ text: '' });
  }
  const body = Math.max(1, height - 3);
  const start = Math.max(0, Math.min(offset, Math.max(0, lines.length - body)));
  return (
    <Box flexDirection="column" borderStyle="round" {...(t.color ? { borderColor: t.accent } : {})} paddingX={1} width={width} height={height} overflow="hidden">
      <Text bold>Help: {screenTitle} <Text {...tone(t, 'dim')}>(Esc or ? closes, ↑/↓ scroll)</Text></Text>
      {lines.slice(start, start + body).map((l, i) => (
        <Text key={i} wrap="truncate" bold={l.bold} {...(l.role ? tone(t, l.role) : {})}>{l.text || ' '}</Text>
      ))}
    </Box>
  );
}
