// Notification subscriptions' rules: every bad field named with its rule,
// targets per channel, matching by source and least severity, the backoff,
// and what a mail and a syslog line carry.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, mailMessage, matches, parseSyslogTarget, syslogArgs, validateSubscription, type NotifyEvent } from '../../src/domain/notifications.ts';

const errors = (input: Parameters<typeof validateSubscription>[0]) => {
  const v = validateSubscription(input);
  return v.ok ? [] : v.errors.map((e) => e.message);
};
const event: NotifyEvent = { id: 7, time: '2026-01-01T00:00:00.000Z', severity: 'warning', source: 'vm', objectType: 'vm', objectId: 'a"b]c', message: 'line one\nSubject: injected', user: 'ann', channel: 'cli', result: 'failure' };

describe('subscription input', () => {
  it('refuses each bad field naming it and its rule', () => {
    assert.match(errors({ channel: 'pager', target: 'x' })[0]!, /^channel: must be one of syslog, mail, webhook/);
    assert.match(errors({ channel: 'mail', target: 'root@' })[0]!, /^target: "root@" is not a mail address/);
    assert.match(errors({ channel: 'mail', target: 'a@b.example, -oQ/tmp@x' })[0]!, /^target: "-oQ\/tmp@x" is not a mail address/);
    assert.match(errors({ channel: 'mail', target: 'a@b.example\nBcc: c@d.example' })[0]!, /^target: must not contain control characters/);
    assert.match(errors({ channel: 'webhook', target: 'ftp://h/x' })[0]!, /^target: a webhook URL must be http or https, got ftp/);
    assert.match(errors({ channel: 'webhook', target: 'file:///etc/passwd' })[0]!, /^target: a webhook URL must be http or https/);
    assert.match(errors({ channel: 'syslog', target: 'udp://host:99999' })[0]!, /^target port: must be from 1 to 65535/);
    assert.match(errors({ channel: 'syslog', target: 'udp://bad_host!' })[0]!, /^target: must be an IPv4 address, an IPv6 address or a host name/);
    assert.match(errors({ channel: 'syslog', target: 'relative/sock' })[0]!, /^target: a syslog target must be local, an absolute socket path, udp:\/\/HOST\[:PORT\] or tcp:\/\/HOST\[:PORT\]/);
    assert.match(errors({ channel: 'syslog', target: 'local', source: 'VM;rm' })[0]!, /^source: must be \* or an event source/);
    assert.match(errors({ channel: 'syslog', target: 'local', minSeverity: 'critical' })[0]!, /^min-severity: must be one of info, warning, error, alert/);
    assert.match(errors({ channel: 'syslog' })[0]!, /^target: is required/);
  });

  it('takes good input, normalised, with defaults * and warning', () => {
    const v = validateSubscription({ channel: 'mail', target: ' a@b.example ,c.d+e@f-g.example ' });
    assert.deepEqual(v, { ok: true, value: { channel: 'mail', target: 'a@b.example, c.d+e@f-g.example', source: '*', minSeverity: 'warning' } });
    assert.deepEqual(parseSyslogTarget('tcp://[2001:db8::1]:6514').target, { kind: 'tcp', host: '2001:db8::1', port: 6514 });
    assert.deepEqual(parseSyslogTarget('udp://log.example').target, { kind: 'udp', host: 'log.example', port: 514 });
    assert.deepEqual(parseSyslogTarget('local').target, { kind: 'local', socket: '/dev/log' });
    assert.ok(validateSubscription({ channel: 'webhook', target: 'https://hooks.example/x?y=1', source: 'alert', minSeverity: 'alert' }).ok);
  });
});

describe('matching and backoff', () => {
  it('an event goes to a subscription of its source (or *) at or above its least severity', () => {
    assert.equal(matches({ source: '*', minSeverity: 'warning' }, { source: 'storage', severity: 'error' }), true);
    assert.equal(matches({ source: 'vm', minSeverity: 'warning' }, { source: 'storage', severity: 'error' }), false);
    assert.equal(matches({ source: 'vm', minSeverity: 'error' }, { source: 'vm', severity: 'warning' }), false);
    assert.equal(matches({ source: 'alert', minSeverity: 'alert' }, { source: 'alert', severity: 'alert' }), true);
  });
  it('doubles from the base up to the cap', () => {
    assert.deepEqual([1, 2, 3, 4, 10].map((n) => backoffMs(n, 1000, 5000)), [1000, 2000, 4000, 5000, 5000]);
  });
});

describe('what the channels carry', () => {
  it('a mail: recipients only in To:, the subject one line (no header injected by an event message)', () => {
    const m = mailMessage(['a@b.example'], 'hostdeck@h', event, new Date(0));
    const [head] = m.split('\n\n');
    assert.match(head!, /^To: a@b.example$/m);
    assert.match(head!, /^Subject: hostdeck warning: line one Subject: injected$/m);
    assert.equal(head!.match(/^Subject:/gm)!.length, 1);
  });
  it('a syslog line: daemon facility at the event severity, msgid the source, the event id and object escaped as structured data', () => {
    const args = syslogArgs({ kind: 'udp', host: 'h', port: 514 }, event);
    assert.deepEqual(args.slice(args.indexOf('--priority'), args.indexOf('--priority') + 2), ['--priority', 'daemon.warning']);
    assert.equal(args[args.indexOf('--msgid') + 1], 'vm');
    assert.ok(args.includes('objectId="a\\"b\\]c"'));
    assert.equal(args[args.length - 2], '--');
    assert.doesNotMatch(args[args.length - 1]!, /\n/);
  });
});
