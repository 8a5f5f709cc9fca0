// The health checks from the console: each check's status, what it found and,
// for the selected one, the fix; r runs them again. Checks appear as they end
// (each has its own time limit, so a hung one shows "cannot tell" in the end).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import type { ScreenProps } from '../../src/app/types.ts';
import type { CheckResult } from '../../src/core/diagnostics.ts';
import { STATUS_WORDS, checkSummary, type CheckStatus } from '../../src/domain/diagnostics.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { DIAGNOSTICS_KEYS as K } from './keys.ts';

const ROLE: Record<CheckStatus, 'ok' | 'warn' | 'error' | 'dim'> = { ok: 'ok', warning: 'warn', failed: 'error', 'not-applicable': 'dim', unknown: 'warn' };
const STATUS_WIDTH = 15;

export function Diagnostics({ shell }: ScreenProps) {
  const t = useTheme();
  const [results, setResults] = useState<CheckResult[]>([]);
  const [running, setRunning] = useState(false);
  const live = useRef(true);
  useEffect(() => () => { live.current = false; }, []);

  const runChecks = useCallback(async () => {
    setRunning(true);
    setResults([]);
    try {
      const all = await shell.core.diagnostics.run((r) => { if (live.current) setResults((xs) => [...xs, r]); });
      // In the order the checks are listed, once all have ended.
      if (live.current) setResults(all);
    } catch (e) {
      shell.notify(...errorNotice(e, 'Checks not run'));
    } finally {
      if (live.current) setRunning(false);
    }
  }, [shell]);
  useEffect(() => { void runChecks(); }, [runChecks]);

  const pageSize = Math.max(3, shell.size.rows - 8);
  // Rows arrive as checks end, then take the listed order: select only once they stand still.
  const ids = useMemo(() => (running ? [] : results.map((r) => r.id)), [running, results]);
  const { selected, bindings: nav } = useSelection(ids, pageSize, 'check');
  useBindings([...nav, bind(K.rerun, { disabledReason: running ? 'the checks are running' : undefined, action: runChecks })]);

  const sel = results.find((r) => r.id === selected);
  const s = checkSummary(results);
  const first = Math.max(0, Math.min(results.findIndex((r) => r.id === selected) - Math.floor(pageSize / 2), results.length - pageSize));
  return (
    <Box flexDirection="column" paddingX={1} height={shell.size.rows} overflow="hidden">
      <Text bold {...tone(t, 'accent')}>Diagnostics</Text>
      <Text {...tone(t, running ? 'warn' : s.failed ? 'error' : s.warning ? 'warn' : 'ok')} wrap="truncate-end">{running ? `Running the checks… ${results.length} done` : s.line}</Text>
      <Box marginTop={1} flexDirection="column">
        {results.slice(first, first + pageSize).map((r) => {
          const isSel = r.id === selected;
          return (
            <Text key={r.id} wrap="truncate-end" {...(isSel ? { inverse: true } : {})}>
              {isSel ? '› ' : '  '}<Text {...tone(t, ROLE[r.status])}>{STATUS_WORDS[r.status].padEnd(STATUS_WIDTH)}</Text>{r.title}: {r.detail}
            </Text>
          );
        })}
      </Box>
      {sel ? (
        <Box marginTop={1} flexDirection="column">
          <Text bold wrap="truncate-end">{sel.title}</Text>
          <Text wrap="wrap">{sel.detail}</Text>
          {sel.fix ? <Text {...tone(t, 'info')} wrap="wrap">Fix: {sel.fix}</Text> : null}
        </Box>
      ) : null}
    </Box>
  );
}
