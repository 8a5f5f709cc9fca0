// What a support bundle is made of: parts, each a file in the bundle filled
// from a program's output, a file of the host, or text hostdeck produces
// itself (its state DB, libvirt's domain XML), and the index entry that says
// how each was got.

export type PartStatus = 'ok' | 'missing' | 'failed' | 'timeout';

export type Part =
  /** A program's standard output (an argument array, a time limit). */
  | { kind: 'command'; path: string; command: string; args: readonly string[]; timeoutMs?: number }
  /** A file of the host, its last `maxBytes` when it is larger. */
  | { kind: 'file'; path: string; file: string }
  /** Every file of a directory whose name matches, each its own part under `under/`. */
  | { kind: 'dir'; under: string; dir: string; match: RegExp }
  /** Text hostdeck produces (state DB rows, domain XML); a throw is recorded as the part's failure. */
  | { kind: 'text'; path: string; source: string; produce: () => Promise<string> | string };

export interface IndexEntry {
  /** The part's file inside the bundle. */
  path: string;
  /** Where it came from: the command line, the host's file, or what hostdeck read. */
  source: string;
  status: PartStatus;
  exitCode?: number;
  /** Why the part is missing or failed (redacted), or a program's standard error. */
  note?: string;
  bytes: number;
  /** How many secrets were replaced in it. */
  redactions: number;
  /** Set when the size limit or the per-part bound cut the part: only its tail is kept. */
  trimmed?: { originalBytes: number };
}

/** Programs run through the runner; each gets this long unless its part says otherwise. */
export const DEFAULT_PART_TIMEOUT_MS = 30_000;

/** No single file or program output is taken larger than this (its tail is kept). */
export const MAX_PART_BYTES = 64 * 1024 * 1024;

/** The journal since boot, bounded in lines so a busy host's journal cannot fill the bundle before trimming. */
export const JOURNAL_LINES = 200_000;

export interface HostPaths {
  libvirtLogDir: string;
  bondingDir: string;
  osRelease: string;
  mounts: string;
}

export const HOST_PATHS: HostPaths = {
  libvirtLogDir: '/var/log/libvirt/qemu',
  bondingDir: '/proc/net/bonding',
  osRelease: '/etc/os-release',
  mounts: '/proc/mounts',
};

const cmd = (path: string, command: string, ...args: string[]): Part => ({ kind: 'command', path, command, args });

/** The host's own parts: system facts, libvirt's logs, network and storage state, the kernel's and the journal's messages. */
export function hostParts(paths: HostPaths = HOST_PATHS): Part[] {
  return [
    cmd('system/uname.txt', 'uname', '-a'),
    { kind: 'file', path: 'system/os-release', file: paths.osRelease },
    cmd('system/lscpu.txt', 'lscpu'),
    cmd('system/free.txt', 'free', '-b'),
    cmd('system/df.txt', 'df', '-PT'),
    { kind: 'dir', under: 'libvirt/qemu-logs', dir: paths.libvirtLogDir, match: /\.log$/ },
    cmd('network/ip-addr.txt', 'ip', '-d', 'address', 'show'),
    cmd('network/ip-route.txt', 'ip', '-d', 'route', 'show', 'table', 'all'),
    cmd('network/ip-link.txt', 'ip', '-d', '-s', 'link', 'show'),
    cmd('network/nmcli-device.txt', 'nmcli', 'device', 'show'),
    cmd('network/nmcli-connection.txt', 'nmcli', 'connection', 'show'),
    { kind: 'dir', under: 'network/bonding', dir: paths.bondingDir, match: /^[^.]/ },
    cmd('storage/iscsiadm-sessions.txt', 'iscsiadm', '-m', 'session', '-P', '3'),
    { kind: 'file', path: 'storage/mounts', file: paths.mounts },
    cmd('storage/multipath.txt', 'multipath', '-ll'),
    cmd('storage/lsblk.txt', 'lsblk', '-a', '-o', 'NAME,KNAME,TYPE,SIZE,RM,RO,FSTYPE,MOUNTPOINT,MODEL,SERIAL,WWN,TRAN'),
    cmd('kernel/dmesg.txt', 'dmesg'),
    cmd('journal/journal-since-boot.txt', 'journalctl', '-b', '--no-pager', '-o', 'short-iso', '-n', String(JOURNAL_LINES)),
  ];
}
