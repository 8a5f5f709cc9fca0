// The emergency network reset as a staging: the management configuration
// rebuilt on one NIC (src/domain/net/reset.ts), staged in place of
// anything staged, with one warning event, in one transaction.
import { applyChange, describeChange, findIface, type NetChange, type NetConfig } from '../domain/net/model.ts';
import type { FieldError } from '../domain/net/validate.ts';
import { resetChanges, type ResetInput } from '../domain/net/reset.ts';
import type { NetworkUseCases } from './network.ts';

export async function stageEmergencyReset(net: Pick<NetworkUseCases, 'current' | 'stageAll'>, input: ResetInput, current?: NetConfig): Promise<{ changes: NetChange[]; errors: FieldError[] }> {
  const cfg = current ?? (await net.current());
  const r = resetChanges(cfg, input);
  if (r.errors.length) return r;
  const changes: NetChange[] = [];
  let cur = cfg;
  for (const c of r.changes) {
    if ((c.op === 'vlan.delete' || c.op === 'bond.delete' || c.op === 'bridge.delete') && !findIface(cur, c.name)) continue;
    changes.push(c);
    cur = applyChange(cur, c);
  }
  const message = `Emergency network reset staged on ${input.nic}: ${changes.map(describeChange).join('; ')}`;
  await net.stageAll(changes, { current: cfg, replace: true, event: { message, objectType: 'interface', objectId: input.nic, severity: 'warning' } });
  return { changes, errors: [] };
}
