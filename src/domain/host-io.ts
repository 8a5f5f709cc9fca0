// Pure parsers and rates for the host's per-NIC and per-disk counters
// (/proc/net/dev, /proc/diskstats). No I/O.

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
