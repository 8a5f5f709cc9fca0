// The Network screen's forms as data: which fields each form has (bond
// options follow the mode), how typed text becomes a NetChange, and the form
// state as a reducer. Validation is net-core's validateChange: the error
// names the field and the rule, and nothing is staged.
import { AD_SELECTS, BOND_MODES, DEFAULT_BOND_OPTIONS, LACP_RATES, XMIT_HASH_POLICIES, findIface, type BondOptions, type IfaceKind, type NetChange, type NetConfig } from '../../src/domain/net/model.ts';
import { BOND_PORT_KINDS, BRIDGE_PORT_KINDS, bondWarnings, portCandidates, portRule, validateChange, type FieldError } from '../../src/domain/net/validate.ts';
// Typed lists (addresses, servers) split as a pick list's value does.
import { picked as list } from '../../src/ui/form/form-state.ts';
import type { PickOption } from '../../src/ui/form/FieldRow.tsx';

export type FormKind = 'bond' | 'bond-edit' | 'vlan' | 'bridge' | 'ip' | 'dns' | 'hostname' | 'mtu';

export interface FieldDef {
  id: string;
  label: string;
  /** text: typed; choice: cycles through options (Enter, ←/→); pick: a list of checkboxes (Space ticks). */
  type: 'text' | 'choice' | 'pick';
  options?: readonly string[];
  /** pick: the interfaces a list of ports offers are those of these kinds the port rule accepts. */
  portKinds?: readonly IfaceKind[];
  /** pick: the rows, filled in for the configuration the form changes (see withPorts). */
  picks?: readonly PickOption[];
  placeholder?: string;
  /** Shown only when this holds for the current values (bond options per mode). */
  visible?: (v: Record<string, string>) => boolean;
  /** validateChange field names reported on this field. */
  errorFields?: string[];
}

const LACP = (v: Record<string, string>) => v.mode === '802.3ad';
const HASH = (v: Record<string, string>) => ['balance-xor', '802.3ad', 'balance-tlb', 'balance-alb'].includes(v.mode ?? '');
const PRIMARY = (v: Record<string, string>) => ['active-backup', 'balance-tlb', 'balance-alb'].includes(v.mode ?? '');
const ARP = (v: Record<string, string>) => !['802.3ad', 'balance-tlb', 'balance-alb'].includes(v.mode ?? '');
const STATIC = (v: Record<string, string>) => v.method === 'static';

const bondFields = (edit: boolean): FieldDef[] => [
  { id: 'name', label: 'Bond name', type: 'text', placeholder: 'e.g. bond0 (at most 15 characters)', visible: () => !edit },
  { id: 'ports', label: 'Ports', type: 'pick', portKinds: BOND_PORT_KINDS, placeholder: 'none ticked (Space ticks a NIC below)' },
  { id: 'mode', label: 'Mode', type: 'choice', options: BOND_MODES },
  { id: 'miimon', label: 'miimon (ms)', type: 'text', placeholder: '100 (MII link monitoring)' },
  { id: 'updelay', label: 'updelay (ms)', type: 'text', placeholder: '0 (a multiple of miimon)' },
  { id: 'downdelay', label: 'downdelay (ms)', type: 'text', placeholder: '0 (a multiple of miimon)' },
  { id: 'arp_interval', label: 'arp_interval', type: 'text', placeholder: 'ms; instead of miimon', visible: ARP },
  { id: 'arp_ip_target', label: 'ARP targets', type: 'text', placeholder: 'IPv4 addresses, with arp_interval', visible: ARP },
  { id: 'primary', label: 'Primary port', type: 'text', placeholder: 'optional: one of the ports', visible: PRIMARY },
  { id: 'lacp_rate', label: 'lacp_rate', type: 'choice', options: ['', ...LACP_RATES], visible: LACP },
  { id: 'xmit_hash_policy', label: 'xmit_hash_policy', type: 'choice', options: ['', ...XMIT_HASH_POLICIES], visible: HASH },
  { id: 'ad_select', label: 'ad_select', type: 'choice', options: ['', ...AD_SELECTS], visible: LACP },
];

export const FORMS: Record<FormKind, { title: string; fields: FieldDef[] }> = {
  bond: { title: 'New bond', fields: bondFields(false) },
  'bond-edit': { title: 'Edit bond', fields: bondFields(true) },
  vlan: {
    title: 'New VLAN',
    fields: [
      { id: 'parent', label: 'On interface', type: 'text', placeholder: 'a NIC or bond, e.g. bond0' },
      { id: 'id', label: 'VLAN id', type: 'text', placeholder: '1-4094' },
      { id: 'name', label: 'Name', type: 'text', placeholder: 'optional: PARENT.ID' },
    ],
  },
  bridge: {
    title: 'New bridge',
    fields: [
      { id: 'name', label: 'Bridge name', type: 'text', placeholder: 'e.g. ovirtmgmt' },
      { id: 'ports', label: 'Ports', type: 'pick', portKinds: BRIDGE_PORT_KINDS, placeholder: 'none ticked: a bridge without ports (Space ticks one below)' },
      { id: 'stp', label: 'STP', type: 'choice', options: ['off', 'on'] },
    ],
  },
  ip: {
    title: 'IP settings',
    fields: [
      { id: 'family', label: 'Family', type: 'choice', options: ['IPv4', 'IPv6'] },
      { id: 'method', label: 'Method', type: 'choice', options: ['dhcp', 'static', 'none', 'auto'] },
      { id: 'address', label: 'Addresses', type: 'text', placeholder: 'CIDR, e.g. 192.0.2.10/24 (space separated)', visible: STATIC },
      { id: 'gateway', label: 'Gateway', type: 'text', placeholder: 'optional, inside the subnet', visible: STATIC },
    ],
  },
  dns: {
    title: 'DNS',
    fields: [
      { id: 'servers', label: 'Servers', type: 'text', placeholder: 'IP addresses, space separated (at most 3)' },
      { id: 'search', label: 'Search domains', type: 'text', placeholder: 'e.g. example.com (space separated)' },
    ],
  },
  hostname: { title: 'Host name', fields: [{ id: 'hostname', label: 'Host name', type: 'text', placeholder: 'RFC 1123, e.g. node1.example.com' }] },
  mtu: { title: 'MTU', fields: [{ id: 'mtu', label: 'MTU', type: 'text', placeholder: '68-65535, e.g. 9000' }] },
};

/** Text to a number when it is one; otherwise the text (the validator names the rule). */
const num = (s: string | undefined): number | string | undefined => {
  const t = (s ?? '').trim();
  if (!t) return undefined;
  return /^-?\d+$/.test(t) ? Number(t) : t;
};

/**
 * The rows of a list of ports of `master`: the interfaces the domain's port
 * rule accepts (the rule staging applies), then any ticked that it does not
 * (with the reason, to be cleared). The management interface is offered,
 * marked: making it a port takes its address, unless the address moves to
 * `master` (`mgmtMoves`, as the first-run wizard does).
 */
export function portPicks(cfg: NetConfig, master: string, kinds: readonly IfaceKind[], ticked: readonly string[], mgmt?: string, mgmtMoves = false): PickOption[] {
  const ok = portCandidates(cfg, master, kinds);
  const note = (n: string): string | undefined => {
    if (!ok.includes(n)) return portRule(cfg, master, n, kinds);
    const i = findIface(cfg, n);
    const what = i && i.kind !== 'ethernet' ? i.kind : undefined;
    if (n !== mgmt) return what;
    const ip = i?.ipv4;
    const addrs = ip?.method === 'static' ? ip.addresses.join(' ') : ip && ip.method !== 'none' ? `its ${ip.method.toUpperCase()} address` : '';
    return [what, `⚠ management${addrs ? `: ${addrs} ${mgmtMoves ? `moves to ${master}` : 'is lost'}` : ''}`].filter(Boolean).join(' · ');
  };
  return [...ok, ...ticked.filter((n) => !ok.includes(n))].map((value) => ({ value, note: note(value) }));
}

/** The visible fields; with the configuration the form changes, each list of ports gets its rows. */
export function visibleFields(kind: FormKind, values: Record<string, string>, ctx?: { cfg: NetConfig | undefined; target?: string; mgmt?: string }): FieldDef[] {
  const fields = FORMS[kind].fields.filter((f) => !f.visible || f.visible(values));
  if (!ctx?.cfg) return fields;
  const master = kind === 'bond-edit' ? ctx.target ?? '' : (values.name ?? '').trim();
  return fields.map((f) => (f.portKinds ? { ...f, picks: portPicks(ctx.cfg!, master, f.portKinds, list(values[f.id]), ctx.mgmt) } : f));
}

/** Initial values for a form (edit forms start from the current configuration). */
export function initialValues(kind: FormKind, target: string | undefined, cfg: NetConfig | undefined): Record<string, string> {
  const v: Record<string, string> = {};
  for (const f of FORMS[kind].fields) v[f.id] = f.type === 'choice' ? f.options![0]! : '';
  const iface = target && cfg ? findIface(cfg, target) : undefined;
  switch (kind) {
    case 'bond': v.mode = DEFAULT_BOND_OPTIONS.mode; v.miimon = String(DEFAULT_BOND_OPTIONS.miimon); break;
    case 'bond-edit': {
      const b = iface?.bond;
      v.ports = cfg?.interfaces.filter((i) => i.master === target).map((i) => i.name).join(' ') ?? '';
      if (b) {
        for (const [k, val] of Object.entries(b)) v[k] = Array.isArray(val) ? val.join(' ') : String(val);
      }
      break;
    }
    case 'vlan': v.parent = target ?? ''; break;
    case 'ip': {
      v.method = iface?.ipv4.method ?? 'dhcp';
      v.address = iface?.ipv4.addresses.join(' ') ?? '';
      v.gateway = iface?.ipv4.gateway ?? '';
      break;
    }
    case 'dns': v.servers = cfg?.dns.servers.join(' ') ?? ''; v.search = cfg?.dns.search.join(' ') ?? ''; break;
    case 'hostname': v.hostname = cfg?.hostname ?? ''; break;
    case 'mtu': v.mtu = iface?.mtu !== undefined ? String(iface.mtu) : ''; break;
  }
  return v;
}

function bondOptions(v: Record<string, string>): BondOptions {
  const o: Record<string, unknown> = { mode: v.mode };
  for (const k of ['miimon', 'updelay', 'downdelay']) { const n = num(v[k]); if (n !== undefined) o[k] = n; }
  const mode = v.mode ?? '';
  if (ARP(v)) {
    const n = num(v.arp_interval);
    if (n !== undefined) o.arp_interval = n;
    const t = list(v.arp_ip_target);
    if (t.length) o.arp_ip_target = t;
  }
  if (PRIMARY(v) && v.primary?.trim()) o.primary = v.primary.trim();
  if (mode === '802.3ad') {
    if (v.lacp_rate) o.lacp_rate = v.lacp_rate;
    if (v.ad_select) o.ad_select = v.ad_select;
  }
  if (HASH(v) && v.xmit_hash_policy) o.xmit_hash_policy = v.xmit_hash_policy;
  return o as unknown as BondOptions;
}

/** The change a form describes (not validated yet). */
export function formChange(kind: FormKind, target: string | undefined, v: Record<string, string>): NetChange {
  switch (kind) {
    case 'bond': return { op: 'bond.create', name: (v.name ?? '').trim(), ports: list(v.ports), options: bondOptions(v) };
    case 'bond-edit': return { op: 'bond.edit', name: target ?? '', ports: list(v.ports), options: bondOptions(v) };
    case 'vlan': return { op: 'vlan.create', parent: (v.parent ?? '').trim(), id: num(v.id) as number, ...(v.name?.trim() ? { name: v.name.trim() } : {}) };
    case 'bridge': return { op: 'bridge.create', name: (v.name ?? '').trim(), ports: list(v.ports), stp: v.stp === 'on' };
    case 'ip': {
      const family = v.family === 'IPv6' ? 6 : 4;
      const method = (v.method ?? 'none') as 'dhcp' | 'static' | 'none' | 'auto';
      return { op: 'ip.set', iface: target ?? '', family, method, addresses: method === 'static' ? list(v.address) : [], ...(method === 'static' && v.gateway?.trim() ? { gateway: v.gateway.trim() } : {}) };
    }
    case 'dns': return { op: 'dns.set', servers: list(v.servers), search: list(v.search) };
    case 'hostname': return { op: 'hostname.set', hostname: (v.hostname ?? '').trim() };
    case 'mtu': return { op: 'mtu.set', iface: target ?? '', mtu: num(v.mtu) as number };
  }
}

/** What a change allows but probably does not mean (a bond without link monitoring): the CLI's warnings, from the same rule. */
export function formWarnings(change: NetChange): string[] {
  return change.op === 'bond.create' || change.op === 'bond.edit' ? bondWarnings(change.name || '…', change.options) : [];
}

/** Field errors mapped onto the form's fields (an error on a field the form does not show goes to the first field). */
export function errorsByField(kind: FormKind, values: Record<string, string>, errors: readonly FieldError[]): Record<string, string> {
  const fields = visibleFields(kind, values);
  const ids = new Set(fields.map((f) => f.id));
  const alias: Record<string, string> = { iface: fields[0]?.id ?? '', family: 'family', to: fields[0]?.id ?? '' };
  const out: Record<string, string> = {};
  for (const e of errors) {
    const bare = e.field.replace(/^(options|bond)\./, '').replace(/^ipv[46]\./, '');
    const id = ids.has(bare) ? bare : alias[bare] && ids.has(alias[bare]!) ? alias[bare]! : fields[0]?.id ?? bare;
    const msg = `${e.field}: ${e.message}`;
    out[id] = out[id] ? `${out[id]}; ${msg}` : msg;
  }
  return out;
}

/** Validate a form against the configuration with the staged changes applied. */
export function checkForm(kind: FormKind, target: string | undefined, v: Record<string, string>, desired: NetConfig): { change: NetChange; errors: FieldError[] } {
  const change = formChange(kind, target, v);
  return { change, errors: validateChange(change, desired) };
}
