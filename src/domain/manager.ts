// The standalone manager's model, as oVirt has it: data centers, clusters and
// this host as a host object. Pure rules: the names, the fields of a data
// center and a cluster, a data center's status from its storage domains and
// its host, and the memory over-commit a cluster allows when a VM starts.
// The CLI, the manager screen and the core all say the same thing.
import type { FieldError, Validated } from './errors.ts';
import type { DomainStatus, DomainType } from './storage/domain.ts';
import { formatBytes } from './size.ts';
import { CPU_DEFAULT } from './vm-devices.ts';

export type { FieldError, Validated };

export const MANAGER_NAME_MAX = 40;
export const STORAGE_TYPES = ['shared', 'local'] as const;
export type StorageType = (typeof STORAGE_TYPES)[number];
export const COMPATIBILITY_VERSIONS = ['4.7', '4.8'] as const;
export type CompatibilityVersion = (typeof COMPATIBILITY_VERSIONS)[number];
export const DEFAULT_COMPATIBILITY_VERSION: CompatibilityVersion = '4.8';
export const OVERCOMMIT_MIN = 100;
export const OVERCOMMIT_MAX = 400;
export const DESCRIPTION_MAX = 200;
export const DEFAULT_NAME = 'Default';

const NAME_RE = /^[A-Za-z0-9_.-]+$/;

/** oVirt's rule for a data center or cluster name ("<label>: <rule>"), or undefined when it is one. */
export function managerNameRule(label: string, s: string): string | undefined {
  if (!s) return `${label}: is required`;
  if (s.length > MANAGER_NAME_MAX) return `${label}: must be at most ${MANAGER_NAME_MAX} characters (got ${s.length})`;
  if (!NAME_RE.test(s)) return `${label}: may contain only letters, digits, '_', '-' and '.' (got ${JSON.stringify(s)})`;
  if (s.startsWith('-')) return `${label}: must not start with '-'`;
  return undefined;
}

export function descriptionRule(s: string): string | undefined {
  if (s.length > DESCRIPTION_MAX) return `description: must be at most ${DESCRIPTION_MAX} characters (got ${s.length})`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(s)) return 'description: must be one line without control characters';
  return undefined;
}

const oneOf = (field: string, label: string, v: string, allowed: readonly string[]): FieldError | undefined =>
  allowed.includes(v) ? undefined : { field, message: `${label}: must be one of ${allowed.join(', ')} (got ${JSON.stringify(v)})` };

export interface DataCenterInput {
  name?: string;
  description?: string;
  storageType?: string;
  compatibilityVersion?: string;
}

export interface DataCenterSpec {
  name: string;
  description: string;
  storageType: StorageType;
  compatibilityVersion: CompatibilityVersion;
}

/** A new data center (every field), or an edit (only the fields given, over `base`). */
export function validateDataCenter(input: DataCenterInput, base?: DataCenterSpec): Validated<DataCenterSpec> {
  const errors: FieldError[] = [];
  const v: DataCenterSpec = {
    name: (input.name ?? base?.name ?? '').trim(),
    description: input.description ?? base?.description ?? '',
    storageType: (input.storageType ?? base?.storageType ?? 'shared').trim() as StorageType,
    compatibilityVersion: (input.compatibilityVersion ?? base?.compatibilityVersion ?? DEFAULT_COMPATIBILITY_VERSION).trim() as CompatibilityVersion,
  };
  const name = managerNameRule('name', v.name);
  if (name) errors.push({ field: 'name', message: name });
  const desc = descriptionRule(v.description);
  if (desc) errors.push({ field: 'description', message: desc });
  const st = oneOf('storageType', 'storage type', v.storageType, STORAGE_TYPES);
  if (st) errors.push(st);
  const cv = oneOf('compatibilityVersion', 'compatibility version', v.compatibilityVersion, COMPATIBILITY_VERSIONS);
  if (cv) errors.push(cv);
  return errors.length ? { ok: false, errors } : { ok: true, value: v };
}

export interface ClusterInput {
  name?: string;
  description?: string;
  /** The data center's name or id. */
  dataCenter?: string;
  cpuType?: string;
  memoryOvercommit?: string | number;
  threadsAsCores?: boolean | string;
}

export interface ClusterSpec {
  name: string;
  description: string;
  dataCenter: string;
  cpuType: string;
  memoryOvercommit: number;
  threadsAsCores: boolean;
}

export interface ClusterFacts {
  /** Why a CPU type cannot be used on this host (the VM wizard's rule over libvirt's domain capabilities), or undefined. */
  cpuProblem(cpu: string): string | undefined;
  /** Whether a data center of that name or id exists. */
  dataCenterExists(key: string): boolean;
}

/** yes/true/on/1 or no/false/off/0 (any case), a boolean as it is; undefined for anything else. */
export function boolValue(v: boolean | string | undefined): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === undefined) return undefined;
  const s = v.trim().toLowerCase();
  if (['yes', 'true', 'on', '1'].includes(s)) return true;
  if (['no', 'false', 'off', '0'].includes(s)) return false;
  return undefined;
}

/** A new cluster (every field), or an edit (only the fields given, over `base`). */
export function validateCluster(input: ClusterInput, facts: ClusterFacts, base?: ClusterSpec): Validated<ClusterSpec> {
  const errors: FieldError[] = [];
  const name = (input.name ?? base?.name ?? '').trim();
  const nameErr = managerNameRule('name', name);
  if (nameErr) errors.push({ field: 'name', message: nameErr });
  const description = input.description ?? base?.description ?? '';
  const desc = descriptionRule(description);
  if (desc) errors.push({ field: 'description', message: desc });
  const dataCenter = (input.dataCenter ?? base?.dataCenter ?? DEFAULT_NAME).trim();
  if (!dataCenter) errors.push({ field: 'dataCenter', message: 'data center: is required (a data center name)' });
  else if (!facts.dataCenterExists(dataCenter)) errors.push({ field: 'dataCenter', message: `data center: no data center ${JSON.stringify(dataCenter)}` });
  const cpuType = (input.cpuType ?? base?.cpuType ?? CPU_DEFAULT).trim();
  const cpu = facts.cpuProblem(cpuType);
  if (cpu) errors.push({ field: 'cpuType', message: `CPU type: ${cpu}` });
  const oc = String(input.memoryOvercommit ?? base?.memoryOvercommit ?? OVERCOMMIT_MIN).trim();
  const memoryOvercommit = Number(oc);
  if (!/^\d+$/.test(oc) || memoryOvercommit < OVERCOMMIT_MIN || memoryOvercommit > OVERCOMMIT_MAX) {
    errors.push({ field: 'memoryOvercommit', message: `memory over-commit: must be a whole percentage from ${OVERCOMMIT_MIN} to ${OVERCOMMIT_MAX} (got ${JSON.stringify(oc)})` });
  }
  const threads = input.threadsAsCores === undefined ? base?.threadsAsCores ?? false : boolValue(input.threadsAsCores);
  if (threads === undefined) errors.push({ field: 'threadsAsCores', message: `threads as cores: must be yes or no (got ${JSON.stringify(input.threadsAsCores)})` });
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { name, description, dataCenter, cpuType, memoryOvercommit, threadsAsCores: threads! } };
}

export type HostStatus = 'Up' | 'Maintenance' | 'NonOperational';
export type DataCenterStatus = 'Uninitialized' | 'Up' | 'Maintenance' | 'Problematic';

export interface DcDomain {
  name: string;
  type: DomainType;
  status: DomainStatus;
  attachedAt: string;
}

/**
 * The master data domain: the first-attached data domain still in service
 * (active, or failing on its own: unreachable, inactive). One the operator
 * put into maintenance hands the role on to the next, as oVirt reconstructs
 * the master; when the master fails the data center is Problematic.
 */
export function masterDomain<D extends DcDomain>(domains: readonly D[]): D | undefined {
  return domains
    .filter((d) => d.type === 'data' && d.status !== 'maintenance')
    .sort((a, b) => a.attachedAt.localeCompare(b.attachedAt) || a.name.localeCompare(b.name))[0];
}

export interface DataCenterState {
  status: DataCenterStatus;
  /** Why, in words (the status column's detail). */
  reason: string;
  master?: string;
}

/** A data center's status as oVirt computes it, from its attached domains and this host (when the host is in one of its clusters). */
export function dataCenterStatus(domains: readonly DcDomain[], host: { status: HostStatus } | undefined): DataCenterState {
  const master = masterDomain(domains);
  if (!master) {
    if (domains.some((d) => d.type === 'data' && d.status === 'maintenance')) return { status: 'Maintenance', reason: 'its data domains are in maintenance' };
    return { status: 'Uninitialized', reason: 'no active data domain is attached' };
  }
  if (master.status !== 'active') return { status: 'Problematic', reason: `the master domain ${master.name} is ${master.status}`, master: master.name };
  if (!host) return { status: 'Problematic', reason: 'no host is in its clusters', master: master.name };
  if (host.status === 'Maintenance') return { status: 'Maintenance', reason: 'its host is in maintenance', master: master.name };
  if (host.status !== 'Up') return { status: 'Problematic', reason: `its host is ${host.status}`, master: master.name };
  return { status: 'Up', reason: `master domain ${master.name} active, host Up`, master: master.name };
}

export interface OvercommitCheck {
  cluster: string;
  overcommitPct: number;
  hostMemoryKiB: number;
  /** Memory of the cluster's VMs already running. */
  runningKiB: number;
  vm: string;
  vmKiB: number;
}

/** Why starting the VM would pass the cluster's memory over-commit, or undefined when it fits. */
export function overcommitProblem(c: OvercommitCheck): string | undefined {
  const limitKiB = Math.floor((c.hostMemoryKiB * c.overcommitPct) / 100);
  if (c.runningKiB + c.vmKiB <= limitKiB) return undefined;
  const b = (kib: number) => formatBytes(kib * 1024);
  return `cluster ${c.cluster} allows ${c.overcommitPct}% memory over-commit (${b(limitKiB)} of this host's ${b(c.hostMemoryKiB)}): `
    + `its running VMs use ${b(c.runningKiB)} and VM ${c.vm} needs ${b(c.vmKiB)} more (${b(c.runningKiB + c.vmKiB)} in all)`;
}

/** The VMs a cluster's new CPU type reaches, as an edit says it. */
export function cpuFollowers(c: { cpuType: string } & { cpuChangedVms?: string[] }): string {
  const vms = c.cpuChangedVms ?? [];
  return vms.length ? ` ${vms.length === 1 ? 'VM' : 'VMs'} ${vms.join(', ')} run with CPU ${c.cpuType} from ${vms.length === 1 ? 'its' : 'their'} next start.` : '';
}
