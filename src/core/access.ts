// Who may take which action on which object: the permissions given on the
// object and on each object above it (oVirt's inheritance: VM -> its pool and
// cluster -> data center -> system; pool -> cluster; host -> cluster;
// template, storage domain, logical network -> data center -> system), and
// the permits of the roles they give. The door asks this once per action
// (policy.ts says why it refuses); `hostdeck permission check` asks it too.
import { builtinRole, type Permit } from '../domain/roles.ts';
import type { Db } from '../manager/db.ts';
import { managerRepo, type ClusterRow } from '../manager/repos/manager-model.ts';
import { permissionRepo, type PrincipalType } from '../manager/repos/permissions.ts';
import { storageDomainRepo } from '../manager/repos/storage-domains.ts';
import { logicalNetworkRepo } from '../manager/repos/logical-networks.ts';
import { templateRepo } from '../manager/repos/templates.ts';
import { poolRepo } from '../manager/repos/pools.ts';
import type { ActionDef } from './catalog.ts';
import { permissionTarget, permitOf, REPORT_ACTIONS, REPORT_ROLES, type PermissionObjectKind } from './permits.ts';
import { isChecked } from './policy.ts';
import { ROOT_IDENTITY, type Principal } from './principal.ts';

/** One object permissions are given on: its kind, the id they name it by, the name people know. */
export interface PermissionObject { kind: PermissionObjectKind; id: string; name: string }

/** The answer for one action on one object. */
export interface AccessAnswer {
  allowed: boolean;
  /** The permit the action needs (none for a read that needs only to see the object). */
  permit?: Permit;
  /** Why not, in the words a refusal shows. */
  reason?: string;
  /** The permission that allows it: its role, the object it is on and who it was given to. */
  via?: { role: string; object: PermissionObject; principal: string };
}

export interface Access {
  /**
   * May this principal take this action on this object? The object as the
   * door names it (its id in the action's kind), or its chain already resolved.
   */
  check(principal: Principal, action: ActionDef, object: string | readonly PermissionObject[]): Promise<AccessAnswer>;
  /** The object and every object above it, nearest first; undefined when there is no such object. */
  chain(kind: PermissionObjectKind, key: string): Promise<PermissionObject[] | undefined>;
}

/** What a kind is called in messages ("VM web1", "data center Default"). */
export const KIND_LABEL: Record<PermissionObjectKind, string> = {
  system: 'system', 'data-center': 'data center', cluster: 'cluster', host: 'host', 'storage-domain': 'storage domain',
  'logical-network': 'logical network', template: 'template', vm: 'VM', 'vm-pool': 'VM pool',
};

export const objectLabel = (o: Pick<PermissionObject, 'kind' | 'name'>) => (o.kind === 'system' ? 'system' : `${KIND_LABEL[o.kind]} ${o.name}`);

const SYSTEM: PermissionObject = { kind: 'system', id: 'system', name: 'system' };
const keyOf = (o: PermissionObject) => `${o.kind}:${o.id}`;

/** Who a principal is to permissions: their identity and their directory groups. */
export function principalsOf(p: Principal): { type: PrincipalType; name: string }[] {
  return [{ type: 'user', name: p.identity ?? ROOT_IDENTITY }, ...(p.groups ?? []).map((g) => ({ type: 'group' as const, name: g }))];
}


export interface AccessDeps {
  db: () => Db;
  /** The VMs libvirt knows, by name and uuid (asked only when a VM's permissions are). */
  vms: () => Promise<readonly { name: string; uuid: string }[]>;
}

export function createAccess(deps: AccessDeps): Access {
  const dcChain = (id: string | undefined): PermissionObject[] => {
    const dc = id ? managerRepo(deps.db()).dataCenter(id) : undefined;
    return dc ? [{ kind: 'data-center', id: dc.id, name: dc.name }, SYSTEM] : [SYSTEM];
  };
  const clusterChain = (c: ClusterRow | undefined): PermissionObject[] => (c ? [{ kind: 'cluster', id: c.id, name: c.name }, ...dcChain(c.dataCenterId)] : [SYSTEM]);
  const clusterById = (id: string | null | undefined) => {
    const m = managerRepo(deps.db());
    return (id ? m.cluster(id) : undefined) ?? m.defaultCluster();
  };
  const roleGrants = (role: string, permit: Permit): boolean => {
    const builtin = builtinRole(role);
    if (builtin) return builtin.permits.includes(permit);
    return permissionRepo(deps.db()).customRole(role)?.permits.includes(permit) ?? false;
  };

  async function chain(kind: PermissionObjectKind, key: string): Promise<PermissionObject[] | undefined> {
    const db = deps.db();
    switch (kind) {
      case 'system': return key === 'system' || key === '' ? [SYSTEM] : undefined;
      case 'data-center': {
        const dc = managerRepo(db).dataCenter(key);
        return dc && dcChain(dc.id);
      }
      case 'cluster': {
        const c = managerRepo(db).cluster(key);
        return c && clusterChain(c);
      }
      case 'host': {
        // One host: this one, in the cluster it joined (or Default).
        if (key !== 'host') return undefined;
        return [{ kind: 'host', id: 'host', name: 'host' }, ...clusterChain(clusterById(managerRepo(db).hostClusterId()))];
      }
      case 'storage-domain': {
        const d = storageDomainRepo(db).byKey(key);
        return d && [{ kind, id: d.id, name: d.name }, ...dcChain(d.dataCenterId)];
      }
      case 'logical-network': {
        const n = logicalNetworkRepo(db).network(key);
        return n && [{ kind, id: n.id, name: n.name }, ...dcChain(n.dataCenterId)];
      }
      case 'template': {
        const t = templateRepo(db).versionsOf(key)[0];
        if (!t) return undefined;
        const domain = t.storageDomainId ? storageDomainRepo(db).byKey(t.storageDomainId) : undefined;
        return [{ kind, id: t.baseId, name: t.name }, ...dcChain(domain?.dataCenterId ?? clusterById(undefined)?.dataCenterId)];
      }
      case 'vm-pool': {
        const p = poolRepo(db).byKey(key);
        return p && [{ kind, id: p.id, name: p.name }, ...clusterChain(clusterById(p.clusterId))];
      }
      case 'vm': {
        const vm = (await deps.vms()).find((v) => v.name === key || v.uuid === key);
        if (!vm) return undefined;
        const poolVm = poolRepo(db).vmByName(vm.name);
        const pool = poolVm ? poolRepo(db).byKey(poolVm.poolId) : undefined;
        return [
          { kind, id: vm.uuid, name: vm.name },
          ...(pool ? [{ kind: 'vm-pool' as const, id: pool.id, name: pool.name }] : []),
          ...clusterChain(clusterById(managerRepo(db).vmClusters().get(vm.uuid))),
        ];
      }
    }
  }

  return {
    chain,
    async check(principal, action, object) {
      const permit = permitOf(action);
      // A login is who someone is, not something they do: never refused (the identities' own rules apply).
      if (!isChecked(principal) || action.id === 'user.login') return { allowed: true, ...(permit ? { permit } : {}) };
      const who = principalsOf(principal);
      const identity = who[0]!.name;
      // One's own password and one's own account are one's own (oVirt's EDIT_PROFILE, which every login has).
      if (typeof object === 'string' && object === identity && (action.id === 'user.password' || action.id === 'user.show')) return { allowed: true, ...(permit ? { permit } : {}) };
      const repo = permissionRepo(deps.db());
      if (REPORT_ACTIONS.has(action.id)) {
        const reader = repo.rolesOn(who, [keyOf(SYSTEM)]).find((h) => REPORT_ROLES.includes(h.role));
        return reader
          ? { allowed: true, via: { role: reader.role, object: SYSTEM, principal: reader.principal } }
          : { allowed: false, reason: `reports need ${REPORT_ROLES.join(', ')} on the system (${identity} has none of them there)` };
      }
      const target = typeof object === 'string' ? permissionTarget(action.object, object) : { kind: object[0]!.kind, key: object[0]!.name };
      if (target === 'any' && !permit) {
        // A listing: anyone given any role anywhere sees it (what it lists is theirs to filter).
        return repo.holdsAny(who) ? { allowed: true } : { allowed: false, reason: `needs a role on some object to list (${identity} has none)` };
      }
      // A permit held on system needs no walk up from the object (no libvirt lookup for a VM).
      const onSystem = permit ? repo.rolesOn(who, [keyOf(SYSTEM)]).find((h) => roleGrants(h.role, permit)) : undefined;
      if (onSystem) return { allowed: true, permit, via: { role: onSystem.role, object: SYSTEM, principal: onSystem.principal } };
      const objects = typeof object !== 'string' ? object : target === 'any' ? [SYSTEM] : (await chain(target.kind, target.key)) ?? [SYSTEM];
      const byKey = new Map(objects.map((o) => [keyOf(o), o]));
      const held = repo.rolesOn(who, [...byKey.keys()]);
      // Nearest object first: the permission a user would look for.
      const rank = (k: string) => objects.findIndex((o) => keyOf(o) === k);
      const granting = held.filter((h) => !permit || roleGrants(h.role, permit)).sort((a, b) => rank(a.objectKey) - rank(b.objectKey))[0];
      if (granting) return { allowed: true, ...(permit ? { permit } : {}), via: { role: granting.role, object: byKey.get(granting.objectKey)!, principal: granting.principal } };
      const on = objectLabel(target === 'any' ? SYSTEM : objects[0]!.kind === target.kind ? objects[0]! : { kind: target.kind, name: target.key });
      const reason = permit
        ? `needs permit ${permit} on ${on} (${identity} has no role granting it there)`
        : `needs a role on ${on} to see it (${identity} has none there)`;
      return { allowed: false, ...(permit ? { permit } : {}), reason };
    },
  };
}

/** The access of a process's infrastructure: its state DB, and libvirt's VMs when a VM's permissions are asked. */
export const accessOf = (infra: { readonly db: Db; readonly virt: { domainList(): Promise<readonly { name: string; uuid: string }[]> } }): Access =>
  createAccess({ db: () => infra.db, vms: () => infra.virt.domainList() });
