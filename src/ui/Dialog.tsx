// A centred confirm dialog for dangerous actions.
import { Box, Text } from 'ink';
import { tone, useTheme } from './theme.ts';

export function ConfirmDialog({ question, dangerous, yes = 'Yes', focusYes }: { question: string; dangerous?: boolean; yes?: string; focusYes: boolean }) {
  const t = useTheme();
  const sel = (on: boolean) => (on ? { inverse: true, bold: true } : {});
  return (
    <Box flexDirection="column" borderStyle="double" {...(t.color ? { borderColor: dangerous ? t.error : t.accent } : {})} paddingX={2} paddingY={1} alignSelf="center" width={64}>
      <Text bold {...(dangerous ? tone(t, 'error') : tone(t, 'accent'))}>{dangerous ? 'Confirm a change' : 'Confirm'}</Text>
      <Text wrap="wrap">{question}</Text>
      <Box marginTop={1} gap={3}>
        <Text {...sel(focusYes)}>[ {yes} (y) ]</Text>
        <Text {...sel(!focusYes)}>[ Cancel (n/Esc) ]</Text>
      </Box>
    </Box>
  );
}
