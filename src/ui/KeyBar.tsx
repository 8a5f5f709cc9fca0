// The footer: the current bindings, generated from the binding data.
import { Box, Text } from 'ink';
import { keyLabel } from '../domain/keys.ts';
import type { Binding } from '../app/types.ts';
import { tone, useTheme } from './theme.ts';

export function KeyBar({ bindings, width }: { bindings: readonly Pick<Binding, 'keys' | 'description' | 'disabledReason' | 'footer'>[]; width: number }) {
  const t = useTheme();
  const items: { k: string; d: string; off: boolean }[] = bindings
    .filter((b) => b.footer !== false)
    .map((b) => ({ k: b.keys.map(keyLabel).join('/'), d: b.description, off: Boolean(b.disabledReason) }));
  // Keep what fits on one line.
  const shown: typeof items = [];
  let used = 0;
  for (const it of items) {
    const w = it.k.length + it.d.length + 3;
    if (used + w > width) break;
    shown.push(it);
    used += w;
  }
  return (
    <Box width={width} height={1} overflow="hidden">
      {shown.map((it, i) => (
        <Text key={i} wrap="truncate">
          <Text bold {...(it.off ? tone(t, 'dim') : tone(t, 'key'))}>{it.k}</Text>
          <Text {...(it.off ? tone(t, 'dim') : {})}> {it.d}  </Text>
        </Text>
      ))}
    </Box>
  );
}
