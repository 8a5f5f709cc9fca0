// The `:` command palette: a text line and the fuzzy-matched entries.
import { Box, Text } from 'ink';
import { tone, useTheme } from './theme.ts';

export interface PaletteEntry { id: string; title: string; hint?: string }

export function PaletteView({ query, entries, selected, width, height }: { query: string; entries: readonly PaletteEntry[]; selected: number; width: number; height: number }) {
  const t = useTheme();
  const rows = Math.max(1, height - 4);
  const start = Math.max(0, Math.min(selected - rows + 1, entries.length - rows));
  return (
    <Box flexDirection="column" borderStyle="round" {...(t.color ? { borderColor: t.accent } : {})} paddingX={1} width={width} height={height} overflow="hidden">
      <Text><Text bold {...tone(t, 'key')}>:</Text>{query}<Text inverse> </Text></Text>
      <Text {...tone(t, 'dim')}>Type to filter; Enter runs, Esc closes. {entries.length} match{entries.length === 1 ? '' : 'es'}.</Text>
      {entries.length === 0 ? <Text {...tone(t, 'warn')}>No screen or action matches "{query}".</Text> : null}
      {entries.slice(Math.max(0, start), Math.max(0, start) + rows).map((e, i) => {
        const idx = Math.max(0, start) + i;
        return (
          <Text key={e.id} wrap="truncate" {...(idx === selected ? (t.color ? { backgroundColor: t.selectBg, color: t.selectFg } : { inverse: true }) : {})}>
            {` ${e.title}`}{e.hint ? <Text {...(idx === selected ? {} : tone(t, 'dim'))}>{`  ${e.hint}`}</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}
