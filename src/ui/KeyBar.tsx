// The footer: the current bindings, generated from the binding data.
import { Fragment } from 'react';
import { Text } from 'ink';
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
  // One Text for the whole line (what is shown fits the width): one layout node, not one per binding.
  return (
    <Text wrap="truncate">
      {shown.length ? shown.map((it, i) => (
        <Fragment key={i}>
          <Text bold {...(it.off ? tone(t, 'dim') : tone(t, 'key'))}>{it.k}</Text>
          <Text {...(it.off ? tone(t, 'dim') : {})}> {it.d}  </Text>
        </Fragment>
      )) : ' '}
    </Text>
  );
}
