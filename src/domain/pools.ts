// VM pools, as oVirt has them: a set of thin VMs from one template version
// (or its latest), in one cluster, that users take and give back. Pure rules:
// the fields of a pool, the names of its VMs, and how many VMs the host
// service should start so that `prestarted` run with no user.
import type { FieldError } from './errors.ts';
import { descriptionRule, managerNameRule } from './manager.ts';

export const POOL_TYPES = ['automatic', 'manual'] as const;
export type PoolType = (typeof POOL_TYPES)[number];
/** A bound on size so a typo cannot ask for thousands of VMs at once. */
export const POOL_SIZE_MAX = 200;
/** oVirt's user name rule is loose; ours: what a principal's user can be, one line. */
const USER_RE = /^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}$/;

export interface PoolInput {
  name: string;
  template: string;
  /** A version number, a version name, or latest (the default): a pool on latest follows new versions for VMs it adds. */
  templateVersion?: string;
  cluster?: string;
  size: number;
  prestarted?: number;
  maxPerUser?: number;
  type?: PoolType;
  description?: string;
}

export interface PoolSpec {
  name: string;
  template: string;
  templateVersion: string;
  cluster: string | undefined;
  size: number;
  prestarted: number;
  maxPerUser: number;
  type: PoolType;
  description: string;
}

/** What `pool edit` may change (size goes through grow and shrink). */
export interface PoolChange {
  name?: string;
  prestarted?: number;
  maxPerUser?: number;
  type?: PoolType;
  description?: string;
}

const fe = (field: string, message: string): FieldError => ({ field, message: `${field}: ${message}` });
const intProblem = (field: string, v: unknown, min: number, max: number): FieldError | undefined =>
  typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max ? fe(field, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(v)})`) : undefined;

export function poolNameProblem(name: string): FieldError | undefined {
  const p = managerNameRule('name', name);
  return p ? { field: 'name', message: p } : undefined;
}

export function poolUserProblem(user: string): FieldError | undefined {
  return USER_RE.test(user) ? undefined : fe('user', `must be 1 to 64 letters, digits, '_', '.', '@' or '-', not starting with '.', '@' or '-' (got ${JSON.stringify(user)})`);
}

/** Every rule a new pool breaks, by field; or its spec with the defaults filled in. */
export function validatePool(input: PoolInput, existingNames: readonly string[]): { ok: true; value: PoolSpec } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = poolNameProblem(input.name);
  if (name) errors.push(name);
  else if (existingNames.includes(input.name)) errors.push(fe('name', `a pool named ${input.name} already exists`));
  if (!input.template) errors.push(fe('template', 'is required (see hostdeck template list)'));
  const size = intProblem('size', input.size, 1, POOL_SIZE_MAX);
  if (size) errors.push(size);
  const prestarted = input.prestarted ?? 0;
  const pre = intProblem('prestarted', prestarted, 0, POOL_SIZE_MAX);
  if (pre) errors.push(pre);
  else if (!size && prestarted > input.size) errors.push(fe('prestarted', `must be at most the size (${input.size}) (got ${prestarted})`));
  const max = intProblem('max-per-user', input.maxPerUser ?? 1, 1, POOL_SIZE_MAX);
  if (max) errors.push(max);
  const type = input.type ?? 'automatic';
  if (!POOL_TYPES.includes(type)) errors.push(fe('type', `must be one of ${POOL_TYPES.join(', ')} (got ${JSON.stringify(type)})`));
  const d = descriptionRule(input.description ?? '');
  if (d) errors.push({ field: 'description', message: d });
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: {
    name: input.name, template: input.template, templateVersion: input.templateVersion ?? 'latest', cluster: input.cluster, size: input.size,
    prestarted, maxPerUser: input.maxPerUser ?? 1, type, description: input.description ?? '',
  } };
}

/** Every rule an edit breaks; with the pool's size and the other pools' names, the rules against them too. */
export function validatePoolChange(change: PoolChange, size?: number, otherNames: readonly string[] = []): FieldError[] {
  const errors: FieldError[] = [];
  if (change.name !== undefined) {
    const p = poolNameProblem(change.name);
    if (p) errors.push(p);
    else if (otherNames.includes(change.name)) errors.push(fe('name', `a pool named ${change.name} already exists`));
  }
  if (change.prestarted !== undefined) {
    const p = intProblem('prestarted', change.prestarted, 0, POOL_SIZE_MAX);
    if (p) errors.push(p);
    else if (size !== undefined && change.prestarted > size) errors.push(fe('prestarted', `must be at most the size (${size}) (got ${change.prestarted})`));
  }
  if (change.maxPerUser !== undefined) { const p = intProblem('max-per-user', change.maxPerUser, 1, POOL_SIZE_MAX); if (p) errors.push(p); }
  if (change.type !== undefined && !POOL_TYPES.includes(change.type)) errors.push(fe('type', `must be one of ${POOL_TYPES.join(', ')} (got ${JSON.stringify(change.type)})`));
  if (change.description !== undefined) { const d = descriptionRule(change.description); if (d) errors.push({ field: 'description', message: d }); }
  if (!Object.values(change).some((v) => v !== undefined)) errors.push(fe('edit', 'nothing to change (give a name, prestarted, max-per-user, type or description)'));
  return errors;
}

/** A count to add or remove (grow, shrink). */
export function countProblem(field: string, n: unknown): FieldError | undefined {
  return intProblem(field, n, 1, POOL_SIZE_MAX);
}

/** The pool's VMs are <pool>-1..N; a new one takes the lowest number free. */
export function poolVmName(pool: string, n: number): string {
  return `${pool}-${n}`;
}

export function freeVmNumbers(pool: string, taken: readonly string[], count: number): number[] {
  const used = new Set(taken);
  const out: number[] = [];
  for (let n = 1; out.length < count; n++) if (!used.has(poolVmName(pool, n))) out.push(n);
  return out;
}

export interface PoolVmState { name: string; user: string | null; running: boolean }

/** The unassigned, stopped VMs the host service starts so that `prestarted` run with no user. */
export function vmsToPrestart(vms: readonly PoolVmState[], prestarted: number): string[] {
  const idle = vms.filter((v) => v.user === null);
  const want = prestarted - idle.filter((v) => v.running).length;
  return want > 0 ? idle.filter((v) => !v.running).slice(0, want).map((v) => v.name) : [];
}

/** The VMs a shrink by `count` removes: unassigned and stopped ones, the highest numbers first. */
export function vmsToShrink(vms: readonly PoolVmState[], count: number): string[] | string {
  const free = vms.filter((v) => v.user === null && !v.running).map((v) => v.name)
    .sort((a, b) => Number(b.slice(b.lastIndexOf('-') + 1)) - Number(a.slice(a.lastIndexOf('-') + 1)));
  if (free.length < count) return `only ${free.length} VM${free.length === 1 ? ' is' : 's are'} unassigned and stopped (shrinking removes only those; assigned or running VMs stay)`;
  return free.slice(0, count);
}
