// Services a test can ask for inside a test host. Each is started without
// systemd by its script in scripts/testhost/services/ (run inside the host),
// which also waits until the service is ready and logs to
// /run/testhost/logs/<service>.log (kept in test-results on failure).

export interface ServiceOptions {
  /** systemd-udevd, coldplugged (names stay eth0.. because of net.ifnames=0). */
  udev: Record<string, never>;
  /** The system D-Bus. */
  dbus: Record<string, never>;
  /**
   * NetworkManager managing the NICs, no automatic "Wired connection" profiles
   * (no-auto-default=*), keyfile plugin. Ready when startup is complete.
   */
  networkmanager: { /** Let NetworkManager create its automatic DHCP profiles. */ autoDefault?: boolean };
  /** open-iscsi's iscsid with the given initiator name. */
  iscsid: { initiatorName?: string };
  /**
   * A LIO iSCSI target configured with targetcli: one ramdisk LUN of sizeMb,
   * portal 0.0.0.0:3260. With chapUser/chapPassword: CHAP required, an ACL for
   * initiatorName. Without: any initiator, no authentication.
   */
  'iscsi-target': { iqn: string; sizeMb?: number; chapUser?: string; chapPassword?: string; initiatorName?: string };
  /** rpcbind + nfsd + mountd exporting path (a tmpfs, created) to clients (default "*"). */
  'nfs-server': { path?: string; clients?: string; exportOptions?: string };
  /** lldpd. */
  lldpd: Record<string, never>;
  /** OpenSSH server on port 22 with root login by key. */
  sshd: { authorizedKey?: string };
  /**
   * multipath-tools' multipathd (foreground, no systemd) with find_multipaths
   * (default no: every SCSI disk is a path) and maps named by WWID. Needs udev.
   */
  multipathd: { findMultipaths?: 'no' | 'yes' | 'greedy' | 'smart' | 'strict' };
}

export type ServiceName = keyof ServiceOptions;

export const SERVICE_DEPENDENCIES: Record<ServiceName, ServiceName[]> = {
  udev: [],
  dbus: [],
  networkmanager: ['udev', 'dbus'],
  iscsid: [],
  'iscsi-target': ['dbus'],
  'nfs-server': [],
  lldpd: [],
  sshd: [],
  multipathd: ['udev'],
};

/** Script arguments (key=value) for a service's options. */
export function serviceArgs(opts: object | undefined): string[] {
  if (!opts) return [];
  return Object.entries(opts).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${String(v)}`);
}
