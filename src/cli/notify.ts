// hostdeck notify list|add|remove|test   (events sent to syslog, mail or a webhook by the host service)
import type { FieldError } from '../domain/errors.ts';
import type { NotificationView } from '../core/notifications.ts';
import { printTable, type Command, type CommandContext } from './registry.ts';
import { positional, tooMany } from './storage-domain.ts';
import { guard, reply, str } from './manager.ts';

const ID = 'ID';
const idHint = 'a subscription number (hostdeck notify list)';
/** The fields as the CLI takes them: options, and ID an argument. */
const message = (e: FieldError) => (e.field === 'id' ? e.message.replace(/^id: /, `${ID}: `) : `--${e.message}`);

const row = (s: NotificationView) => ({
  id: s.id, channel: s.channel, target: s.target, source: s.source, 'min-severity': s.minSeverity,
  delivered: s.delivered, failed: s.failed, 'dead-letter': s.deadLetter, queued: s.queued,
  state: s.unavailable ? `unavailable: ${s.unavailable}` : s.failing ? `failing: ${s.lastError ?? ''}` : 'ok',
});

export const notifyCommands: Command[] = [
  {
    noun: 'notify', verb: 'list', summary: 'The notification subscriptions with their delivered, failed and dead-letter counts',
    async run(ctx: CommandContext) {
      tooMany(ctx, 0);
      const subs = await guard(() => ctx.core.notifications.list(), message);
      if (!subs.length && !ctx.json) { ctx.out('No notification subscriptions (hostdeck notify add).'); return 0; }
      printTable(ctx, subs.map(row), ['id', 'channel', 'target', 'source', 'min-severity', 'delivered', 'failed', 'dead-letter', 'queued', 'state'], subs);
      return 0;
    },
  },
  {
    noun: 'notify', verb: 'add', summary: 'Send events of a source and least severity to syslog, a mail address or a webhook (the host service, hostdeck serve, delivers)',
    options: {
      channel: { type: 'string', description: 'syslog, mail or webhook', value: 'CHANNEL' },
      target: { type: 'string', description: 'syslog: local, a socket path, udp://HOST[:PORT] or tcp://HOST[:PORT]; mail: user@host[,user@host...]; webhook: an http(s) URL', value: 'TARGET' },
      source: { type: 'string', description: 'The events\' source: vm, storage, network, host, engine, event, alert ... or * (default)', value: 'SOURCE' },
      'min-severity': { type: 'string', description: 'The least severity sent: info, warning (default), error or alert', value: 'SEVERITY' },
    },
    async run(ctx) {
      tooMany(ctx, 0);
      const input = { channel: str(ctx, 'channel'), target: str(ctx, 'target'), source: str(ctx, 'source'), minSeverity: str(ctx, 'min-severity') };
      const s = await guard(() => ctx.core.notifications.add(input), message);
      const note = s.unavailable ? ` Note: ${s.unavailable}.` : '';
      return reply(ctx, s, `Subscription ${s.id}: ${s.source === '*' ? 'all' : s.source} events of ${s.minSeverity} or worse go to ${s.channel} ${s.target}.${note}`);
    },
  },
  {
    noun: 'notify', verb: 'remove', usage: ID, summary: 'Remove a notification subscription (its waiting deliveries are dropped)',
    async run(ctx) {
      const id = positional(ctx, 0, ID, idHint);
      tooMany(ctx, 1);
      await guard(() => ctx.core.notifications.remove(id), message);
      return reply(ctx, { removed: Number(id) }, `Subscription ${id} removed.`);
    },
  },
  {
    noun: 'notify', verb: 'test', usage: ID, summary: 'Send a test message through a subscription now and say what happened',
    async run(ctx) {
      const id = positional(ctx, 0, ID, idHint);
      tooMany(ctx, 1);
      const r = await guard(() => ctx.core.notifications.test(id), message);
      return reply(ctx, r, `Test notification through ${r.channel} ${r.target}: ${r.message}.`);
    },
  },
];
