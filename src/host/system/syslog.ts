// Remote logging through rsyslog: its drop-in (checked with rsyslogd -N1, the
// previous file back when refused), rsyslogd restarted to read it, and a
// test message through logger.
import { parseRsyslogDropIn, rsyslogDropIn, RSYSLOG_DROP_IN, type SyslogForward } from '../../domain/system/syslog.ts';
import type { Target } from '../net/target.ts';
import { removeConfigFile, replaceConfigFile } from './config-file.ts';
import { reload, RSYSLOGD } from './daemons.ts';

export async function readForward(t: Target): Promise<SyslogForward | undefined> {
  return parseRsyslogDropIn(await t.readFile(RSYSLOG_DROP_IN));
}

/** Write (or remove, for undefined) the forward; returns what rsyslogd did. */
export async function writeForward(t: Target, f: SyslogForward | undefined, systemd: boolean): Promise<string> {
  const replaced = f ? await replaceConfigFile(t, RSYSLOG_DROP_IN, rsyslogDropIn(f)) : await removeConfigFile(t, RSYSLOG_DROP_IN);
  const check = await t.run('rsyslogd', ['-N1'], { timeoutMs: 20_000 });
  if (check.exitCode !== 0) {
    await replaced.restore();
    throw new Error(`rsyslogd -N1 refused the configuration (the previous ${RSYSLOG_DROP_IN} is back): ${(check.stderr || check.stdout).trim().split('\n').filter((l) => /error/i.test(l))[0] ?? ''}`);
  }
  return reload(t, RSYSLOGD, systemd, 'restart', ['rsyslogd']);
}

export async function sendTestMessage(t: Target, text: string): Promise<void> {
  await t.ok('logger', ['-p', 'user.notice', '-t', 'hostdeck', '--', text]);
}
