// The footer: the current bindings, generated from the binding data.
import { Fragment } from 'react';
import { Text } from 'ink';
import { keyLabel } from '../domain/keys.ts';
import type { Binding } from '../app/types.ts';
import { tone, useTheme } from './theme.ts';

export function KeyBar({ bindings, width }: { bindings: readonly Pick<Binding, 'keys' | 'description' | 'disabledReason' | 'footer'>[]; width: number }) {
  const t = useTheme();
  const listed = bindings.filter((b) => b.footer !== false);
  // The keys that work now come first: when the line is full, what is cut is
  // a key that would only say why it cannot run (S Start on a running VM).
  const items: { k: string; d: string; off: boolean }[] = [...listed.filter((b) => !b.disabledReason), ...listed.filter((b) => b.disabledReason)]
    .map((b) => ({ k: b.keys.map(keyLabel).join('/'), d: b.description, off: Boolean(b.disabledReason) }));
  // Without colour, dim is not enough to tell an unavailable key: it is bracketed.
  const bracket = !t.color;
  // Keep what fits on one line.
  const shown: typeof items = [];
  let used = 0;
  for (const it of items) {
    const w = it.k.length + it.d.length + 3 + (it.off && bracket ? 2 : 0);
    if (used + w > width) break;
    shown.push(it);
    used += w;
  }
  // One Text for the whole line (what is shown fits the width): one layout node, not one per binding.
  return (
    <Text wrap="truncate">
      {shown.length ? shown.map((it, i) => (
        <Fragment key={i}>
          {it.off && bracket ? <Text dimColor>[</Text> : null}
          <Text bold={!it.off} dimColor={it.off} {...(it.off ? tone(t, 'dim') : tone(t, 'key'))}>{it.k}</Text>
          <Text dimColor={it.off} {...(it.off ? tone(t, 'dim') : {})}> {it.d}{it.off && bracket ? ']' : ''}  </Text>
        </Fragment>
      )) : ' '}
    </Text>
  );
}
