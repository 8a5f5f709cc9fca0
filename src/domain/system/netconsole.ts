// Netconsole: the kernel's messages sent over UDP to a remote host, from one
// NIC. The target is an IP address (the kernel sends before any name could be
// resolved) and a port; the NIC a name the kernel could have.
import { isIP } from 'node:net';
import type { FieldError } from '../errors.ts';

export const NETCONSOLE_DEFAULT_PORT = 6666;
export const NETCONSOLE_TARGET_RULE = 'IP:PORT or IP (port 6666), an IPv4 address or [IPv6]:PORT; or off';
export const NETCONSOLE_DEVICE_RULE = 'a network interface name (letters, digits, . _ -; up to 15 characters)';

export interface Netconsole { device: string; remoteIp: string; remotePort: number }

export function netconsoleInput(target: string, device: string | undefined): { netconsole?: Netconsole; off?: true; errors: FieldError[] } {
  const s = target.trim();
  if (s === 'off') return { off: true, errors: [] };
  const errors: FieldError[] = [];
  const m = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(s) ?? /^([^:]+)(?::(\d{1,5}))?$/.exec(s) ?? (isIP(s) === 6 ? [s, s, undefined] : null);
  const ip = m?.[1] ?? '';
  const port = m?.[2] === undefined ? NETCONSOLE_DEFAULT_PORT : Number(m[2]);
  if (!m || !isIP(ip) || !(port >= 1 && port <= 65535)) errors.push({ field: 'target', message: `target: ${JSON.stringify(s.slice(0, 60))} is not ${NETCONSOLE_TARGET_RULE}` });
  const dev = (device ?? '').trim();
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/.test(dev)) errors.push({ field: 'device', message: `device: ${JSON.stringify(dev.slice(0, 20))} is not ${NETCONSOLE_DEVICE_RULE}` });
  return errors.length ? { errors } : { netconsole: { device: dev, remoteIp: ip, remotePort: port }, errors };
}

/** The module option that sets the same target at boot: netconsole=[+][src-port]@[src-ip]/[dev],[tgt-port]@<tgt-ip>/[tgt-mac]. */
export function netconsoleModprobe(n: Netconsole): string {
  return `# Written by hostdeck (hostdeck system netconsole-set): kernel messages to ${n.remoteIp}:${n.remotePort} from ${n.device}.\noptions netconsole netconsole=@/${n.device},${n.remotePort}@${n.remoteIp}/\n`;
}
