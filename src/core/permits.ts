// Which oVirt permit each catalog action needs, and on which object the
// permission is looked for. oVirt's own mapping (ActionType.java: AddVm ->
// CREATE_VM, RunVm -> RUN_VM, HostSetupNetworks -> CONFIGURE_HOST_NETWORK,
// AddStorageServerConnection -> CREATE_STORAGE_DOMAIN ...) is followed where
// hostdeck has the same action; the rest take the nearest permit of the same
// area. A read without an entry needs only to see the object: any role given
// on it or above it.
import type { Permit } from '../domain/roles.ts';
import type { ActionDef, ObjectKind } from './catalog.ts';

export const ACTION_PERMITS: Readonly<Record<string, Permit>> = {
  'vm.create': 'CREATE_VM',
  'vm.start': 'RUN_VM',
  'vm.shutdown': 'SHUT_DOWN_VM',
  'vm.reboot': 'REBOOT_VM',
  'vm.force-off': 'STOP_VM',
  // oVirt has no pause of its own (its "suspend" is the memory save below): a pause holds the VM's run.
  'vm.pause': 'RUN_VM',
  'vm.resume': 'RUN_VM',
  'vm.save': 'HIBERNATE_VM',
  'vm.restore': 'RUN_VM',
  'vm.edit': 'EDIT_VM_PROPERTIES',
  // Starting with the host is the host's business, as oVirt's high-availability flag is an admin property.
  'vm.autostart': 'EDIT_ADMIN_VM_PROPERTIES',
  'vm.clone': 'CREATE_VM',
  'vm.delete': 'DELETE_VM',
  'vm.nic-add': 'CONFIGURE_VM_NETWORK',
  'vm.nic-remove': 'CONFIGURE_VM_NETWORK',
  'vm.disk-attach': 'CONFIGURE_VM_STORAGE',
  'vm.disk-detach': 'CONFIGURE_VM_STORAGE',
  'vm.console': 'CONNECT_TO_VM',
  'vm.demo': 'CREATE_VM',
  'vm.property-set': 'CHANGE_VM_CUSTOM_PROPERTIES',
  'template.create': 'CREATE_TEMPLATE',
  'template.edit': 'EDIT_TEMPLATE_PROPERTIES',
  'template.remove': 'DELETE_TEMPLATE',
  'template.cleanup': 'DELETE_TEMPLATE',
  'pool.create': 'CREATE_VM_POOL',
  'pool.edit': 'EDIT_VM_POOL_CONFIGURATION',
  'pool.grow': 'EDIT_VM_POOL_CONFIGURATION',
  'pool.shrink': 'EDIT_VM_POOL_CONFIGURATION',
  'pool.remove': 'DELETE_VM_POOL',
  'pool.take': 'VM_POOL_BASIC_OPERATIONS',
  'pool.return': 'VM_POOL_BASIC_OPERATIONS',
  'pool.maintain': 'EDIT_VM_POOL_CONFIGURATION',
  'pool.cleanup': 'DELETE_VM_POOL',
  'snapshot.create': 'MANIPULATE_VM_SNAPSHOTS',
  'snapshot.revert': 'MANIPULATE_VM_SNAPSHOTS',
  'snapshot.delete': 'MANIPULATE_VM_SNAPSHOTS',
  'network.stage': 'CONFIGURE_HOST_NETWORK',
  'network.discard': 'CONFIGURE_HOST_NETWORK',
  'network.apply': 'CONFIGURE_HOST_NETWORK',
  'network.confirm': 'CONFIGURE_HOST_NETWORK',
  'network.rollback': 'CONFIGURE_HOST_NETWORK',
  'network.identify': 'MANIPULATE_HOST',
  'storage-connection.add': 'CREATE_STORAGE_DOMAIN',
  'storage-connection.edit': 'CREATE_STORAGE_DOMAIN',
  'storage-connection.remove': 'CREATE_STORAGE_DOMAIN',
  'storage-connection.connect': 'CREATE_STORAGE_DOMAIN',
  'storage-connection.disconnect': 'CREATE_STORAGE_DOMAIN',
  'storage-connection.reconnect': 'CREATE_STORAGE_DOMAIN',
  'storage-connection.discover': 'CREATE_STORAGE_DOMAIN',
  'storage-domain.create': 'CREATE_STORAGE_DOMAIN',
  'storage-domain.import': 'CREATE_STORAGE_DOMAIN',
  'storage-domain.activate': 'MANIPULATE_STORAGE_DOMAIN',
  'storage-domain.maintenance': 'MANIPULATE_STORAGE_DOMAIN',
  'storage-domain.detach': 'MANIPULATE_STORAGE_DOMAIN',
  'storage-domain.remove': 'DELETE_STORAGE_DOMAIN',
  'storage-volume.create': 'CREATE_DISK',
  'storage-volume.delete': 'DELETE_DISK',
  'storage-volume.upload': 'CREATE_DISK',
  'engine.register': 'CONFIGURE_ENGINE',
  'engine.unregister': 'CONFIGURE_ENGINE',
  'manager.init': 'CONFIGURE_ENGINE',
  'manager.leave': 'CONFIGURE_ENGINE',
  'data-center.create': 'CREATE_STORAGE_POOL',
  'data-center.edit': 'EDIT_STORAGE_POOL_CONFIGURATION',
  'data-center.remove': 'DELETE_STORAGE_POOL',
  'data-center.attach-domain': 'MANIPULATE_STORAGE_DOMAIN',
  'cluster.create': 'CREATE_CLUSTER',
  'cluster.edit': 'EDIT_CLUSTER_CONFIGURATION',
  'cluster.remove': 'DELETE_CLUSTER',
  'cluster.property-set': 'EDIT_CLUSTER_CONFIGURATION',
  'cluster.property-remove': 'EDIT_CLUSTER_CONFIGURATION',
  'logical-network.create': 'CREATE_STORAGE_POOL_NETWORK',
  'logical-network.edit': 'CONFIGURE_STORAGE_POOL_NETWORK',
  // oVirt's RemoveNetwork asks for CONFIGURE_STORAGE_POOL_NETWORK, not DELETE_STORAGE_POOL_NETWORK.
  'logical-network.remove': 'CONFIGURE_STORAGE_POOL_NETWORK',
  'logical-network.attach': 'ASSIGN_CLUSTER_NETWORK',
  'logical-network.detach': 'ASSIGN_CLUSTER_NETWORK',
  'host-network.attach': 'CONFIGURE_HOST_NETWORK',
  'host-network.detach': 'CONFIGURE_HOST_NETWORK',
  'vnic-profile.create': 'CREATE_NETWORK_VNIC_PROFILE',
  'vnic-profile.edit': 'CONFIGURE_NETWORK_VNIC_PROFILE',
  'vnic-profile.remove': 'DELETE_NETWORK_VNIC_PROFILE',
  'host.maintenance': 'MANIPULATE_HOST',
  'host.activate': 'MANIPULATE_HOST',
  'host.move': 'EDIT_HOST_CONFIGURATION',
  'host.reboot': 'MANIPULATE_HOST',
  'host.poweroff': 'MANIPULATE_HOST',
  'host.service-restart': 'MANIPULATE_HOST',
  'host-service.stop': 'MANIPULATE_HOST',
  // A root shell on the host can do everything: SuperUser's alone.
  'host.shell': 'CONFIGURE_ENGINE',
  'notification.add': 'EVENT_NOTIFICATION_MANAGEMENT',
  'notification.remove': 'EVENT_NOTIFICATION_MANAGEMENT',
  'notification.test': 'EVENT_NOTIFICATION_MANAGEMENT',
  'alert.threshold-set': 'CONFIGURE_ENGINE',
  'alert.threshold-reset': 'CONFIGURE_ENGINE',
  // A bundle carries every log and the state database away: the whole system's business.
  'support.bundle': 'CONFIGURE_ENGINE',
  'support.copy': 'CONFIGURE_ENGINE',
  'system.timezone-set': 'EDIT_HOST_CONFIGURATION',
  'system.ntp-set': 'EDIT_HOST_CONFIGURATION',
  'system.ntp-toggle': 'EDIT_HOST_CONFIGURATION',
  'system.time-set': 'EDIT_HOST_CONFIGURATION',
  'system.ssh-set': 'EDIT_HOST_CONFIGURATION',
  'system.ssh-service': 'EDIT_HOST_CONFIGURATION',
  'system.ssh-key-add': 'EDIT_HOST_CONFIGURATION',
  'system.ssh-key-remove': 'EDIT_HOST_CONFIGURATION',
  'system.root-password': 'EDIT_HOST_CONFIGURATION',
  'system.syslog-set': 'EDIT_HOST_CONFIGURATION',
  'system.syslog-test': 'EDIT_HOST_CONFIGURATION',
  'system.keyboard-set': 'EDIT_HOST_CONFIGURATION',
  'system.locale-set': 'EDIT_HOST_CONFIGURATION',
  'system.netconsole-set': 'EDIT_HOST_CONFIGURATION',
  'system.netconsole-test': 'EDIT_HOST_CONFIGURATION',
  'system.kdump-set': 'EDIT_HOST_CONFIGURATION',
  'host.console-getty-enable': 'EDIT_HOST_CONFIGURATION',
  'host.console-getty-disable': 'EDIT_HOST_CONFIGURATION',
  'user.add': 'MANIPULATE_USERS',
  'user.remove': 'MANIPULATE_USERS',
  'user.password': 'MANIPULATE_USERS',
  'user.unlock': 'MANIPULATE_USERS',
  'role.copy': 'MANIPULATE_ROLES',
  'role.edit': 'MANIPULATE_ROLES',
  'role.remove': 'MANIPULATE_ROLES',
  'permission.add': 'MANIPULATE_PERMISSIONS',
  'permission.remove': 'MANIPULATE_PERMISSIONS',
};

/**
 * A change not mapped yet needs the system's own permit (SuperUser's alone
 * among the built-in roles): a new action is never open to more people than
 * meant before someone maps it (the catalog test names each unmapped one).
 */
export const UNMAPPED_PERMIT: Permit = 'CONFIGURE_ENGINE';

/**
 * Reports read the whole state database (the SQL views, the built-in reports
 * over every VM's history): the warehouse's readers, not anyone who can see
 * one object. They need one of these roles on the system (issue #18's
 * "reports permit"); oVirt keeps no permit for them in its action groups.
 */
export const REPORT_ACTIONS: ReadonlySet<string> = new Set(['report.sql', 'report.views', 'report.list', 'report.run']);
export const REPORT_ROLES: readonly string[] = ['SuperUser', 'ReadOnlyAdmin', 'AuditLogManager'];

/** The permit an action needs; undefined for a read that needs only to see its object. */
export function permitOf(action: Pick<ActionDef, 'id' | 'mutates'>): Permit | undefined {
  return ACTION_PERMITS[action.id] ?? (action.mutates ? UNMAPPED_PERMIT : undefined);
}

/** The objects a permission is given on (oVirt's object types hostdeck has). */
export const PERMISSION_OBJECT_KINDS = ['system', 'data-center', 'cluster', 'host', 'storage-domain', 'logical-network', 'template', 'vm', 'vm-pool'] as const;
export type PermissionObjectKind = (typeof PERMISSION_OBJECT_KINDS)[number];

/**
 * Where a catalog object's permission is looked for: the kind of the object
 * permissions are given on, and how its key is read from the door's object id.
 * What lives on this host (its network, interfaces, storage connections and
 * libvirt pools and volumes) is the host's; the engine, the event log and its
 * notifications are the system's.
 */
export function permissionTarget(kind: ObjectKind, id: string): { kind: PermissionObjectKind; key: string } | 'any' {
  if (id === '*' || id === '') return 'any';
  const head = id.split('/')[0]!;
  switch (kind) {
    case 'vm': case 'snapshot': return { kind: 'vm', key: head };
    case 'vm-pool': return { kind: 'vm-pool', key: id };
    case 'template': return { kind: 'template', key: id };
    case 'storage-domain': return { kind: 'storage-domain', key: id };
    case 'data-center': return { kind: 'data-center', key: id };
    case 'cluster': return { kind: 'cluster', key: id };
    case 'logical-network': return { kind: 'logical-network', key: id };
    case 'vnic-profile': return { kind: 'logical-network', key: head };
    case 'host': case 'network': case 'interface': case 'storage-connection': case 'pool': case 'storage-volume':
      return { kind: 'host', key: 'host' };
    case 'permission': {
      const m = /^([a-z-]+):(.*)$/.exec(id);
      return m && (PERMISSION_OBJECT_KINDS as readonly string[]).includes(m[1]!) ? { kind: m[1] as PermissionObjectKind, key: m[2]! } : { kind: 'system', key: 'system' };
    }
    default: return { kind: 'system', key: 'system' };
  }
}
