// The notification channels' senders: a syslog line through logger(1) (the
// local daemon's socket, or a remote one over UDP or TCP), a mail through the
// host's own MTA (sendmail -t -oi, the message on stdin), a webhook as an HTTP
// POST. Each one attempt, bounded by a timeout; a failure is thrown with what
// the channel said.
import { access, constants } from 'node:fs/promises';
import { hostname } from 'node:os';
import {
  mailMessage, parseAddresses, parseSyslogTarget, syslogArgs, webhookBody, type NotifyEvent, type Subscription,
} from '../domain/notifications.ts';
import { run } from '../exec/runner.ts';

/** The sendmail interface every Debian MTA installs (exim4, postfix, dma, msmtp-mta). */
export const SENDMAIL = '/usr/sbin/sendmail';

export interface SendOptions {
  timeoutMs: number;
}

/** A channel that cannot send (no MTA, no logger): said before trying, not as a timeout. */
export class ChannelUnavailableError extends Error {}

async function runChannel(command: string, args: string[], what: string, opts: SendOptions & { input?: string }): Promise<void> {
  const r = await run(command, args, { timeoutMs: opts.timeoutMs, ...(opts.input !== undefined ? { input: opts.input } : {}) });
  if (r.spawnError) throw new ChannelUnavailableError(`${what}: ${r.spawnError}`);
  if (r.timedOut) throw new Error(`${what}: no answer within ${opts.timeoutMs} ms`);
  if (r.exitCode !== 0) throw new Error(`${what}: ${command} exited with code ${r.exitCode}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}` : ''}`);
}

export async function sendSyslog(target: string, e: NotifyEvent, opts: SendOptions): Promise<void> {
  const t = parseSyslogTarget(target).target;
  if (!t) throw new Error(`syslog: bad target ${target}`);
  await runChannel('logger', syslogArgs(t, e), `syslog ${target}`, opts);
}

/** Whether the host has an MTA's sendmail interface (undefined), or why not. */
export async function sendmailMissing(): Promise<string | undefined> {
  try {
    await access(SENDMAIL, constants.X_OK);
    return undefined;
  } catch {
    return `no ${SENDMAIL} on this host: install a mail transfer agent (e.g. apt-get install dma, or exim4, postfix, msmtp-mta)`;
  }
}

export async function sendMail(target: string, e: NotifyEvent, opts: SendOptions): Promise<void> {
  const missing = await sendmailMissing();
  if (missing) throw new ChannelUnavailableError(`mail: ${missing}`);
  const to = parseAddresses(target).addresses;
  if (!to) throw new Error(`mail: bad addresses ${target}`);
  const host = hostname();
  // -t: the recipients come from To: (checked addresses only); -oi: a line of a lone dot does not end the message.
  await runChannel(SENDMAIL, ['-t', '-oi'], `mail to ${target}`, { ...opts, input: mailMessage(to, `hostdeck@${host}`, e, new Date()) });
}

export async function sendWebhook(url: string, e: NotifyEvent, opts: SendOptions): Promise<void> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let res: Response;
  try {
    // globalThis.fetch, not fetch: the bundle defines the bare name away (scripts/build.mjs keeps
    // yoga's loader from loading undici at start-up); undici loads here, on the first webhook.
    res = await globalThis.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'hostdeck' }, body: webhookBody(e, hostname()), signal, redirect: 'manual' });
    // The status is the answer: the body is not read (one that is large or never ends must not hold the sender).
    await res.body?.cancel();
  } catch (err) {
    if (signal.aborted) throw new Error(`webhook ${url}: no answer within ${opts.timeoutMs} ms`, { cause: err });
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`webhook ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`, { cause: err });
  }
  if (res.status < 200 || res.status > 299) throw new Error(`webhook ${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
}

/** One attempt to send the event through the subscription's channel. */
export function send(sub: Pick<Subscription, 'channel' | 'target'>, e: NotifyEvent, opts: SendOptions): Promise<void> {
  switch (sub.channel) {
    case 'syslog': return sendSyslog(sub.target, e, opts);
    case 'mail': return sendMail(sub.target, e, opts);
    case 'webhook': return sendWebhook(sub.target, e, opts);
  }
}
