// The first-run network wizard as data: its steps, their fields, the changes
// the answers make, and each step's validation (net-core's validateChange,
// against the configuration the earlier steps leave). Pure.
import { applyChange, type NetChange, type NetConfig } from '../../src/domain/net/model.ts';
import { validateChange, type FieldError } from '../../src/domain/net/validate.ts';
import type { FieldDef } from '../network/forms.ts';

export type StepId = 'mgmt' | 'vlan' | 'ip' | 'dns' | 'hostname' | 'summary';
export const STEPS: { id: StepId; title: string }[] = [
  { id: 'mgmt', title: 'Management interface' },
  { id: 'vlan', title: 'VLAN' },
  { id: 'ip', title: 'IP address' },
  { id: 'dns', title: 'DNS' },
  { id: 'hostname', title: 'Host name' },
  { id: 'summary', title: 'Summary and apply' },
];

const isBond = (v: Record<string, string>) => v.type === 'bond';

export function stepFields(step: StepId, nics: readonly string[]): FieldDef[] {
  switch (step) {
    case 'mgmt': return [
      { id: 'type', label: 'Use', type: 'choice', options: ['nic', 'bond'] },
      { id: 'nic', label: 'NIC', type: 'choice', options: nics.length ? nics : [''], visible: (v) => !isBond(v) },
      { id: 'bondName', label: 'Bond name', type: 'text', placeholder: 'bond0', visible: isBond },
      { id: 'ports', label: 'Bond ports', type: 'text', placeholder: `NICs, space separated, e.g. ${nics.slice(0, 2).join(' ')}`, visible: isBond },
      { id: 'mode', label: 'Bond mode', type: 'choice', options: ['active-backup', '802.3ad', 'balance-rr', 'balance-xor', 'broadcast', 'balance-tlb', 'balance-alb'], visible: isBond },
    ];
    case 'vlan': return [{ id: 'vlan', label: 'VLAN id', type: 'text', placeholder: 'optional: 1-4094; empty for untagged' }];
    case 'ip': return [
      { id: 'method', label: 'IPv4', type: 'choice', options: ['dhcp', 'static'] },
      { id: 'address', label: 'Address', type: 'text', placeholder: 'CIDR, e.g. 192.0.2.10/24', visible: (v) => v.method === 'static' },
      { id: 'gateway', label: 'Gateway', type: 'text', placeholder: 'e.g. 192.0.2.1', visible: (v) => v.method === 'static' },
    ];
    case 'dns': return [
      { id: 'servers', label: 'DNS servers', type: 'text', placeholder: 'IP addresses, space separated (empty: from DHCP)' },
      { id: 'search', label: 'Search domains', type: 'text', placeholder: 'optional, e.g. example.com' },
    ];
    case 'hostname': return [{ id: 'hostname', label: 'Host name', type: 'text', placeholder: 'RFC 1123, e.g. node1.example.com' }];
    case 'summary': return [];
  }
}

export function initialWizardValues(cfg: NetConfig | undefined, nics: readonly string[]): Record<string, string> {
  let n = 0;
  while (cfg?.interfaces.some((i) => i.name === `bond${n}`)) n++;
  return { type: 'nic', nic: nics[0] ?? '', bondName: `bond${n}`, ports: nics.slice(0, 2).join(' '), mode: 'active-backup', vlan: '', method: 'dhcp', address: '', gateway: '', servers: cfg?.dns.servers.join(' ') ?? '', search: cfg?.dns.search.join(' ') ?? '', hostname: cfg?.hostname ?? '' };
}

const words = (s: string | undefined) => (s ?? '').split(/[\s,]+/).filter(Boolean);

/** The changes of the steps up to and including `upTo`, each tagged with its step. */
export function wizardChanges(v: Record<string, string>, upTo: StepId = 'summary', cfg?: NetConfig): { step: StepId; change: NetChange }[] {
  const stop = STEPS.findIndex((s) => s.id === upTo);
  const out: { step: StepId; change: NetChange }[] = [];
  const reach = (id: StepId) => STEPS.findIndex((s) => s.id === id) <= stop;
  let top = v.type === 'bond' ? (v.bondName || 'bond0').trim() : (v.nic ?? '');
  if (v.type === 'bond') out.push({ step: 'mgmt', change: { op: 'bond.create', name: top, ports: words(v.ports), options: { mode: v.mode as 'active-backup', miimon: 100 } } });
  if (reach('vlan') && v.vlan?.trim()) {
    const id = /^\d+$/.test(v.vlan.trim()) ? Number(v.vlan.trim()) : (v.vlan.trim() as unknown as number);
    out.push({ step: 'vlan', change: { op: 'vlan.create', parent: top, id } });
    top = `${top}.${v.vlan.trim()}`;
  }
  // One default gateway: a static gateway on the management interface takes it from any other interface.
  if (reach('ip') && v.method === 'static' && v.gateway?.trim()) {
    for (const i of cfg?.interfaces ?? []) {
      if (i.name !== top && i.ipv4.method === 'static' && i.ipv4.gateway) out.push({ step: 'ip', change: { op: 'ip.set', iface: i.name, family: 4, method: 'static', addresses: [...i.ipv4.addresses] } });
    }
  }
  if (reach('ip')) out.push({ step: 'ip', change: { op: 'ip.set', iface: top, family: 4, method: v.method === 'static' ? 'static' : 'dhcp', addresses: v.method === 'static' ? words(v.address) : [], ...(v.method === 'static' && v.gateway?.trim() ? { gateway: v.gateway.trim() } : {}) } });
  if (reach('dns') && (words(v.servers).length || words(v.search).length)) out.push({ step: 'dns', change: { op: 'dns.set', servers: words(v.servers), search: words(v.search) } });
  if (reach('hostname') && v.hostname?.trim()) out.push({ step: 'hostname', change: { op: 'hostname.set', hostname: v.hostname.trim() } });
  return out.filter((c) => reach(c.step));
}

/** Field names of validateChange mapped onto the wizard's fields. */
const FIELD_MAP: Partial<Record<StepId, Record<string, string>>> = {
  mgmt: { name: 'bondName', ports: 'ports', mode: 'mode', miimon: 'mode' },
  vlan: { id: 'vlan', parent: 'vlan', name: 'vlan' },
  ip: { method: 'method', address: 'address', gateway: 'gateway', iface: 'method' },
  dns: { servers: 'servers', search: 'search' },
  hostname: { hostname: 'hostname' },
};

/** Errors of one step (with every earlier step's changes applied first); empty when it may move on. */
export function stepErrors(step: StepId, v: Record<string, string>, cfg: NetConfig): Record<string, string> {
  const out: Record<string, string> = {};
  if (step === 'mgmt') {
    if (v.type === 'nic' && !v.nic) out.nic = 'nic: choose the NIC the management network uses';
  }
  if (step === 'ip' && v.method === 'static' && !v.address?.trim()) out.address = 'address: a static address is required (e.g. 192.0.2.10/24)';
  if (Object.keys(out).length) return out;
  let cur = cfg;
  for (const { step: s, change } of wizardChanges(v, step, cfg)) {
    const errs: FieldError[] = validateChange(change, cur);
    if (errs.length) {
      if (s !== step) return { _: `step ${STEPS.find((x) => x.id === s)!.title}: ${errs[0]!.field}: ${errs[0]!.message}` };
      for (const e of errs) {
        const id = FIELD_MAP[step]?.[e.field.replace(/^options\./, '')] ?? Object.values(FIELD_MAP[step] ?? { x: '_' })[0]!;
        out[id] = out[id] ? `${out[id]}; ${e.field}: ${e.message}` : `${e.field}: ${e.message}`;
      }
      return out;
    }
    cur = applyChange(cur, change);
  }
  if (step === 'mgmt' && v.type === 'nic') {
    const nic = cfg.interfaces.find((i) => i.name === v.nic);
    if (nic?.master) out.nic = `nic: ${nic.name} is a port of ${nic.master}; choose another NIC, or a bond`;
  }
  return out;
}
