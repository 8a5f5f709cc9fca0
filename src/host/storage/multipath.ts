// multipath-tools: `multipath -ll` parsed into maps with their WWID, dm
// device and paths, used for LUN device paths when multipathd runs.
import type { HostFs, Runner } from './fs.ts';

export interface MultipathPath {
  hctl: string;
  device: string;
  devt: string;
  dmState: string;
  pathState: string;
  onlineState: string;
}

export interface MultipathMap {
  /** user_friendly_names alias (mpatha) or the WWID when there is none. */
  name: string;
  wwid: string;
  dm: string;
  vendor: string;
  product: string;
  size?: string;
  paths: MultipathPath[];
}

const HEADER = /^(?:(\S+) \(([^)\s]+)\)|(\S+)) (dm-\d+) ([^,]*),(.*)$/;
const PATH = /^[\s|`'-]*[|`]-\s+(\d+:\d+:\d+:\d+)\s+(\S+)\s+(\d+:\d+)\s+(\S+)\s+(\S+)\s+(\S+)/;

/** Parse `multipath -ll` (multipath-tools 0.8/0.9 layout). */
export function parseMultipathLl(text: string): MultipathMap[] {
  const maps: MultipathMap[] = [];
  let cur: MultipathMap | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (!line) continue;
    const h = HEADER.exec(line);
    if (h && !line.startsWith(' ') && !/^[|`]/.test(line)) {
      const name = h[1] ?? h[3]!;
      cur = { name, wwid: h[2] ?? h[3]!, dm: h[4]!, vendor: h[5]!.trim(), product: h[6]!.trim(), paths: [] };
      maps.push(cur);
      continue;
    }
    if (!cur) continue;
    const s = /^size=(\S+)/.exec(line);
    if (s) { cur.size = s[1]!; continue; }
    const p = PATH.exec(line);
    if (p) cur.paths.push({ hctl: p[1]!, device: p[2]!, devt: p[3]!, dmState: p[4]!, pathState: p[5]!, onlineState: p[6]! });
  }
  return maps;
}

/** The maps when multipathd runs here; [] when it does not or multipath is not installed. */
export async function multipathMaps(runner: Runner, fs: HostFs): Promise<MultipathMap[]> {
  const running = (await fs.exists('/run/multipathd.pid')) || (await fs.exists('/run/multipathd/multipathd.pid'));
  if (!running) return [];
  const r = await runner.run('multipath', ['-ll'], { timeoutMs: 30_000 });
  if (r.exitCode !== 0 || r.spawnError) return [];
  return parseMultipathLl(r.stdout);
}
