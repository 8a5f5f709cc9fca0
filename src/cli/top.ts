// `hostdeck top --batch`: the VM list's figures for scripts (virt-top's batch
// mode): one record per VM per tick, as JSON lines or CSV. The figures come
// from the same store the console's VM list reads; the first tick is a
// priming sample (rates need two), so every printed record has them.
import type { VmRow } from '../domain/vm-figures.ts';
import { createVmStore } from '../store/vms.ts';
import { CommandError, pause, problem, untilStopped, type Command, type CommandContext } from './registry.ts';

/** The batch columns, in order (CSV header and JSON keys). */
export const TOP_FIELDS = [
  'time', 'tick', 'name', 'uuid', 'state', 'vcpus', 'cpu_pct', 'cpu_pct_host', 'mem_kib', 'max_mem_kib', 'guest_used_kib',
  'disk_rd_bps', 'disk_wr_bps', 'disk_rd_iops', 'disk_wr_iops', 'net_rx_bps', 'net_tx_bps', 'uptime_s',
] as const;

export type TopRecord = Record<(typeof TOP_FIELDS)[number], string | number | null>;

const round = (n: number | undefined, d = 1): number | null => (n === undefined || !Number.isFinite(n) ? null : Math.round(n * 10 ** d) / 10 ** d);

export function topRecord(r: VmRow, at: number, tick: number): TopRecord {
  return {
    time: new Date(at).toISOString(), tick, name: r.name, uuid: r.uuid || null, state: r.state, vcpus: r.vcpus,
    cpu_pct: round(r.cpuPercent, 2), cpu_pct_host: round(r.cpuPercentHost, 2),
    mem_kib: r.memoryKiB, max_mem_kib: r.maxMemoryKiB, guest_used_kib: r.guestUsedKiB ?? null,
    disk_rd_bps: round(r.diskReadBps, 0), disk_wr_bps: round(r.diskWriteBps, 0), disk_rd_iops: round(r.diskReadIops), disk_wr_iops: round(r.diskWriteIops),
    net_rx_bps: round(r.netRxBps, 0), net_tx_bps: round(r.netTxBps, 0), uptime_s: r.uptimeSec ?? null,
  };
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; null is empty. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(rec: TopRecord): string {
  return TOP_FIELDS.map((f) => csvField(rec[f])).join(',');
}

async function runTop(ctx: CommandContext): Promise<number> {
  if (!ctx.options.batch) throw new CommandError('top: only --batch is available here; the live VM list is in the console (hostdeck, then v)', 2);
  const intervalMs = Math.round(((ctx.options.interval as number | undefined) ?? 1) * 1000);
  const iterations = (ctx.options.iterations as number | undefined) ?? Infinity;
  const format = (ctx.options.format as string | undefined) ?? (ctx.json ? 'json' : 'csv');
  const store = createVmStore(ctx.core.monitor, { intervalMs: Math.max(500, intervalMs), historySeconds: 2, events: false });
  const { stop, done } = untilStopped(ctx);
  try {
    await store.refresh(); // priming sample
    let s = store.getSnapshot();
    if (s.error && !s.data) throw new CommandError(`cannot read VM figures from ${ctx.core.monitor.uri}: ${s.error}`, 1);
    if (format === 'csv') ctx.out(TOP_FIELDS.join(','));
    for (let tick = 1; tick <= iterations && !stop.aborted; tick++) {
      await pause(intervalMs, stop);
      if (stop.aborted) break;
      await store.refresh();
      s = store.getSnapshot();
      if (!s.data || s.error) { problem(ctx, `tick ${tick}: ${s.error ?? 'no data'}`); continue; }
      const at = s.data.at;
      for (const r of s.data.rows) {
        const rec = topRecord(r, at, tick);
        ctx.out(format === 'csv' ? csvLine(rec) : JSON.stringify(rec));
      }
    }
    return 0;
  } finally {
    done();
    store.stop();
  }
}

export const topCommands: Command[] = [
  {
    noun: 'top',
    verb: '',
    summary: 'Per-VM figures every interval for scripts (virt-top batch mode): --batch [--interval S] [--iterations N] [--format json|csv]',
    options: {
      batch: { type: 'boolean', description: 'Print records instead of drawing (required)' },
      interval: { type: 'number', description: 'Seconds between ticks (default 1)', value: 'S', min: 0.5, max: 3600 },
      iterations: { type: 'number', description: 'Stop after N ticks (default: until interrupted)', value: 'N', min: 1, max: 1e9 },
      format: { type: 'string', description: 'json: one JSON object per VM per line; csv: a header, then one line per VM (default csv, json with --json)', choices: ['json', 'csv'] },
    },
    run: runTop,
  },
];
