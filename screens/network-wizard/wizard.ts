// The first-run network wizard as data: its steps, their fields, the answers
// that describe the configuration as it is, the changes that answers which
// differ from it make, and each step's validation (net-core's validateChange,
// against the configuration the earlier steps leave). Pure.
import { applyChange, findIface, type BondMode, type IfaceConfig, type IpMethod, type NetChange, type NetConfig } from '../../src/domain/net/model.ts';
import { BOND_PORT_KINDS, portCandidates, validateChange, type FieldError } from '../../src/domain/net/validate.ts';
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
      { id: 'ports', label: 'Bond ports', type: 'pick', portKinds: BOND_PORT_KINDS, placeholder: 'none ticked (Space ticks a NIC below)', visible: isBond },
      { id: 'mode', label: 'Bond mode', type: 'choice', options: ['active-backup', '802.3ad', 'balance-rr', 'balance-xor', 'broadcast', 'balance-tlb', 'balance-alb'], visible: isBond },
    ];
    case 'vlan': return [{ id: 'vlan', label: 'VLAN id', type: 'text', placeholder: 'optional: 1-4094; empty for untagged' }];
    case 'ip': return [
      { id: 'method', label: 'IPv4', type: 'choice', options: ['dhcp', 'static', 'none'] },
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

/** The IP step's answers for an interface as it is configured. */
export function ipValues(i: IfaceConfig | undefined): Record<string, string> {
  const ip = i?.ipv4;
  return { method: ip?.method === 'static' || ip?.method === 'none' ? ip.method : 'dhcp', address: ip?.method === 'static' ? ip.addresses.join(' ') : '', gateway: ip?.method === 'static' ? ip.gateway ?? '' : '' };
}

/**
 * The answers that describe `cfg` as it is: the management interface `mgmt`
 * (else the first NIC) with its bond and VLAN, its IPv4, DNS and host name;
 * walking through them unchanged changes nothing.
 */
export function initialWizardValues(cfg: NetConfig | undefined, nics: readonly string[], mgmt?: string): Record<string, string> {
  let n = 0;
  while (cfg?.interfaces.some((i) => i.name === `bond${n}`)) n++;
  // A new bond starts with the first two NICs that can be its ports.
  const free = cfg ? portCandidates(cfg, `bond${n}`, BOND_PORT_KINDS) : nics;
  const v: Record<string, string> = { type: 'nic', nic: nics[0] ?? '', bondName: `bond${n}`, ports: free.slice(0, 2).join(' '), mode: 'active-backup', vlan: '', ...ipValues(undefined), servers: cfg?.dns.servers.join(' ') ?? '', search: cfg?.dns.search.join(' ') ?? '', hostname: cfg?.hostname ?? '' };
  const top = cfg && (findIface(cfg, mgmt ?? '') ?? findIface(cfg, v.nic!));
  if (!cfg || !top) return v;
  let lower = top;
  if (top.vlan) { v.vlan = String(top.vlan.id); lower = findIface(cfg, top.vlan.parent) ?? top; }
  if (lower.kind === 'bond') Object.assign(v, { type: 'bond', bondName: lower.name, ports: portsOf(cfg, lower.name).join(' '), mode: lower.bond?.mode ?? 'active-backup' });
  else v.nic = lower.name;
  return { ...v, ...ipValues(top) };
}

const words = (s: string | undefined) => (s ?? '').split(/[\s,]+/).filter(Boolean);
const portsOf = (cfg: NetConfig, master: string) => cfg.interfaces.filter((i) => i.master === master).map((i) => i.name);
const sameSet = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
const vlanId = (s: string) => (/^\d+$/.test(s) ? Number(s) : (s as unknown as number));

/** The interface the IP step configures: the NIC or bond, or the VLAN on it (an existing one under its own name). */
export function topOf(v: Record<string, string>, cfg?: NetConfig): string {
  const lower = v.type === 'bond' ? (v.bondName || 'bond0').trim() : (v.nic ?? '');
  const vlan = v.vlan?.trim();
  if (!vlan) return lower;
  return cfg?.interfaces.find((i) => i.vlan?.parent === lower && i.vlan.id === vlanId(vlan))?.name ?? `${lower}.${vlan}`;
}

/**
 * The changes of the steps up to and including `upTo`, each tagged with its
 * step: only what differs from `cfg` (the configuration the wizard started
 * from), so unchanged answers make no change.
 */
export function wizardChanges(v: Record<string, string>, upTo: StepId = 'summary', cfg?: NetConfig): { step: StepId; change: NetChange }[] {
  const stop = STEPS.findIndex((s) => s.id === upTo);
  const out: { step: StepId; change: NetChange }[] = [];
  const reach = (id: StepId) => STEPS.findIndex((s) => s.id === id) <= stop;
  const lower = topOf({ ...v, vlan: '' });
  if (v.type === 'bond') {
    const have = cfg && findIface(cfg, lower);
    const ports = words(v.ports);
    const mode = v.mode as BondMode;
    if (have?.kind !== 'bond') out.push({ step: 'mgmt', change: { op: 'bond.create', name: lower, ports, options: { mode, miimon: 100 } } });
    else {
      const samePorts = sameSet(ports, portsOf(cfg!, lower));
      const sameMode = have.bond?.mode === mode;
      // A new mode keeps the bond's other options (its link monitoring).
      if (!samePorts || !sameMode) out.push({ step: 'mgmt', change: { op: 'bond.edit', name: lower, ...(samePorts ? {} : { ports }), ...(sameMode ? {} : { options: { ...(have.bond ?? { mode }), mode } }) } });
    }
  }
  const top = topOf(v, cfg);
  if (reach('vlan') && v.vlan?.trim() && !(cfg && findIface(cfg, top))) out.push({ step: 'vlan', change: { op: 'vlan.create', parent: lower, id: vlanId(v.vlan.trim()) } });
  const method: IpMethod = v.method === 'static' || v.method === 'none' ? v.method : 'dhcp';
  const ip = { method, addresses: method === 'static' ? words(v.address) : [], ...(method === 'static' && v.gateway?.trim() ? { gateway: v.gateway.trim() } : {}) };
  const had = cfg && findIface(cfg, top)?.ipv4;
  const sameIp = had && had.method === ip.method && sameSet(had.addresses, ip.addresses) && (had.gateway ?? '') === (ip.gateway ?? '');
  if (reach('ip') && !sameIp) {
    // One default gateway: a static gateway on the management interface takes it from any other interface.
    if (ip.gateway) {
      for (const i of cfg?.interfaces ?? []) {
        if (i.name !== top && i.ipv4.method === 'static' && i.ipv4.gateway) out.push({ step: 'ip', change: { op: 'ip.set', iface: i.name, family: 4, method: 'static', addresses: [...i.ipv4.addresses] } });
      }
    }
    out.push({ step: 'ip', change: { op: 'ip.set', iface: top, family: 4, ...ip } });
  }
  const dns = { servers: words(v.servers), search: words(v.search) };
  if (reach('dns') && (cfg ? JSON.stringify(dns) !== JSON.stringify(cfg.dns) : dns.servers.length || dns.search.length)) out.push({ step: 'dns', change: { op: 'dns.set', ...dns } });
  if (reach('hostname') && v.hostname?.trim() && v.hostname.trim() !== cfg?.hostname) out.push({ step: 'hostname', change: { op: 'hostname.set', hostname: v.hostname.trim() } });
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
