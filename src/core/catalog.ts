// Every action the front ends can take, as data. The door (door.ts) looks an
// action up here to decide whether a principal may take it and how its event
// is written; the console's key bar, the CLI and the REST API ask the same
// door, so they cannot disagree.

/** The kinds of object an action acts on (the event's object type). */
export type ObjectKind =
  | 'vm' | 'snapshot' | 'network' | 'interface' | 'storage-connection' | 'storage-domain'
  | 'storage-volume' | 'pool' | 'engine' | 'host' | 'event' | 'data-center' | 'cluster' | 'template'
  | 'logical-network' | 'vnic-profile' | 'vm-pool' | 'notification' | 'user' | 'role' | 'permission';

/**
 * Where a mutating action's effect lands:
 * - 'db': in the state database only; the change and its event commit in one transaction;
 * - 'external': outside it (libvirt, the network, storage); a 'started' event is
 *   written before and the result after, so an interrupted action still shows.
 */
export type Effect = 'db' | 'external';

export interface ActionDef {
  id: string;
  object: ObjectKind;
  /** The event's source: the area of hostdeck it belongs to (the Events screen filters on it). */
  source: 'vm' | 'network' | 'storage' | 'engine' | 'host' | 'event';
  /** False for reads: they are never refused by read-only mode and write no event. */
  mutates: boolean;
  effect?: Effect;
  /** Refused while a registered oVirt engine owns this host's VMs. */
  engineOwned?: boolean;
  summary: string;
}

const SOURCE: Record<ObjectKind, ActionDef['source']> = {
  vm: 'vm', snapshot: 'vm', pool: 'storage', network: 'network', interface: 'network', 'storage-connection': 'storage',
  'storage-domain': 'storage', 'storage-volume': 'storage', engine: 'engine', host: 'host', event: 'event',
  'data-center': 'engine', cluster: 'engine', template: 'vm', 'logical-network': 'network', 'vnic-profile': 'network', 'vm-pool': 'vm',
  notification: 'event', user: 'host', role: 'engine', permission: 'engine',
};
const def = (object: ObjectKind, id: string, summary: string, mutates: boolean, effect?: Effect): ActionDef =>
  ({ id, object, source: SOURCE[object], mutates, summary, ...(effect ? { effect } : {}) });
const vm = (id: string, summary: string, mutates = true): ActionDef => ({ ...def('vm', `vm.${id}`, summary, mutates, 'external'), engineOwned: mutates });
const snapshot = (id: string, summary: string): ActionDef => ({ ...def('snapshot', `snapshot.${id}`, summary, true, 'external'), engineOwned: true });
const db = (object: ObjectKind, id: string, summary: string): ActionDef => def(object, id, summary, true, 'db');
const ext = (object: ObjectKind, id: string, summary: string): ActionDef => def(object, id, summary, true, 'external');
const read = (object: ObjectKind, id: string, summary: string): ActionDef => def(object, id, summary, false);
// Pool actions that make, start or stop VMs: refused while an oVirt engine owns this host's VMs, as VM actions are.
const poolVm = (id: string, summary: string): ActionDef => ({ ...ext('vm-pool', id, summary), engineOwned: true });

export const ACTION_CATALOG = [
  vm('list', 'List the VMs', false),
  vm('show', "Show a VM's configuration and state", false),
  vm('create', 'Create a VM'),
  vm('start', 'Start a VM'),
  vm('shutdown', 'Shut a VM down (ACPI)'),
  vm('reboot', 'Reboot a VM'),
  vm('force-off', 'Power a VM off at once'),
  vm('pause', 'Pause a VM'),
  vm('resume', 'Resume a paused VM'),
  vm('save', "Save a VM's memory and stop it"),
  vm('restore', 'Start a VM from its saved memory'),
  vm('edit', "Change a VM's configuration"),
  vm('autostart', 'Start a VM with the host (or not)'),
  vm('clone', 'Clone a shut-off VM'),
  vm('delete', 'Delete a VM (and its disks when asked)'),
  vm('nic-list', "List a VM's NICs, live and defined", false),
  vm('disk-list', "List a VM's disks, live and defined", false),
  vm('nic-add', 'Add a NIC to a VM (hot-plugged while it runs)'),
  vm('nic-remove', 'Remove a NIC from a VM (hot-unplugged while it runs)'),
  vm('disk-attach', 'Attach a disk to a VM (hot-plugged while it runs)'),
  vm('disk-detach', 'Detach a disk from a VM (hot-unplugged while it runs; the volume stays)'),
  { ...vm('console', "Open a VM's serial console", false), engineOwned: false },
  { ...vm('demo', 'Create the demo VMs (and their storage pool)'), object: 'pool', source: 'storage' },
  read('template', 'template.list', 'List the templates and their versions'),
  ext('template', 'template.create', "Make a template (or a new version) from a shut-off VM: copy its disks, record its hardware"),
  db('template', 'template.edit', "Change a template's name or description"),
  ext('template', 'template.remove', 'Remove a template (or one version) and delete its images'),
  // hostdeck's own work at the first template use: the leftovers of a copy killed half-way.
  ext('template', 'template.cleanup', 'Clean up what a template copy killed half-way left'),
  read('vm-pool', 'pool.list', 'List the VM pools'),
  poolVm('pool.create', "Create a VM pool: thin, stateless VMs from a template"),
  db('vm-pool', 'pool.edit', "Change a VM pool's name, prestarted count, per-user maximum, type or description"),
  poolVm('pool.grow', 'Add VMs to a VM pool'),
  poolVm('pool.shrink', "Remove a VM pool's unassigned, stopped VMs"),
  poolVm('pool.remove', 'Remove a VM pool and its VMs'),
  poolVm('pool.take', 'Give a VM of a pool to a user (started if needed)'),
  poolVm('pool.return', 'Return a pool VM (powered off, its run discarded)'),
  // hostdeck's own work: the host service keeps prestarted VMs running; the first pool use cleans up after a killed create.
  poolVm('pool.maintain', 'Start prestarted pool VMs and give back the ones their users shut down'),
  ext('vm-pool', 'pool.cleanup', 'Clean up what a pool create killed half-way left'),
  read('snapshot', 'snapshot.list', "List a VM's snapshots"),
  snapshot('create', 'Take a snapshot'),
  snapshot('revert', 'Revert a VM to a snapshot'),
  snapshot('delete', 'Delete a snapshot'),
  read('network', 'network.show', 'Show the interfaces, the staged changes and their diff'),
  db('network', 'network.stage', 'Stage a network change'),
  db('network', 'network.discard', 'Discard the staged network changes'),
  ext('network', 'network.apply', 'Apply the staged network changes (with rollback)'),
  ext('network', 'network.confirm', 'Keep an applied network configuration'),
  ext('network', 'network.rollback', 'Roll an applied network configuration back'),
  // Mutating although no configuration changes: it acts on the hardware, and
  // people act on it (a technician pulls the cable under the blinking LED).
  // Read-only mode is for watching the host, so it refuses this too, and the
  // event tells who made which port blink and when.
  ext('interface', 'network.identify', "Blink a port's LED"),
  read('network', 'network.test', 'Test the network (gateways, DNS, hosts)'),
  read('network', 'network.mtu-test', "Test the MTU path to a host (ping with don't-fragment at the MTU)"),
  read('network', 'network.summary', 'Show the network at a glance (backend, degraded bonds, an apply waiting)'),
  read('storage-connection', 'storage-connection.list', 'List the storage connections'),
  db('storage-connection', 'storage-connection.add', 'Add a storage connection'),
  // Reconnect at boot is recorded by iscsiadm in the node record as well (outside the state DB).
  ext('storage-connection', 'storage-connection.edit', 'Change a storage connection'),
  db('storage-connection', 'storage-connection.remove', 'Remove a storage connection'),
  ext('storage-connection', 'storage-connection.connect', 'Connect (mount or log in)'),
  ext('storage-connection', 'storage-connection.disconnect', 'Disconnect (unmount or log out)'),
  ext('storage-connection', 'storage-connection.reconnect', 'Reconnect the storage connections at boot'),
  ext('storage-connection', 'storage-connection.discover', 'Discover iSCSI targets on a portal'),
  read('storage-domain', 'storage-domain.list', 'List the storage domains'),
  ext('storage-domain', 'storage-domain.create', 'Create a storage domain'),
  ext('storage-domain', 'storage-domain.import', 'Import a storage domain'),
  ext('storage-domain', 'storage-domain.activate', 'Activate a storage domain'),
  ext('storage-domain', 'storage-domain.maintenance', 'Put a storage domain into maintenance'),
  ext('storage-domain', 'storage-domain.detach', 'Detach a storage domain (data stays)'),
  ext('storage-domain', 'storage-domain.remove', 'Remove a storage domain and delete its data'),
  ext('storage-volume', 'storage-volume.create', 'Create a volume'),
  ext('storage-volume', 'storage-volume.delete', 'Delete a volume'),
  ext('storage-volume', 'storage-volume.upload', 'Upload an image as a volume'),
  read('engine', 'engine.status', 'Show the engine registration'),
  ext('engine', 'engine.register', 'Register this host with an oVirt engine'),
  ext('engine', 'engine.unregister', 'Forget the engine registration'),
  read('engine', 'manager.status', 'Show the standalone manager: mode, data centers, clusters, this host'),
  db('engine', 'manager.init', 'Make this host a standalone manager (joins a cluster)'),
  db('engine', 'manager.leave', 'Leave standalone mode'),
  read('data-center', 'data-center.list', 'List the data centers'),
  db('data-center', 'data-center.create', 'Create a data center'),
  db('data-center', 'data-center.edit', 'Change a data center'),
  db('data-center', 'data-center.remove', 'Remove an empty data center'),
  db('data-center', 'data-center.attach-domain', 'Attach a storage domain to a data center'),
  read('cluster', 'cluster.list', 'List the clusters'),
  db('cluster', 'cluster.create', 'Create a cluster'),
  db('cluster', 'cluster.edit', 'Change a cluster'),
  db('cluster', 'cluster.remove', 'Remove a cluster without VMs'),
  read('cluster', 'cluster.property-list', 'List the custom VM properties a cluster allows'),
  db('cluster', 'cluster.property-set', 'Allow a custom VM property in a cluster (its value rule)'),
  db('cluster', 'cluster.property-remove', 'Stop allowing a custom VM property no VM of the cluster has'),
  read('vm', 'vm.property-list', "List a VM's custom properties"),
  { ...db('vm', 'vm.property-set', "Set or unset a VM's custom properties"), engineOwned: true },
  // Logical networks of the manager (not the host's network configuration: network.* above).
  read('logical-network', 'logical-network.list', 'List the logical networks'),
  db('logical-network', 'logical-network.create', 'Create a logical network (and its default vNIC profile)'),
  db('logical-network', 'logical-network.edit', 'Change a logical network'),
  db('logical-network', 'logical-network.remove', 'Remove a logical network no VM NIC uses'),
  db('logical-network', 'logical-network.attach', 'Attach a logical network to a cluster (roles, required)'),
  db('logical-network', 'logical-network.detach', 'Detach a logical network from a cluster'),
  // "Setup host networks": a logical network on a host NIC or bond, through the safe network apply.
  read('logical-network', 'host-network.list', "List the logical networks on this host's NICs and bonds"),
  ext('logical-network', 'host-network.attach', 'Attach a logical network to a host NIC or bond (safe network apply)'),
  ext('logical-network', 'host-network.detach', 'Detach a logical network from this host (safe network apply)'),
  db('vnic-profile', 'vnic-profile.create', 'Create a vNIC profile on a logical network'),
  db('vnic-profile', 'vnic-profile.edit', 'Change a vNIC profile'),
  db('vnic-profile', 'vnic-profile.remove', 'Remove a vNIC profile no VM NIC uses'),
  read('host', 'host.status', 'Show this host as a host object (cluster, status, VMs)'),
  // Shutting the running VMs down (--stop-vms) acts on libvirt.
  ext('host', 'host.maintenance', 'Put this host into maintenance'),
  db('host', 'host.activate', 'Bring this host out of maintenance'),
  db('host', 'host.move', 'Move this host to another cluster (in maintenance)'),
  // Each VM taken down on the way is its own event (vm.shutdown, vm.force-off, vm.save), and so is maintenance.
  ext('host', 'host.reboot', 'Reboot this host (its running VMs shut down or saved first)'),
  ext('host', 'host.poweroff', 'Power this host off (its running VMs shut down or saved first)'),
  ext('host', 'host.service-restart', 'Restart libvirtd or the host service (systemd)'),
  // Mutating: a shell can change anything on the host; the event says who opened one.
  ext('host', 'host.shell', 'Open a shell on this host from the console'),
  ext('host', 'host.console-getty-enable', 'Start hostdeck instead of the login prompt on tty1/ttyS0'),
  ext('host', 'host.console-getty-disable', 'Give the login prompt back on tty1/ttyS0'),
  read('event', 'event.list', 'List the events'),
  read('notification', 'notification.list', 'List the notification subscriptions and their delivery counts'),
  db('notification', 'notification.add', 'Subscribe a channel (syslog, mail, webhook) to events by source and severity'),
  db('notification', 'notification.remove', 'Remove a notification subscription'),
  // Mutating: it sends a message off the host (a mail, a webhook call), and the event says who sent it where.
  ext('notification', 'notification.test', 'Send a test notification through a subscription now'),
  read('host', 'host.show', "Show this host's facts"),
  read('host', 'hook.list', 'List the hook points and their scripts'),
  read('host', 'log.read', 'Read the journal, the files under /var/log, hostdeck\'s log and the VMs\' libvirt logs'),
  read('host', 'host.diagnose', 'Run the preflight and health checks'),
  read('host', 'history.read', 'Read the history of this host, its VMs and storage domains'),
  read('host', 'report.sql', 'Run a read-only SQL query on the state database (one statement that reads, row and time limits)'),
  read('host', 'report.views', 'List the report views and their columns'),
  read('host', 'report.list', 'List the built-in reports'),
  read('host', 'report.run', 'Run a built-in report over a time range and scope (reads the history, inventory and events)'),
  read('event', 'alert.list', 'List the open alerts'),
  read('event', 'alert.threshold-list', 'List the alert thresholds with their values, windows and scopes'),
  db('host', 'alert.threshold-set', "Set an alert threshold's value or window (globally, or for one storage domain or network)"),
  db('host', 'alert.threshold-reset', 'Reset an alert threshold to its default'),
  ext('host', 'host-service.stop', 'Stop the host service (hostdeck serve)'),
  // Mutating: a bundle writes up to its size limit on the host's disks (often
  // when one is full) or onto a removable disk, and carries the host's logs
  // away; read-only mode promises hostdeck writes nothing on the host, so it
  // refuses these, and the event says who collected what and where it went.
  ext('host', 'support.bundle', 'Write a support bundle (logs, state and configuration, secrets redacted)'),
  ext('host', 'support.copy', 'Copy a support bundle to a removable disk'),
  // System settings (the System screen, hostdeck system): each changes the host's own configuration.
  ext('host', 'system.timezone-set', "Set the host's time zone"),
  ext('host', 'system.ntp-set', 'Set the NTP servers (chrony)'),
  ext('host', 'system.ntp-toggle', 'Turn NTP (chronyd) on or off'),
  ext('host', 'system.time-set', "Set the host's clock by hand (NTP off)"),
  ext('host', 'system.ssh-set', "Set sshd's port, password login and root login policy"),
  ext('host', 'system.ssh-service', 'Start, stop, enable or disable sshd'),
  ext('host', 'system.ssh-key-add', "Add an SSH key to root's authorized_keys"),
  ext('host', 'system.ssh-key-remove', "Remove an SSH key from root's authorized_keys"),
  ext('host', 'system.root-password', 'Set the root password'),
  ext('host', 'system.syslog-set', 'Forward the system log to a remote syslog server (or stop)'),
  ext('host', 'system.syslog-test', 'Send a test message through the system log'),
  ext('host', 'system.keyboard-set', "Set the console's keyboard layout"),
  ext('host', 'system.locale-set', 'Set the system locale'),
  ext('host', 'system.netconsole-set', 'Send kernel messages to a remote host over UDP (netconsole), or stop'),
  ext('host', 'system.netconsole-test', 'Send a netconsole test message'),
  ext('host', 'system.kdump-set', 'Turn kdump on or off'),
  // Users of the internal domain. A login is a read: read-only mode and permissions never stop someone
  // saying who they are; its use case writes its own audit events (each failure, the lock, the success).
  read('user', 'user.list', 'List the users'),
  read('user', 'user.show', 'Show one user'),
  db('user', 'user.add', 'Add an internal user with a password'),
  db('user', 'user.remove', 'Remove an internal user'),
  db('user', 'user.password', "Change or reset a user's password"),
  db('user', 'user.unlock', 'Unlock a user locked after failed logins'),
  read('user', 'user.login', 'Log in as a user with a password'),
  // Roles and permissions (oVirt's): who may take which action on which object.
  read('role', 'role.list', 'List the roles (built-in and custom) and their permits'),
  db('role', 'role.copy', 'Copy a role into a new custom role'),
  db('role', 'role.edit', "Change a custom role's permits, type or description"),
  db('role', 'role.remove', 'Remove a custom role no permission uses'),
  read('permission', 'permission.list', 'List the permissions (on an object, of a user)'),
  db('permission', 'permission.add', 'Give a user or group a role on an object'),
  db('permission', 'permission.remove', 'Remove a permission'),
  read('permission', 'permission.check', 'Say whether a user may take an action on an object, and through which permission'),
] as const satisfies readonly ActionDef[];

export type ActionId = (typeof ACTION_CATALOG)[number]['id'];

const BY_ID = new Map<string, ActionDef>(ACTION_CATALOG.map((a) => [a.id, a]));

export function actionDef(id: ActionId): ActionDef {
  const a = BY_ID.get(id);
  if (!a) throw new Error(`no action ${id} in the catalog`);
  return a;
}

export function mutatingActions(): ActionDef[] {
  return ACTION_CATALOG.filter((a) => a.mutates);
}
