// Notification subscriptions as rules: which events (by source and least
// severity) go to which channel (syslog, mail through the host's MTA, a
// webhook), how a target is written and checked, and what each channel is
// sent (an RFC 5424 syslog line's parts, a mail message, a JSON body).
// Pure: the senders are in src/host/notify-channels.ts.
import type { FieldError } from './errors.ts';
import { parseEngineAddress } from './engine.ts';
import { controlCharProblem, UNPRINTABLE } from './text.ts';

export const NOTIFY_CHANNELS = ['syslog', 'mail', 'webhook'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];
export const NOTIFY_SEVERITIES = ['info', 'warning', 'error', 'alert'] as const;
export type NotifySeverity = (typeof NOTIFY_SEVERITIES)[number];

/** The local syslog daemon's socket (journald's or rsyslog's). */
export const LOCAL_SYSLOG_SOCKET = '/dev/log';
export const DEFAULT_SYSLOG_PORT = 514;
const TARGET_MAX = 500;
const ADDRESSES_MAX = 10;

/** What the event fields a notification carries (the event log's record, as a channel sends it). */
export interface NotifyEvent {
  id: number;
  time: string;
  severity: NotifySeverity;
  source: string;
  objectType: string | null;
  objectId: string | null;
  message: string;
  user: string;
  channel: string;
  result: string | null;
}

export interface SubscriptionInput {
  channel?: string;
  target?: string;
  source?: string;
  minSeverity?: string;
}

export interface Subscription {
  channel: NotifyChannel;
  /** syslog: local, an absolute socket path, udp://HOST[:PORT] or tcp://HOST[:PORT]; mail: addresses; webhook: an http(s) URL. */
  target: string;
  /** An event source (vm, storage, alert, ...) or * for all. */
  source: string;
  minSeverity: NotifySeverity;
}

/** Where a syslog line goes. */
export type SyslogTarget = { kind: 'local'; socket: string } | { kind: 'udp' | 'tcp'; host: string; port: number };

const SOURCE_RE = /^[a-z][a-z0-9-]{0,31}$/;
// An addr-spec without quoted local parts or comments: what a sendmail -t To: header can carry safely
// (not starting with "-": an MTA that took it from argv would read an option).
const ADDRESS_RE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~][A-Za-z0-9!#$%&'*+/=?^_`{|}~-]*(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** One line: every control or invisible character a space. */
const oneLine = (s: string) => s.replace(new RegExp(`${UNPRINTABLE.source}+`, 'g'), ' ');
const quote = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

export function parseSyslogTarget(raw: string): { target?: SyslogTarget; error?: string } {
  const s = raw.trim();
  if (s === 'local') return { target: { kind: 'local', socket: LOCAL_SYSLOG_SOCKET } };
  if (s.startsWith('/')) {
    if (/[\s\0]/.test(s) || s.includes('/../') || s.endsWith('/..')) return { error: `target: a syslog socket path must be absolute without spaces or "..", got ${quote(s)}` };
    return { target: { kind: 'local', socket: s } };
  }
  const m = /^(udp|tcp):\/\/(.*)$/.exec(s);
  if (!m) return { error: `target: a syslog target must be local, an absolute socket path, udp://HOST[:PORT] or tcp://HOST[:PORT], got ${quote(s)}` };
  const a = parseEngineAddress(m[2]!, 'target');
  if (a.error) return { error: a.error.replace('(HOST or HOST:PORT)', `(${m[1]}://HOST[:PORT])`) };
  return { target: { kind: m[1] as 'udp' | 'tcp', host: a.host, port: a.port ?? DEFAULT_SYSLOG_PORT } };
}

/** Mail recipients: one to ten addresses (user@host) separated by commas. */
export function parseAddresses(raw: string): { addresses?: string[]; error?: string } {
  const list = raw.split(',').map((a) => a.trim()).filter(Boolean);
  if (!list.length) return { error: 'target: give one or more mail addresses (user@host, separated by commas)' };
  if (list.length > ADDRESSES_MAX) return { error: `target: at most ${ADDRESSES_MAX} mail addresses` };
  const bad = list.find((a) => a.length > 254 || !ADDRESS_RE.test(a));
  if (bad !== undefined) return { error: `target: ${quote(bad)} is not a mail address (user@host: letters, digits and . _ + - before the @, not starting with -; a host name after it)` };
  return { addresses: list };
}

export function webhookUrlProblem(raw: string): string | undefined {
  let u: URL;
  try { u = new URL(raw.trim()); } catch { return `target: ${quote(raw)} is not a URL (a webhook needs http://HOST/PATH or https://HOST/PATH)`; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `target: a webhook URL must be http or https, got ${u.protocol.replace(/:$/, '')}`;
  if (!u.hostname) return 'target: a webhook URL needs a host';
  if (/\s/.test(raw.trim())) return 'target: a webhook URL must not contain spaces';
  return undefined;
}

/** The input checked against every rule: the subscription, or each rule broken, by field. */
export function validateSubscription(input: SubscriptionInput): { ok: true; value: Subscription } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const channel = (input.channel ?? '').trim();
  const target = (input.target ?? '').trim();
  const source = (input.source ?? '*').trim();
  const minSeverity = (input.minSeverity ?? 'warning').trim();
  if (!(NOTIFY_CHANNELS as readonly string[]).includes(channel)) errors.push({ field: 'channel', message: `channel: must be one of ${NOTIFY_CHANNELS.join(', ')}${channel ? ` (got ${quote(channel)})` : ''}` });
  if (!target) errors.push({ field: 'target', message: 'target: is required (syslog: local, a socket path, udp://HOST[:PORT], tcp://HOST[:PORT]; mail: user@host; webhook: an http(s) URL)' });
  else if (target.length > TARGET_MAX) errors.push({ field: 'target', message: `target: at most ${TARGET_MAX} characters` });
  else if (controlCharProblem(target)) errors.push({ field: 'target', message: `target: ${controlCharProblem(target)}` });
  else {
    const problem = channel === 'syslog' ? parseSyslogTarget(target).error : channel === 'mail' ? parseAddresses(target).error : channel === 'webhook' ? webhookUrlProblem(target) : undefined;
    if (problem) errors.push({ field: 'target', message: problem });
  }
  if (source !== '*' && !SOURCE_RE.test(source)) errors.push({ field: 'source', message: `source: must be * or an event source (lower-case letters, digits, -; e.g. vm, storage, alert), got ${quote(source)}` });
  if (!(NOTIFY_SEVERITIES as readonly string[]).includes(minSeverity)) errors.push({ field: 'min-severity', message: `min-severity: must be one of ${NOTIFY_SEVERITIES.join(', ')} (got ${quote(minSeverity)})` });
  if (errors.length) return { ok: false, errors };
  const normalized = channel === 'mail' ? parseAddresses(target).addresses!.join(', ') : target;
  return { ok: true, value: { channel: channel as NotifyChannel, target: normalized, source, minSeverity: minSeverity as NotifySeverity } };
}

/** Whether the subscription wants this event. */
export function matches(sub: Pick<Subscription, 'source' | 'minSeverity'>, e: Pick<NotifyEvent, 'source' | 'severity'>): boolean {
  return (sub.source === '*' || sub.source === e.source) && NOTIFY_SEVERITIES.indexOf(e.severity) >= NOTIFY_SEVERITIES.indexOf(sub.minSeverity);
}

/** The wait before attempt `attempt + 1` after `attempt` failed ones: doubling from `baseMs`, at most `maxMs`. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** One line: what the event says, who did it, on what. */
export function eventLine(e: NotifyEvent): string {
  const object = e.objectType ? ` ${e.objectType}${e.objectId ? ` ${e.objectId}` : ''}` : '';
  return oneLine(`[${e.severity}] ${e.source}${object}: ${e.message} (by ${e.user} via ${e.channel})`);
}

// RFC 5424 severities (0 emergency .. 7 debug) for the event log's four.
const SYSLOG_SEVERITY: Record<NotifySeverity, string> = { info: 'info', warning: 'warning', error: 'err', alert: 'alert' };

/** RFC 5424 PARAM-VALUE escaping: ", \ and ] are escaped with a backslash. */
const sdValue = (s: string) => s.replace(/[\\"\]]/g, (c) => `\\${c}`);
/** Our SD-ID (name@private enterprise number, the documentation one). */
export const SD_ID = 'hostdeck@32473';

/** The logger(1) arguments for one RFC 5424 line: hostname, app-name hostdeck, msgid the source, the event id and object as structured data. */
export function syslogArgs(t: SyslogTarget, e: NotifyEvent): string[] {
  const where = t.kind === 'local' ? ['--socket', t.socket] : ['--server', t.host, '--port', String(t.port), t.kind === 'tcp' ? '--tcp' : '--udp'];
  const sd = [`eventId="${e.id}"`, ...(e.objectType ? [`objectType="${sdValue(e.objectType)}"`] : []), ...(e.objectId ? [`objectId="${sdValue(e.objectId)}"`] : [])];
  const msgid = /^[!-~]{1,32}$/.test(e.source) ? e.source : '-';
  return [
    '--rfc5424=notq', ...(t.kind === 'local' ? ['--udp'] : []), '--socket-errors=on', ...where,
    '--priority', `daemon.${SYSLOG_SEVERITY[e.severity]}`, '--tag', 'hostdeck', '--msgid', msgid,
    '--sd-id', SD_ID, ...sd.flatMap((p) => ['--sd-param', p]),
    '--', eventLine(e),
  ];
}

/** The mail message sendmail -t reads: recipients from To:, the subject one clean line. */
export function mailMessage(to: readonly string[], from: string, e: NotifyEvent, date: Date): string {
  const subject = oneLine(`hostdeck ${e.severity}: ${e.message}`).slice(0, 160);
  const body = [
    eventLine(e), '',
    `Event ${e.id} at ${e.time}`, `Severity: ${e.severity}`, `Source: ${e.source}`,
    `Object: ${e.objectType ?? '-'} ${e.objectId ?? ''}`.trimEnd(), `User: ${e.user} (${e.channel})`, `Result: ${e.result ?? '-'}`, '',
    e.message, '',
  ].join('\n');
  return [
    `From: ${from}`, `To: ${to.join(', ')}`, `Subject: ${subject}`, `Date: ${date.toUTCString()}`,
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', `X-Hostdeck-Event: ${e.id}`, '', body,
  ].join('\n');
}

/** The webhook's JSON body. */
export function webhookBody(e: NotifyEvent, host: string): string {
  return JSON.stringify({ host, event: e });
}

/** The event a test of a subscription sends (id 0: no event of the log). */
export function testEvent(user: string, channel: string, subscriptionId: number): NotifyEvent {
  return {
    id: 0, time: new Date().toISOString(), severity: 'info', source: 'event', objectType: 'notification', objectId: String(subscriptionId),
    message: `Test notification from hostdeck (subscription ${subscriptionId})`, user, channel, result: null,
  };
}
