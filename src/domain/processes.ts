// Pure rules for the host monitor's process list (top/btop class): /proc/PID/stat
// parsed, CPU % from the difference of two samples, the QEMU process of a VM
// named after its VM, and the top of the list by CPU and by memory. No I/O.

/** The figures of one /proc/PID/stat the list needs. */
export interface ProcStat {
  /** The kernel's name of the program (15 characters at most). */
  comm: string;
  /** utime + stime, in clock ticks. */
  ticks: number;
  /** Resident set, in pages. */
  rssPages: number;
  /** Start time after boot, in clock ticks: with the PID, which process this is (a PID is reused). */
  start: number;
}

/** /proc/PID/stat: the name sits in parentheses and may itself hold spaces or ')'. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // Fields after the name, from field 3 (state): utime 14, stime 15, starttime 22, rss 24.
  const f = text.slice(close + 2).split(' ');
  const num = (field: number) => Number(f[field - 3]);
  const ticks = num(14) + num(15);
  const start = num(22);
  const rssPages = num(24);
  if (![ticks, start, rssPages].every(Number.isFinite)) return undefined;
  return { comm: text.slice(open + 1, close), ticks, start, rssPages };
}

/** CPU % of one core over `seconds` (top's figure: a process on two busy cores shows 200). */
export function cpuPercent(prevTicks: number | undefined, ticks: number, seconds: number, hz = 100): number {
  if (prevTicks === undefined || seconds <= 0 || ticks < prevTicks) return 0;
  return ((ticks - prevTicks) / hz / seconds) * 100;
}

const QEMU = /^(qemu-system-|qemu-kvm|kvm$)/;

/**
 * Whether the process is a QEMU emulator (qemu-system-x86_64, qemu-kvm, kvm), by its
 * program's name or the kernel's (cut at 15 characters; a thread may rename it).
 */
export function isQemu(comm: string, argv: readonly string[] = []): boolean {
  const program = argv[0] ?? '';
  return QEMU.test(comm) || QEMU.test(program.slice(program.lastIndexOf('/') + 1));
}

/**
 * The VM's name in a QEMU command line: libvirt passes `-name guest=NAME,debug-threads=on`
 * (older: `-name NAME`), a comma in NAME doubled as QEMU's options escape it.
 */
export function qemuGuestName(argv: readonly string[]): string | undefined {
  const i = argv.findIndex((a) => a === '-name' || a === '--name');
  const value = i >= 0 ? argv[i + 1] : undefined;
  if (!value) return undefined;
  // Split on single commas (a doubled one is part of a value).
  const opts = value.split(/(?<!,),(?!,)/).map((o) => o.replace(/,,/g, ','));
  const guest = opts.find((o) => o.startsWith('guest='));
  const name = guest ? guest.slice('guest='.length) : opts[0]!.includes('=') ? undefined : opts[0];
  return name || undefined;
}

/** /proc/PID/cmdline as arguments (NUL-separated, a trailing NUL). */
export function parseCmdline(text: string): string[] {
  const args = text.split('\0');
  if (args.at(-1) === '') args.pop();
  return args;
}

/**
 * What the list shows as a process's command: a VM's QEMU as "qemu: NAME", else
 * the command line (the program by its base name), else the kernel's name in
 * brackets (a kernel thread has no command line), as top does.
 */
export function processCommand(comm: string, argv: readonly string[], vm?: string): string {
  if (vm) return `qemu: ${vm}`;
  if (!argv.length || !argv[0]) return `[${comm}]`;
  const program = argv[0].split(' ')[0]!;
  const base = program.slice(program.lastIndexOf('/') + 1) || comm;
  // A process that rewrites its title (npm, postgres) may pad it with spaces.
  return [base + argv[0].slice(program.length), ...argv.slice(1)].join(' ').trimEnd();
}

/** One row of the process list. */
export interface ProcessRow {
  pid: number;
  user: string;
  cpuPercent: number;
  rssBytes: number;
  command: string;
  /** The VM whose QEMU this is. */
  vm?: string;
}

export interface ProcessTop {
  /** Busiest first (then the larger). */
  byCpu: ProcessRow[];
  /** Largest resident set first. */
  byMemory: ProcessRow[];
  /** Processes on the host. */
  total: number;
}

/** The `n` busiest and the `n` largest of `rows`. */
export function topProcesses(rows: readonly ProcessRow[], n: number): ProcessTop {
  const byCpu = [...rows].sort((a, b) => b.cpuPercent - a.cpuPercent || b.rssBytes - a.rssBytes || a.pid - b.pid).slice(0, n);
  const byMemory = [...rows].sort((a, b) => b.rssBytes - a.rssBytes || b.cpuPercent - a.cpuPercent || a.pid - b.pid).slice(0, n);
  return { byCpu, byMemory, total: rows.length };
}

/** User names by uid from /etc/passwd's text. */
export function parsePasswd(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && /^\d+$/.test(f[2]!)) out.set(Number(f[2]), f[0]!);
  }
  return out;
}
