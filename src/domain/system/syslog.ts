// Remote logging: the rsyslog drop-in that forwards the system log to a
// remote syslog server over UDP or TCP, and reading it back.
import type { FieldError } from '../errors.ts';
import { parseSyslogTarget } from '../notifications.ts';

export const RSYSLOG_DROP_IN = '/etc/rsyslog.d/60-hostdeck-forward.conf';
export const FORWARD_RULE = 'udp://HOST[:PORT] or tcp://HOST[:PORT] (port 514 when not given), or off';

export interface SyslogForward { protocol: 'udp' | 'tcp'; host: string; port: number }

/** `off` (undefined forward) or a remote target, or the rule it breaks. */
export function forwardInput(raw: string): { forward?: SyslogForward; off?: true; error?: FieldError } {
  const s = raw.trim();
  if (s === 'off') return { off: true };
  const t = parseSyslogTarget(s);
  if (t.target?.kind === 'udp' || t.target?.kind === 'tcp') return { forward: { protocol: t.target.kind, host: t.target.host, port: t.target.port } };
  return { error: { field: 'target', message: `target: ${JSON.stringify(s.slice(0, 60))} is not ${FORWARD_RULE}${t.error ? ` (${t.error.replace(/^target: /, '')})` : ''}` } };
}

export function forwardText(f: SyslogForward): string {
  return `${f.protocol}://${f.host.includes(':') ? `[${f.host}]` : f.host}:${f.port}`;
}

/** The drop-in: every facility and priority to the server; a queue so a server away does not block logging. */
export function rsyslogDropIn(f: SyslogForward): string {
  return ['# Written by hostdeck (hostdeck system syslog-set): the system log forwarded to a remote server.',
    `*.* action(type="omfwd" target="${f.host}" port="${f.port}" protocol="${f.protocol}" queue.type="LinkedList" queue.size="10000" action.resumeRetryCount="-1")`, ''].join('\n');
}

export function parseRsyslogDropIn(text: string | undefined): SyslogForward | undefined {
  const m = text && /target="([^"]+)" port="(\d+)" protocol="(udp|tcp)"/.exec(text);
  return m ? { host: m[1]!, port: Number(m[2]), protocol: m[3] as 'udp' | 'tcp' } : undefined;
}
