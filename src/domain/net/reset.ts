// The emergency network reset as changes: the management configuration
// rebuilt on one chosen NIC from scratch (the bonds, VLANs and bridges it is
// part of are removed, the NIC gets DHCP or a static address), for the core
// to stage and apply with the confirmation countdown.
import type { FieldError } from '../errors.ts';
import { applyChange, findIface, type IfaceConfig, type NetChange, type NetConfig } from './model.ts';
import { validateChange } from './validate.ts';

export interface ResetInput {
  nic: string;
  method: 'dhcp' | 'static';
  address?: string;
  gateway?: string;
  dns?: string[];
}

/** Everything stacked with the NIC: the bonds and bridges it is in, VLANs on them, bridges over those. */
function stackOf(cfg: NetConfig, nic: string): IfaceConfig[] {
  const names = new Set([nic]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const i of cfg.interfaces) {
      if (names.has(i.name)) continue;
      const linked = (i.vlan && names.has(i.vlan.parent)) || cfg.interfaces.some((p) => p.master === i.name && names.has(p.name));
      if (linked) { names.add(i.name); grew = true; }
    }
  }
  return cfg.interfaces.filter((i) => names.has(i.name) && i.name !== nic);
}

/**
 * The changes of an emergency reset, each validated against the
 * configuration the previous ones leave; errors name the field and nothing
 * is staged when there are any.
 */
export function resetChanges(cfg: NetConfig, input: ResetInput): { changes: NetChange[]; errors: FieldError[] } {
  const nic = findIface(cfg, input.nic);
  if (!nic) return { changes: [], errors: [{ field: 'nic', message: `${input.nic || '(empty)'} is not an interface of this host` }] };
  if (nic.kind !== 'ethernet') return { changes: [], errors: [{ field: 'nic', message: `${nic.name} is a ${nic.kind}; choose a NIC` }] };
  const order: Record<IfaceConfig['kind'], number> = { bridge: 0, vlan: 1, bond: 2, ethernet: 3 };
  const remove = stackOf(cfg, nic.name).sort((a, b) => order[a.kind] - order[b.kind]);
  const changes: NetChange[] = remove.map((i): NetChange => ({ op: i.kind === 'bridge' ? 'bridge.delete' : i.kind === 'vlan' ? 'vlan.delete' : 'bond.delete', name: i.name }));
  changes.push(input.method === 'dhcp'
    ? { op: 'ip.set', iface: nic.name, family: 4, method: 'dhcp', addresses: [] }
    : { op: 'ip.set', iface: nic.name, family: 4, method: 'static', addresses: input.address ? [input.address] : [], ...(input.gateway ? { gateway: input.gateway } : {}) });
  if (input.dns?.length) changes.push({ op: 'dns.set', servers: input.dns, search: cfg.dns.search });
  let cur = cfg;
  const errors: FieldError[] = [];
  for (const c of changes) {
    // Deleting something an earlier delete already removed (a VLAN under a bridge) is no error.
    if ((c.op === 'vlan.delete' || c.op === 'bond.delete' || c.op === 'bridge.delete') && !findIface(cur, c.name)) continue;
    const errs = validateChange(c, cur);
    if (errs.length) { errors.push(...errs.map((e) => ({ field: c.op === 'ip.set' ? (e.field === 'address' ? 'address' : e.field === 'gateway' ? 'gateway' : 'nic') : c.op === 'dns.set' ? 'dns' : 'nic', message: e.message }))); break; }
    cur = applyChange(cur, c);
  }
  return { changes: errors.length ? [] : changes.filter((c, i, all) => all.indexOf(c) === i), errors };
}

