// What the alert evaluator looks at, read once per round: this host's CPU
// (between this round's and the last round's /proc/stat), memory and swap; every
// storage domain's status and free space (statfs of a file domain's
// directory, a block domain's last checked figures: the history's reading);
// the NIC or bond of the management network and of each attached VM network
// (/sys/class/net operstate); every bond's ports; every VM's state and its
// reason (the one bulk statistics call); the clock's sync state (timedatectl,
// else chronyc, through the runner); the API certificate's expiry when one
// is configured. A reading that cannot be made this round is undefined: the
// alerts of its rule keep their state.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { busyPercent, parseMeminfo, parseProcStat, type CpuTicks } from '../domain/host-io.ts';
import { timeCheck } from '../domain/diagnostics.ts';
import { certValidity } from '../host/diagnostics/files.ts';
import { readTimeSource } from '../host/diagnostics/programs.ts';
import { parseProcRoute } from '../host/parse.ts';
import type { AlertObject } from '../domain/alerts.ts';
import type { Db } from '../manager/db.ts';
import { hostNetworkRepo } from '../manager/repos/host-networks.ts';
import { logicalNetworkRepo } from '../manager/repos/logical-networks.ts';
import { storageDomainRepo } from '../manager/repos/storage-domains.ts';
import { parseDomstats } from '../virt/stats.ts';
import type { VmSampler } from '../virt/sampler.ts';
import { storageFigures } from './history-sampling.ts';
import { isManagementNetwork } from './host-network-facts.ts';
import type { MonitorUseCases } from './monitor.ts';

/** One object's figure (numeric rules) or whether it is in the bad state (state rules). */
export interface Reading { objectType: AlertObject; objectId: string; objectName: string; figure?: number; bad?: boolean; text: string }
/** Per rule name: its readings this round, or undefined when the rule could not be read. */
export type Readings = Map<string, Reading[] | undefined>;

// libvirt's reasons: virDomainPausedReason 5 = I/O error, 10 = guest crashed; virDomainShutoffReason 3 = crashed.
const PAUSED_IOERROR = 5;
const PAUSED_CRASHED = 10;
const SHUTOFF_CRASHED = 3;
const GIB = 1024 ** 3;

export interface ReadingSources {
  db: Db;
  monitor: Pick<MonitorUseCases, 'openVmSampler' | 'vmList'>;
  /** The API certificate file (HOSTDECK_API_CERT); undefined: the rule reads nothing. */
  certificate?: string;
  sysNet?: string;
  proc?: string;
  /** Wall clock in ms (the certificate's days left). */
  nowMs?: () => number;
}

const pct = (n: number) => Math.round(n * 10) / 10;
const readOpt = (p: string) => readFile(p, 'utf8').then((s) => s.trim(), () => undefined);

export function createAlertReader(src: ReadingSources): { read(): Promise<Readings>; close(): void } {
  const sysNet = src.sysNet ?? '/sys/class/net';
  const proc = src.proc ?? '/proc';
  const host = { objectType: 'host' as const, objectId: hostname(), objectName: `host ${hostname()}` };
  let lastCpu: CpuTicks | undefined;
  let sampler: VmSampler | undefined;
  let lastText = '';

  async function hostReadings(out: Readings): Promise<void> {
    const [stat, mem] = await Promise.all([readOpt(`${proc}/stat`), readOpt(`${proc}/meminfo`)]);
    const cpu = stat === undefined ? undefined : parseProcStat(stat).all;
    const busy = lastCpu && cpu ? busyPercent(lastCpu, cpu) : undefined;
    lastCpu = cpu;
    out.set('host.cpu', busy === undefined ? undefined : [{ ...host, figure: pct(busy), text: `CPU use ${pct(busy)} %` }]);
    if (mem === undefined) return;
    const m = parseMeminfo(mem);
    const used = m.totalKiB ? (m.usedKiB / m.totalKiB) * 100 : 0;
    const swap = m.swapTotalKiB ? ((m.swapTotalKiB - m.swapFreeKiB) / m.swapTotalKiB) * 100 : 0;
    out.set('host.memory', [{ ...host, figure: pct(used), text: `memory use ${pct(used)} %` }]);
    out.set('host.swap', [{ ...host, figure: pct(swap), text: m.swapTotalKiB ? `swap use ${pct(swap)} %` : 'no swap' }]);
  }

  async function storageReadings(out: Readings): Promise<void> {
    const domains = storageDomainRepo(src.db).all();
    out.set('storage.unreachable', domains.filter((d) => d.status === 'active' || d.status === 'unreachable')
      .map((d) => ({ objectType: 'storage-domain', objectId: d.id, objectName: `storage domain ${d.name}`, bad: d.status === 'unreachable', text: d.status === 'unreachable' ? `unreachable: ${d.lastError ?? 'its health check failed'}` : 'reachable' })));
    const figures = await Promise.all(domains.map(async (d) => ({ d, f: await storageFigures(d) })));
    const percent: Reading[] = [];
    const gib: Reading[] = [];
    for (const { d, f } of figures) {
      if (!f) continue;
      const { used_bytes: used, free_bytes: free } = f.figures;
      if (used === null || free === null || used + free <= 0) continue;
      const about = { objectType: 'storage-domain' as const, objectId: d.id, objectName: `storage domain ${d.name}` };
      const p = pct((free / (used + free)) * 100);
      const g = Math.round((free / GIB) * 100) / 100;
      percent.push({ ...about, figure: p, text: `${p} % free` });
      gib.push({ ...about, figure: g, text: `${g} GiB free` });
    }
    for (const level of ['warning', 'critical']) {
      out.set(`storage.free-percent.${level}`, percent);
      out.set(`storage.free-gib.${level}`, gib);
    }
  }

  async function networkReadings(out: Readings): Promise<void> {
    const lrepo = logicalNetworkRepo(src.db);
    const state = async (iface: string) => (await readOpt(`${sysNet}/${iface}/operstate`)) ?? 'missing';
    // 'unknown' is what interfaces without a link state (dummy, some virtual NICs) report: not down.
    const down = (s: string) => s === 'down' || s === 'missing' || s === 'lowerlayerdown';
    const nics: Reading[] = [];
    const mgmt = lrepo.attachments().find(isManagementNetwork);
    const mgmtNet = mgmt && lrepo.network(mgmt.networkId);
    const mgmtIface = parseProcRoute((await readOpt(`${proc}/net/route`)) ?? '')[0]?.dev;
    if (mgmtIface) {
      const s = await state(mgmtIface);
      nics.push({ objectType: 'network', objectId: mgmtNet?.id ?? 'management', objectName: `network ${mgmtNet?.name ?? 'management'}`, bad: down(s), text: `${mgmtIface} is ${s}` });
    }
    for (const a of hostNetworkRepo(src.db).list()) {
      const n = lrepo.network(a.networkId);
      if (!n || (!n.vmNetwork && n.id !== mgmtNet?.id) || nics.some((x) => x.objectId === n.id)) continue;
      const s = await state(a.iface);
      nics.push({ objectType: 'network', objectId: n.id, objectName: `network ${n.name}`, bad: down(s), text: `${a.iface} is ${s}` });
    }
    out.set('network.nic-down', nics);
    const bonds = ((await readOpt(`${sysNet}/bonding_masters`)) ?? '').split(/\s+/).filter(Boolean);
    out.set('network.bond-degraded', await Promise.all(bonds.map(async (b) => {
      const ports = ((await readOpt(`${sysNet}/${b}/bonding/slaves`)) ?? '').split(/\s+/).filter(Boolean);
      const downPorts = (await Promise.all(ports.map(async (p) => ((await state(p)) === 'up' ? undefined : p)))).filter((p): p is string => p !== undefined);
      return { objectType: 'interface' as const, objectId: b, objectName: `bond ${b}`, bad: downPorts.length > 0 || ports.length === 0,
        text: ports.length === 0 ? 'no ports' : downPorts.length ? `port${downPorts.length > 1 ? 's' : ''} ${downPorts.join(', ')} down` : 'all ports up' };
    })));
  }

  async function vmReadings(out: Readings): Promise<void> {
    try {
      sampler ??= src.monitor.openVmSampler();
      lastText = (await sampler.read(false)) ?? lastText;
      const uuids = new Map((await src.monitor.vmList()).map((d) => [d.name, d.uuid]));
      const paused: Reading[] = [];
      const crashed: Reading[] = [];
      for (const s of parseDomstats(lastText, Date.now())) {
        const about = { objectType: 'vm' as const, objectId: uuids.get(s.name) ?? s.name, objectName: `VM ${s.name}` };
        const io = s.state === 'paused' && s.reason === PAUSED_IOERROR;
        const crash = s.state === 'crashed' || (s.state === 'paused' && s.reason === PAUSED_CRASHED) || (s.state === 'shutoff' && s.reason === SHUTOFF_CRASHED);
        paused.push({ ...about, bad: io, text: io ? 'paused on an I/O error' : s.state });
        crashed.push({ ...about, bad: crash, text: crash ? `crashed (${s.state})` : s.state });
      }
      out.set('vm.paused-io-error', paused);
      out.set('vm.crashed', crashed);
    } catch {
      // libvirtd away: the VM alerts keep their state until it answers again.
      sampler?.close();
      sampler = undefined;
    }
  }

  async function timeReading(out: Readings): Promise<void> {
    const c = timeCheck(await readTimeSource());
    // 'unknown': neither timedatectl nor chronyc answered; the sync state is not known and nothing changes.
    out.set('host.time-unsynced', c.status === 'unknown' ? undefined : [{ ...host, bad: c.status !== 'ok', text: c.detail }]);
  }

  async function certificateReading(out: Readings): Promise<void> {
    if (!src.certificate) return;
    const v = await certValidity(src.certificate);
    const now = src.nowMs?.() ?? Date.now();
    const days = v ? Math.floor((v.to.getTime() - now) / 86_400_000) : undefined;
    out.set('host.certificate-expiry', [{ objectType: 'host', objectId: src.certificate, objectName: `certificate ${src.certificate}`, figure: days ?? 0,
      text: days === undefined ? 'cannot be read as a PEM certificate' : days < 0 ? `expired ${-days} days ago` : `expires in ${days} days (${v!.to.toISOString().slice(0, 10)})` }]);
  }

  return {
    async read() {
      const out: Readings = new Map();
      await Promise.all([hostReadings(out), storageReadings(out), networkReadings(out), vmReadings(out), timeReading(out), certificateReading(out)]);
      return out;
    },
    close: () => { sampler?.close(); sampler = undefined; },
  };
}
