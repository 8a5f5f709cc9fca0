// sshd's settings through a drop-in (checked with sshd -t before sshd is told,
// the previous file back when it refuses), read back with sshd -T; root's
// authorized_keys with fingerprints from ssh-keygen -l.
import { authorizedKeyLine, parseFingerprints, parseSshdT, sshDropIn, SSH_DROP_IN, type AuthorizedKey, type SshSettings } from '../../domain/system/ssh.ts';
import type { Target } from '../net/target.ts';
import { replaceConfigFile } from './config-file.ts';
import { reload, SSHD } from './daemons.ts';

export const ROOT_AUTHORIZED_KEYS = '/root/.ssh/authorized_keys';

/** sshd's effective settings (sshd -T), or why they cannot be read. */
export async function readSshSettings(t: Target): Promise<SshSettings | string> {
  const r = await t.run('sshd', ['-T'], { timeoutMs: 10_000 });
  if (r.spawnError || r.exitCode === 127) return 'openssh-server is not installed';
  if (r.exitCode !== 0) return `sshd -T: ${(r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? `exit ${r.exitCode}`}`;
  return parseSshdT(r.stdout);
}

export async function writeSshSettings(t: Target, s: SshSettings, systemd: boolean): Promise<string> {
  const replaced = await replaceConfigFile(t, SSH_DROP_IN, sshDropIn(s));
  const check = await t.run('sshd', ['-t'], { timeoutMs: 10_000 });
  if (check.exitCode !== 0) {
    await replaced.restore();
    throw new Error(`sshd -t refused the settings (the previous ${SSH_DROP_IN} is back): ${(check.stderr || check.stdout).trim().split('\n').slice(-1)[0] ?? ''}`);
  }
  return reload(t, SSHD, systemd, 'reload');
}

export interface KeyEntry { line: number; type: string; bits: number; fingerprint: string; comment: string; options: string[] }

/** The key lines of root's authorized_keys (comments and blanks skipped) with their fingerprints. */
export async function readAuthorizedKeys(t: Target): Promise<{ text: string; keys: KeyEntry[] }> {
  const text = (await t.readFile(ROOT_AUTHORIZED_KEYS)) ?? '';
  const lines = text.split('\n').map((l, i) => ({ l: l.trim(), i })).filter((x) => x.l && !x.l.startsWith('#'));
  if (!lines.length) return { text, keys: [] };
  const fp = parseFingerprints((await t.run('ssh-keygen', ['-l', '-f', ROOT_AUTHORIZED_KEYS])).stdout);
  return {
    text,
    keys: lines.map((x, n) => ({ line: x.i + 1, type: fp[n]?.type ?? '?', bits: fp[n]?.bits ?? 0, fingerprint: fp[n]?.fingerprint ?? '?', comment: fp[n]?.comment ?? '', options: [] })),
  };
}

/** The fingerprint ssh-keygen gives a key (written to a private temporary file: -f reads a file). */
export async function fingerprintOf(t: Target, k: AuthorizedKey): Promise<string> {
  const tmp = (await t.ok('mktemp', [])).stdout.trim();
  try {
    await t.ok('tee', ['--', tmp], { input: `${k.type} ${k.base64}\n` });
    return parseFingerprints((await t.ok('ssh-keygen', ['-l', '-f', tmp])).stdout)[0]?.fingerprint ?? '?';
  } finally {
    await t.run('rm', ['-f', '--', tmp]);
  }
}

export async function writeAuthorizedKeys(t: Target, lines: readonly string[]): Promise<void> {
  await replaceConfigFile(t, ROOT_AUTHORIZED_KEYS, lines.length ? `${lines.join('\n')}\n` : '', { mode: '0600', dirMode: '0700' });
}

export { authorizedKeyLine };

/** chpasswd reads "user:password" on its standard input: the password is never on a command line. */
export async function writePassword(t: Target, user: string, password: string): Promise<void> {
  await t.ok('chpasswd', [], { input: `${user}:${password}\n` });
}
