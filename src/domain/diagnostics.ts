// The preflight and health checks (the Diagnostics screen, `hostdeck diagnose`)
// as pure rules: each takes what was read from the host and says ok, warning,
// failed, not applicable or cannot tell, with why and the fix an operator
// applies. Reading the host is src/host/diagnostics; running the checks with
// their time limits is src/core/diagnostics.ts.
import { formatBytes } from './size.ts';
import type { MemInfo } from './host-io.ts';

export type CheckStatus = 'ok' | 'warning' | 'failed' | 'not-applicable' | 'unknown';

export interface CheckResult {
  /** Stable id, e.g. 'virtualization', 'disk:/var', 'nic:eth0'. */
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found, or why the check does not apply / cannot tell. */
  detail: string;
  /** What the operator should do (set for warning and failed). */
  fix?: string;
}

export const STATUS_WORDS: Record<CheckStatus, string> = { ok: 'ok', warning: 'warning', failed: 'failed', 'not-applicable': 'not applicable', unknown: 'cannot tell' };

const r = (id: string, title: string, status: CheckStatus, detail: string, fix?: string): CheckResult => ({ id, title, status, detail, ...(fix ? { fix } : {}) });
const kib = (n: number) => formatBytes(n * 1024);

export function virtualizationCheck(v: { usable: boolean; accel: 'kvm' | 'tcg'; reason?: string }): CheckResult {
  const t = 'Virtualization (KVM)';
  if (v.usable) return r('virtualization', t, 'ok', v.reason ? `KVM usable (${v.reason})` : 'KVM usable: VMs run with hardware virtualization');
  // VMs still run here, emulated (TCG), many times slower: a warning, not a refusal.
  return r('virtualization', t, 'warning', `KVM not usable: ${v.reason ?? 'unknown reason'}; VMs run emulated (TCG), many times slower`,
    'Enable VT-x/AMD-V in the firmware (or nested virtualization on the hypervisor under this host), then load the kvm_intel or kvm_amd module');
}

/**
 * Whether this host runs its cluster's CPU type (the CPU model its VMs get): as
 * oVirt, a host whose CPU lacks the cluster type's flags is NonOperational.
 * `problem` is why QEMU here cannot run that type, when it cannot.
 */
export function cpuFlagsCheck(cluster: { name: string; cpuType: string } | undefined, problem: string | undefined): CheckResult {
  const t = 'CPU flags of the cluster CPU type';
  if (!cluster) return r('cpu-flags', t, 'not-applicable', 'this host is in no cluster, so no CPU type is asked of it');
  if (problem) {
    return r('cpu-flags', t, 'failed', `cluster ${cluster.name}'s CPU type ${cluster.cpuType}: ${problem}; the host is NonOperational and its VMs of that type do not start`,
      `Give the cluster a CPU type this host runs (hostdeck cluster cpu-types lists them; hostdeck cluster edit ${cluster.name} --cpu-type TYPE), or move the host to a cluster whose type it runs`);
  }
  return r('cpu-flags', t, 'ok', `this host runs cluster ${cluster.name}'s CPU type ${cluster.cpuType}, the CPU model its VMs get`);
}

export const MEMORY_LOW_PERCENT = 10;
export function memoryCheck(m: MemInfo): CheckResult {
  const t = 'Memory and swap';
  if (!m.totalKiB) return r('memory', t, 'unknown', '/proc/meminfo gave no MemTotal');
  const availPct = (m.availableKiB / m.totalKiB) * 100;
  const swapUsed = m.swapTotalKiB - m.swapFreeKiB;
  const swap = m.swapTotalKiB ? `swap ${kib(swapUsed)} of ${kib(m.swapTotalKiB)} used` : 'no swap';
  const detail = `${kib(m.availableKiB)} of ${kib(m.totalKiB)} available (${availPct.toFixed(0)} %), ${swap}`;
  if (availPct < MEMORY_LOW_PERCENT / 2) return r('memory', t, 'failed', detail, 'Stop or migrate VMs, or lower their memory: the kernel will soon kill processes (OOM)');
  if (availPct < MEMORY_LOW_PERCENT) return r('memory', t, 'warning', detail, 'Little memory is left for new VMs: stop or migrate VMs, or add memory');
  if (m.swapTotalKiB && swapUsed / m.swapTotalKiB > 0.5) return r('memory', t, 'warning', detail, 'More than half the swap is used: VMs will be slow; free memory or add some');
  return r('memory', t, 'ok', detail);
}

/** df's figures of the file system a path is on (KiB). */
export interface PathUsage { path: string; mount: string; sizeKiB: number; usedKiB: number; availKiB: number }

export const DISK_WARN_PERCENT = 85;
export const DISK_FAIL_PERCENT = 95;
export function diskCheck(path: string, u: PathUsage | undefined, why?: string): CheckResult {
  const id = `disk:${path}`;
  const t = `Disk space of ${path}`;
  if (!u) return r(id, t, 'unknown', `${why ?? `${path} cannot be read`}`);
  if (!u.sizeKiB) return r(id, t, 'not-applicable', `${path} is on ${u.mount}, a file system without a size (pseudo file system)`);
  // Used of what an unprivileged writer sees, as df's Use% (the root reserve in neither).
  const pct = Math.ceil((u.usedKiB / (u.usedKiB + u.availKiB || 1)) * 100);
  const on = u.mount === path ? '' : ` (on ${u.mount})`;
  const detail = `${kib(u.availKiB)} free of ${kib(u.sizeKiB)}, ${pct} % used${on}`;
  const fix = `Free space on ${u.mount}: remove old logs, images or snapshots, or grow the file system`;
  if (pct >= DISK_FAIL_PERCENT) return r(id, t, 'failed', detail, fix);
  if (pct >= DISK_WARN_PERCENT) return r(id, t, 'warning', detail, fix);
  return r(id, t, 'ok', detail);
}

/** What /sys/class/net/NAME says of a NIC: carrier/speed/duplex are undefined where the kernel refuses to tell (interface down, virtual). */
export interface NicFacts { name: string; adminUp: boolean; carrier?: string; speed?: string; duplex?: string }

export function nicCheck(n: NicFacts): CheckResult {
  const id = `nic:${n.name}`;
  const t = `NIC ${n.name} link`;
  if (!n.adminUp) return r(id, t, 'not-applicable', `${n.name} is administratively down (not in use)`);
  if (n.carrier !== '1') return r(id, t, 'failed', `${n.name} is up but has no link (no carrier)`, `Check the cable and the switch port of ${n.name} (ethtool ${n.name})`);
  const speed = Number(n.speed);
  const duplex = n.duplex?.trim();
  if (!(speed > 0)) return r(id, t, 'ok', 'link up; speed and duplex not reported (virtual NIC)');
  const detail = `link up, ${speed >= 1000 ? `${speed / 1000} Gb/s` : `${speed} Mb/s`}, ${duplex ?? 'duplex unknown'} duplex`;
  // One end cannot see a duplex mismatch; half duplex on a switched link is its usual sign (one end forced, the other autonegotiating).
  if (duplex === 'half') return r(id, t, 'warning', `${detail}: half duplex (collisions; a duplex mismatch with the switch port?)`, `Set ${n.name} and its switch port both to autonegotiation (ethtool -s ${n.name} autoneg on)`);
  if (speed < 1000) return r(id, t, 'warning', `${detail}: below 1 Gb/s`, `Check the cable (category 5e or better) and the switch port of ${n.name}; both should autonegotiate`);
  return r(id, t, 'ok', detail);
}

export function noNicCheck(): CheckResult {
  return r('nic', 'NIC link', 'not-applicable', 'no physical NIC and no interface with a default route');
}

/** `timedatectl show` (key=value lines) or `chronyc tracking`, or why neither answered. */
export type TimeSource = { source: 'timedatectl'; text: string } | { source: 'chronyc'; text: string } | { source: 'none'; why: string };

export const TIME_OFFSET_WARN_S = 1;
export function timeCheck(s: TimeSource): CheckResult {
  const id = 'time';
  const t = 'Time synchronised';
  const fix = 'Turn NTP on (timedatectl set-ntp true, or install and start chrony) and give it reachable servers';
  if (s.source === 'none') return r(id, t, 'unknown', `${s.why}`, 'Install chrony (chronyc tracking) or run systemd (timedatectl) so the sync state can be read');
  if (s.source === 'timedatectl') {
    const kv = new Map(s.text.split('\n').map((l) => l.split('=')).filter((p) => p.length >= 2).map(([k, ...v]) => [k!.trim(), v.join('=').trim()]));
    const synced = kv.get('NTPSynchronized');
    if (synced === 'yes') return r(id, t, 'ok', 'the system clock is synchronised (timedatectl)');
    if (kv.get('NTP') === 'no') return r(id, t, 'warning', 'NTP is off and the clock is not synchronised (timedatectl)', fix);
    if (synced === 'no') return r(id, t, 'warning', 'NTP is on but the clock is not synchronised yet (timedatectl)', 'Check that the NTP servers are reachable (chronyc sources)');
    return r(id, t, 'unknown', 'timedatectl did not report NTPSynchronized');
  }
  const leap = /^Leap status\s*:\s*(.+)$/m.exec(s.text)?.[1]?.trim();
  const off = /^System time\s*:\s*([\d.]+) seconds (fast|slow)/m.exec(s.text);
  const ref = /^Reference ID\s*:\s*\S+\s*\(([^)]*)\)/m.exec(s.text)?.[1];
  const offset = off ? `, ${Number(off[1]).toFixed(6)} s ${off[2]}` : '';
  if (!leap) return r(id, t, 'unknown', 'chronyc tracking gave no leap status');
  if (/not synchronised/i.test(leap)) return r(id, t, 'warning', `chrony is not synchronised${offset}`, 'Check that the NTP servers are reachable (chronyc sources -v)');
  if (off && Number(off[1]) > TIME_OFFSET_WARN_S) return r(id, t, 'warning', `synchronised to ${ref ?? 'a source'} but ${Number(off[1]).toFixed(3)} s ${off[2]}`, 'Let chrony step the clock (chronyc makestep)');
  return r(id, t, 'ok', `synchronised to ${ref ?? 'a source'} (chrony${offset})`);
}

const isLoopback = (a: string) => /^127\./.test(a) || a === '::1';

/**
 * The host's own name forward (name → addresses) and back (an address → names).
 * reverse: the names the first non-loopback address resolves to, undefined when not asked.
 */
export function dnsCheck(name: string, forward: readonly string[] | { why: string }, reverse?: { address: string; names: readonly string[] } | { address: string; why: string }): CheckResult {
  const id = 'dns';
  const t = `Name ${name} resolves both ways`;
  if (!Array.isArray(forward)) {
    const why = (forward as { why: string }).why;
    return r(id, t, 'failed', `${name} does not resolve: ${why}`, `Add ${name} to DNS (or /etc/hosts) with the management address`);
  }
  const addrs = forward as readonly string[];
  if (!addrs.length) return r(id, t, 'failed', `${name} resolves to no address`, `Add ${name} to DNS (or /etc/hosts) with the management address`);
  const routable = addrs.filter((a) => !isLoopback(a));
  if (!routable.length) return r(id, t, 'warning', `${name} resolves only to loopback (${addrs.join(' ')}): other hosts and the engine cannot reach it by name`, `Give ${name} the management address in DNS (or in /etc/hosts instead of 127.0.1.1/127.0.0.1)`);
  if (!reverse) return r(id, t, 'ok', `${name} → ${routable.join(' ')}`);
  if ('why' in reverse) return r(id, t, 'warning', `${name} → ${routable.join(' ')}, but ${reverse.address} has no reverse name: ${reverse.why}`, `Add a PTR record for ${reverse.address} naming ${name}`);
  const short = (n: string) => n.split('.')[0]!.toLowerCase();
  if (!reverse.names.some((n) => n.toLowerCase() === name.toLowerCase() || short(n) === short(name))) {
    return r(id, t, 'warning', `${name} → ${reverse.address}, but ${reverse.address} → ${reverse.names.join(' ')}`, `Make the PTR record of ${reverse.address} name ${name}`);
  }
  return r(id, t, 'ok', `${name} → ${routable.join(' ')} → ${reverse.names[0]}`);
}

export const CERT_WARN_DAYS = 30;
const DAY_MS = 86_400_000;
/** A certificate's validity now; undefined validity: configured but unreadable. */
export function certCheck(label: string, file: string, validity: { from: Date; to: Date } | undefined, now: Date): CheckResult {
  const id = `cert:${label}`;
  const t = `Certificate: ${label}`;
  if (!validity) return r(id, t, 'failed', `${file} cannot be read as a PEM certificate`, 'Re-register the host with the engine (hostdeck engine register) to fetch it again');
  const fix = 'Renew it: re-enroll the host\'s certificate from the engine (Hosts → Enroll Certificate) or re-register';
  if (now < validity.from) return r(id, t, 'failed', `not valid before ${validity.from.toISOString()} (is the clock right?)`, 'Check the system clock (time check), then renew the certificate');
  const days = Math.floor((validity.to.getTime() - now.getTime()) / DAY_MS);
  if (days < 0) return r(id, t, 'failed', `expired on ${validity.to.toISOString().slice(0, 10)}`, fix);
  if (days < CERT_WARN_DAYS) return r(id, t, 'warning', `expires in ${days} day(s), on ${validity.to.toISOString().slice(0, 10)}`, fix);
  return r(id, t, 'ok', `valid until ${validity.to.toISOString().slice(0, 10)} (${days} days)`);
}

export function noCertCheck(why: string): CheckResult {
  return r('cert', 'Engine/API certificate', 'not-applicable', why);
}

export function libvirtCheck(s: { uri: string; state: string; error?: string }): CheckResult {
  const t = 'libvirtd running';
  if (s.state === 'connected') return r('libvirt', t, 'ok', `connected to ${s.uri}`);
  return r('libvirt', t, 'failed', `${s.uri}: ${s.state}${s.error ? ` (${s.error})` : ''}`, 'Start libvirtd (systemctl start libvirtd) and check its log (journalctl -u libvirtd)');
}

/** `systemctl show -p LoadState,ActiveState` of the host service, or why systemd cannot be asked. */
export function serviceCheck(unit: string, s: { systemd: false; why: string } | { systemd: true; text: string }): CheckResult {
  const t = `Host service ${unit}`;
  if (!s.systemd) return r('service', t, 'not-applicable', s.why);
  const kv = new Map(s.text.split('\n').map((l) => l.split('=')).filter((p) => p.length === 2).map(([k, v]) => [k!.trim(), v!.trim()]));
  const load = kv.get('LoadState');
  const active = kv.get('ActiveState');
  if (load === 'not-found') return r('service', t, 'not-applicable', `${unit} is not installed (hostdeck runs from the command line here)`);
  if (active === 'active') return r('service', t, 'ok', `${unit} is active`);
  return r('service', t, 'failed', `${unit} is ${active ?? 'in an unknown state'}`, `Start it (systemctl start ${unit}) and read why it stopped (journalctl -u ${unit})`);
}

export function storageDomainsCheck(rows: readonly { name: string; status: string; lastError: string | null }[]): CheckResult {
  const t = 'Storage domains reachable';
  if (!rows.length) return r('storage-domains', t, 'not-applicable', 'no storage domain is attached');
  const down = rows.filter((d) => d.status === 'unreachable');
  if (down.length) return r('storage-domains', t, 'failed', down.map((d) => `${d.name} unreachable${d.lastError ? `: ${d.lastError}` : ''}`).join('; '), 'Check the storage connection (network, NFS server or iSCSI target), then activate the domain (hostdeck storage-domain activate)');
  const counts = new Map<string, number>();
  for (const d of rows) counts.set(d.status, (counts.get(d.status) ?? 0) + 1);
  return r('storage-domains', t, 'ok', [...counts].map(([s, n]) => `${n} ${s}`).join(', '));
}

/** A check that did not answer within its time limit. */
export function timedOutCheck(id: string, title: string, ms: number): CheckResult {
  return r(id, title, 'unknown', `no answer within ${ms / 1000} s`, 'Run the check again; if it hangs each time, look at what it reads (a hung mount or DNS server)');
}

export function checkSummary(results: readonly CheckResult[]): { failed: number; warning: number; ok: number; line: string } {
  const n = (s: CheckStatus) => results.filter((x) => x.status === s).length;
  const failed = n('failed');
  const warning = n('warning');
  const ok = n('ok');
  const line = failed ? `${failed} failed, ${warning} warning(s), ${ok} ok` : warning ? `${warning} warning(s), ${ok} ok` : `all ${ok} checks ok`;
  return { failed, warning, ok, line };
}
