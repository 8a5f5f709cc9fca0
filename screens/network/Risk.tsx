// The management-path warning of the network screens: which interface is
// the management one, what the staged changes do to it, the diff lines
// that concern it, and the note shown above a diff.
import { Text } from 'ink';
import { managementImpact, riskText, type ManagementRisk } from '../../src/domain/net/impact.ts';
import type { NetChange, NetConfig } from '../../src/domain/net/model.ts';
import { managementOf, type NetInventory } from '../../src/core/network.ts';
import type { NetDiffLine } from '../../src/store/net.ts';
import { tone, type Theme } from '../../src/ui/theme.ts';
import { diffSign } from './view.ts';

export { managementOf };

/** What `changes` do to the management interface and the default gateway. */
export function risksOf(s: { config?: NetConfig; inventory?: NetInventory }, changes: readonly NetChange[]): ManagementRisk[] {
  return s.config ? managementImpact(s.config, changes, managementOf(s.inventory)) : [];
}

/** The same warnings, as the words an earlier confirmation accepted. */
export const sameRisks = (risks: readonly ManagementRisk[], accepted: unknown): boolean =>
  Array.isArray(accepted) && JSON.stringify(risks.map((r) => r.reason)) === JSON.stringify(accepted);

/** A diff line, marked (in front: a long line is cut at the end) when it is about an interface a risk names. */
export function diffText(d: NetDiffLine, risks: readonly ManagementRisk[]): string {
  return risks.some((r) => d.text.startsWith(`${r.iface}:`)) ? `${d.sign} ⚠ ${d.text}` : diffSign(d);
}

export const diffRole = (d: NetDiffLine) => (d.sign === '+' ? 'ok' : d.sign === '-' ? 'error' : d.sign === '~' ? 'warn' : 'dim');

export function RiskNote({ risks, t }: { risks: readonly ManagementRisk[]; t: Theme }) {
  if (!risks.length) return null;
  return <Text wrap="wrap" bold {...tone(t, 'error')}>⚠ {riskText(risks)}</Text>;
}
