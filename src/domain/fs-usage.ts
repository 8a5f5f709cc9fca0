// A file system's fill as df shows it: used and available, and Use% as
// used / (used + available). The blocks reserved for root are in neither, so
// used / size would understate how full the file system is for everyone else.
import { formatBytes } from './size.ts';

export interface FsFigures { usedKiB: number; availKiB: number }

/** df's Use%: rounded up, so a file system only root can still write to shows 100 %. */
export function fsUsedPercent(f: FsFigures): number {
  const total = f.usedKiB + f.availKiB;
  return total > 0 ? Math.ceil((f.usedKiB * 100) / total) : 0;
}

/** "27.7 GB used · 78.7 GB available · 27 %" */
export function fsUsedText(f: FsFigures, opts: { percent?: boolean } = {}): string {
  const text = `${formatBytes(f.usedKiB * 1024)} used · ${formatBytes(f.availKiB * 1024)} available`;
  // Beside a meter, which prints the percentage itself, it is left out.
  return opts.percent === false ? text : `${text} · ${fsUsedPercent(f)} %`;
}
