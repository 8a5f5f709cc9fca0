// The host's clock settings: the time zone (/etc/localtime, /etc/timezone),
// chrony's servers (its config file, live through chronyc) and its state
// read back from `chronyc -c`, and a manual time (date -u --set).
import { chronyServers, parseChronySources, parseChronyTracking, withChronyServers, zoneNames, zoneOfLink, type NtpSource, type NtpTracking } from '../../domain/system/time.ts';
import type { Target } from '../net/target.ts';
import { replaceConfigFile } from './config-file.ts';

export const ZONEINFO = '/usr/share/zoneinfo';
export const CHRONY_CONF = '/etc/chrony/chrony.conf';

export async function readZones(t: Target): Promise<string[]> {
  const zi = await t.readFile(`${ZONEINFO}/tzdata.zi`);
  return zi ? zoneNames(zi) : [];
}

export async function readTimezone(t: Target): Promise<string> {
  const link = await t.run('readlink', ['--', '/etc/localtime']);
  if (link.exitCode === 0) return zoneOfLink(link.stdout) ?? link.stdout.trim();
  return (await t.readFile('/etc/timezone'))?.trim() || 'UTC';
}

/** Point /etc/localtime at the zone (a new link renamed over the old) and write /etc/timezone. */
export async function writeTimezone(t: Target, zone: string): Promise<void> {
  const tmp = '/etc/localtime.hostdeck-new';
  await t.ok('ln', ['-sfn', '--', `${ZONEINFO}/${zone}`, tmp]);
  await t.ok('mv', ['-Tf', '--', tmp, '/etc/localtime']);
  await replaceConfigFile(t, '/etc/timezone', `${zone}\n`);
}

export interface NtpState {
  installed: boolean;
  /** chronyd answers chronyc. */
  running: boolean;
  /** The servers chrony.conf names. */
  servers: string[];
  sources: NtpSource[];
  tracking?: NtpTracking;
}

export async function readNtp(t: Target): Promise<NtpState> {
  const conf = await t.readFile(CHRONY_CONF);
  const tracking = await t.run('chronyc', ['-c', 'tracking'], { timeoutMs: 5000 });
  if (tracking.spawnError || tracking.exitCode === 127) return { installed: false, running: false, servers: [], sources: [] };
  const servers = conf ? chronyServers(conf) : [];
  if (tracking.exitCode !== 0) return { installed: conf !== undefined, running: false, servers, sources: [] };
  const sources = await t.run('chronyc', ['-c', '-N', 'sources'], { timeoutMs: 5000 });
  return { installed: true, running: true, servers, sources: parseChronySources(sources.stdout), tracking: parseChronyTracking(tracking.stdout) };
}

/**
 * chrony.conf with these servers, checked by chronyd -p (the previous file back
 * when it refuses); a running chronyd gets the change live (chronyc delete/add).
 */
export async function writeNtpServers(t: Target, servers: readonly string[]): Promise<{ live: boolean }> {
  const conf = (await t.readFile(CHRONY_CONF)) ?? '';
  const old = chronyServers(conf);
  const replaced = await replaceConfigFile(t, CHRONY_CONF, withChronyServers(conf, servers));
  const check = await t.run('chronyd', ['-p', '-f', CHRONY_CONF], { timeoutMs: 10_000 });
  if (check.exitCode !== 0) {
    await replaced.restore();
    throw new Error(`chronyd refused the configuration (the previous ${CHRONY_CONF} is back): ${(check.stderr || check.stdout).trim().split('\n').slice(-1)[0] ?? ''}`);
  }
  if ((await t.run('chronyc', ['-c', 'tracking'], { timeoutMs: 5000 })).exitCode !== 0) return { live: false };
  for (const s of old.filter((o) => !servers.includes(o))) await t.run('chronyc', ['delete', s], { timeoutMs: 10_000 });
  for (const s of servers.filter((n) => !old.includes(n))) await t.ok('chronyc', ['add', 'server', s, 'iburst'], { timeoutMs: 10_000 });
  return { live: true };
}

/** Set the clock (UTC, validated) and the hardware clock where there is one. */
export async function writeTime(t: Target, utc: string): Promise<void> {
  await t.ok('date', ['-u', `--set=${utc}`]);
  await t.run('hwclock', ['--systohc', '--utc'], { timeoutMs: 10_000 });
}
