// Sizes for people, in binary units, written one way by every front end.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

export const MIB = 1024 ** 2;

/**
 * "512 B", "1.5 KiB", "20.0 GiB", "100 GiB": one decimal below 100 of a unit,
 * whole numbers from 100 up. `whole` drops the ".0" of an exact multiple
 * ("8 GiB"), for sizes the operator chose in whole units. Not measured: "-".
 */
export function formatBytes(bytes: number | undefined, opts: { whole?: boolean } = {}): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '-';
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) { v /= 1024; i++; }
  const whole = i === 0 || Math.abs(v) >= 100 || (opts.whole === true && Number.isInteger(v));
  return `${whole ? Math.round(v) : v.toFixed(1)} ${UNITS[i]}`;
}

/** A size given in MiB (memory, a new disk): "512 MiB", "8 GiB", "1.5 GiB". */
export function formatMiB(mib: number): string {
  return formatBytes(mib * MIB, { whole: true });
}

/** For a fixed-width column: bytes in at most 6 characters (512, 12.3K, 1.5M, 20G). Not measured: "-". */
export function compactBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  const units = ['', 'K', 'M', 'G', 'T', 'P'];
  let v = Math.max(0, n);
  let i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1024; i++; }
  if (i === 0) return String(Math.round(v));
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)}${units[i]}`;
}
