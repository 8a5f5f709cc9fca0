// Pure parsers and rates for the host's figures: memory (/proc/meminfo),
// CPU time (/proc/stat), per-NIC and per-disk counters (/proc/net/dev,
// /proc/diskstats). No I/O.

export interface NicCounters { name: string; rxBytes: number; txBytes: number }
export interface DiskCounters { name: string; readBytes: number; writeBytes: number; reads: number; writes: number }

/** /proc/net/dev: bytes received and sent per interface. */
export function parseNetDev(text: string): NicCounters[] {
  const out: NicCounters[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    if (f.length < 16) continue;
    out.push({ name: m[1]!, rxBytes: f[0]!, txBytes: f[8]! });
  }
  return out;
}

/** Whole disks in /proc/diskstats (not partitions, loop or ram devices). */
export function parseDiskstats(text: string): DiskCounters[] {
  const out: DiskCounters[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 14) continue;
    const name = f[2]!;
    if (/^(loop|ram|zram|sr|fd)\d*/.test(name)) continue;
    if (/^(sd[a-z]+|vd[a-z]+|xvd[a-z]+|hd[a-z]+)\d+$/.test(name) || /^(nvme\d+n\d+|mmcblk\d+)p\d+$/.test(name)) continue; // partitions
    out.push({ name, reads: Number(f[3]), readBytes: Number(f[5]) * 512, writes: Number(f[7]), writeBytes: Number(f[9]) * 512 });
  }
  return out;
}

export interface IoRate { name: string; inBps: number; outBps: number; inOps?: number; outOps?: number }

const rate = (p: number | undefined, c: number, sec: number) => (p === undefined || c < p || sec <= 0 ? 0 : (c - p) / sec);

export function nicRates(prev: readonly NicCounters[], cur: readonly NicCounters[], sec: number): IoRate[] {
  const m = new Map(prev.map((n) => [n.name, n]));
  return cur.map((n) => ({ name: n.name, inBps: rate(m.get(n.name)?.rxBytes, n.rxBytes, sec), outBps: rate(m.get(n.name)?.txBytes, n.txBytes, sec) }));
}

export function diskRates(prev: readonly DiskCounters[], cur: readonly DiskCounters[], sec: number): IoRate[] {
  const m = new Map(prev.map((d) => [d.name, d]));
  return cur.map((d) => {
    const p = m.get(d.name);
    return { name: d.name, inBps: rate(p?.readBytes, d.readBytes, sec), outBps: rate(p?.writeBytes, d.writeBytes, sec), inOps: rate(p?.reads, d.reads, sec), outOps: rate(p?.writes, d.writes, sec) };
  });
}

export interface MemInfo { totalKiB: number; availableKiB: number; usedKiB: number; swapTotalKiB: number; swapFreeKiB: number }

export function parseMeminfo(text: string): MemInfo {
  const kv = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (m) kv.set(m[1]!, Number(m[2]));
  }
  const total = kv.get('MemTotal') ?? 0;
  const available = kv.get('MemAvailable') ?? (kv.get('MemFree') ?? 0) + (kv.get('Buffers') ?? 0) + (kv.get('Cached') ?? 0);
  return { totalKiB: total, availableKiB: available, usedKiB: Math.max(0, total - available), swapTotalKiB: kv.get('SwapTotal') ?? 0, swapFreeKiB: kv.get('SwapFree') ?? 0 };
}

/** CPU time from a cpu line of /proc/stat, in clock ticks: all of it, and the part not idle. */
export interface CpuTicks { total: number; busy: number }

/** /proc/stat: the whole machine's CPU time ("cpu") and each CPU's ("cpuN", in their order). */
export function parseProcStat(text: string): { all?: CpuTicks; cpus: CpuTicks[] } {
  let all: CpuTicks | undefined;
  const cpus: CpuTicks[] = [];
  for (const line of text.split('\n')) {
    const m = /^cpu(\d*)\s+(.*)$/.exec(line);
    if (!m) continue;
    // user nice system idle iowait irq softirq steal (guest time is already in user and nice).
    const f = m[2]!.trim().split(/\s+/).map(Number);
    const total = f.slice(0, 8).reduce((a, x) => a + (Number.isFinite(x) ? x : 0), 0);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const t = { total, busy: Math.max(0, total - idle) };
    if (m[1] === '') all = t;
    else cpus[Number(m[1])] = t;
  }
  return { all, cpus: cpus.filter(Boolean) };
}

/** Percent of CPU time busy between two readings; without an earlier one, since boot (as top's first screen). */
export function busyPercent(prev: CpuTicks | undefined, cur: CpuTicks): number {
  const dt = prev && cur.total > prev.total ? cur.total - prev.total : prev ? 0 : cur.total;
  const db = prev ? cur.busy - prev.busy : cur.busy;
  return dt > 0 ? Math.max(0, Math.min(100, (100 * db) / dt)) : 0;
}

/** One temperature sensor of /sys/class/hwmon: its chip's driver name, its label, and its reading. */
export interface TempSensor { chip: string; label?: string; celsius: number }
export interface CpuTemperatures { main?: number; max?: number; cores: number[] }

// Drivers whose sensors are the CPU's (Intel, AMD, ARM SoCs); ACPI's thermal zone stands in where none is.
const CPU_CHIPS = /^(coretemp|k10temp|zenpower|cpu_thermal|soc_thermal)$/;

/** The CPU's temperatures from the host's sensors: the package (or Tctl/Tdie) figure, the highest, and each core's; undefined without a CPU sensor. */
export function cpuTemperatures(sensors: readonly TempSensor[]): CpuTemperatures | undefined {
  const cpu = sensors.filter((s) => CPU_CHIPS.test(s.chip));
  const use = cpu.length ? cpu : sensors.filter((s) => s.chip === 'acpitz');
  if (!use.length) return undefined;
  const main = use.find((s) => /^(Package id \d+|Tdie|Tctl)$/.test(s.label ?? '')) ?? use[0]!;
  const cores = use.filter((s) => /^Core \d+$/.test(s.label ?? '')).sort((a, b) => Number(a.label!.slice(5)) - Number(b.label!.slice(5))).map((s) => s.celsius);
  return { main: main.celsius, max: Math.max(...use.map((s) => s.celsius)), cores };
}
