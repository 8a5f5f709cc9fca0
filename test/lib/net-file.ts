// A big unattended network file (`hostdeck net apply-file`) for the tests and
// the benchmark: routes on one interface of this machine, with a host name
// line every thousand lines, and what each line stages.
import { readdirSync } from 'node:fs';

/** An interface of this machine that can carry routes (eth0 where there is one). */
export function routableIface(): string {
  const names = readdirSync('/sys/class/net').sort();
  return names.includes('eth0') ? 'eth0' : names.find((n) => n !== 'lo')!;
}

/** `lines` operations (distinct for up to 65,536) and, per line, "route TO" or "hostname NAME". */
export function bigNetFile(lines: number, iface = routableIface()): { text: string; expected: string[] } {
  const text: string[] = ['# generated: many routes'];
  const expected: string[] = [];
  for (let i = 0; i < lines; i++) {
    if (i % 1000 === 999) { text.push(`hostname set node-${i}`); expected.push(`hostname node-${i}`); continue; }
    const to = `10.${i >> 8}.${i & 255}.0/24`;
    text.push(`route add ${iface} --to ${to}`);
    expected.push(`route ${to}`);
  }
  return { text: `${text.join('\n')}\n`, expected };
}

/** A staged change as bigNetFile's `expected` says it. */
export function stagedAs(changeJson: string): string {
  const c = JSON.parse(changeJson) as { op: string; to?: string; hostname?: string };
  return c.op === 'route.add' ? `route ${c.to}` : c.op === 'hostname.set' ? `hostname ${c.hostname}` : c.op;
}
