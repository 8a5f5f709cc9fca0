// SSH side of the registration: the SSH user's home (from the user database
// under the root prefix), the engine's public key in authorized_keys (added
// once, 0600 in a 0700 directory), and the fingerprint of this host's own SSH
// host key that the register command sends as sshKeyFingerprint.
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from './errors.ts';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** Find a user in a passwd(5) file. */
export function lookupUser(passwdFile: string, name: string): PasswdEntry | undefined {
  let text: string;
  try {
    text = readFileSync(passwdFile, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || f[0] !== name) continue;
    return { name, uid: Number(f[2]), gid: Number(f[3]), home: f[5]! };
  }
  return undefined;
}

export interface SshPublicKey {
  type: string;
  /** Base64 key blob. */
  blob: string;
  comment: string;
  /** The line as it goes into authorized_keys. */
  line: string;
}

const KEY_TYPE = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)$/;

/** Parse one OpenSSH public key line ("type base64 [comment]"). */
export function parsePublicKey(text: string): SshPublicKey {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#')) ?? '';
  const [type = '', blob = '', ...rest] = line.split(/\s+/);
  if (!KEY_TYPE.test(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) {
    throw new EngineError('protocol', `get-ssh-trust did not return an OpenSSH public key (got ${JSON.stringify(line.slice(0, 40))}); is this an oVirt engine?`);
  }
  // The blob starts with its own type name; a mismatch means a damaged key.
  const raw = Buffer.from(blob, 'base64');
  const n = raw.length >= 4 ? raw.readUInt32BE(0) : 0;
  if (raw.subarray(4, 4 + n).toString('latin1') !== type) throw new EngineError('protocol', 'get-ssh-trust returned a damaged SSH public key (its type does not match its data)');
  const comment = rest.join(' ');
  return { type, blob, comment, line: `${type} ${blob}${comment ? ` ${comment}` : ''}` };
}

/** OpenSSH's fingerprint of a public key: "SHA256:" and unpadded base64 of the blob's SHA-256 (as `ssh-keygen -l` prints it). */
export function sshFingerprint(blob: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

/** The authorized_keys file of a user under the root prefix. */
export function authorizedKeysPath(root: string, user: PasswdEntry): string {
  return join(root, user.home, '.ssh', 'authorized_keys');
}

/** Whether `key` (type and blob; comments do not matter) is already in the file text. */
export function hasKey(fileText: string, key: SshPublicKey): boolean {
  return fileText.split('\n').some((l) => {
    const words = l.trim().split(/\s+/);
    // Options may precede the key type; find the type word and compare what follows.
    const i = words.findIndex((w) => w === key.type);
    return i >= 0 && words[i + 1] === key.blob;
  });
}

/**
 * Add the key to the user's authorized_keys unless it is there. The .ssh
 * directory is made 0700 and the file 0600, owned by the user when running
 * as root. Returns whether the key was added.
 */
export function installAuthorizedKey(root: string, user: PasswdEntry, key: SshPublicKey): { file: string; added: boolean } {
  const file = authorizedKeysPath(root, user);
  const dir = join(file, '..');
  const asRoot = process.getuid?.() === 0;
  try {
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const added = !hasKey(text, key);
    if (added) writeFileSync(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${key.line}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    if (asRoot) {
      chownSync(dir, user.uid, user.gid);
      chownSync(file, user.uid, user.gid);
    }
    return { file, added };
  } catch (e) {
    if (e instanceof EngineError) throw e;
    throw new EngineError('local', `could not write ${file}: ${(e as Error).message}`);
  }
}

/** Remove exactly this key (type and blob) from the file; returns whether a line was removed. */
export function removeAuthorizedKey(root: string, user: PasswdEntry, key: SshPublicKey): boolean {
  const file = authorizedKeysPath(root, user);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  const lines = text.split('\n');
  const kept = lines.filter((l) => !hasKey(l, key));
  if (kept.length === lines.length) return false;
  writeFileSync(file, kept.join('\n'), { mode: 0o600 });
  return true;
}

/**
 * Fingerprint of this host's SSH host key, in the OpenSSH SHA256:... form the
 * engine's checkKeyFingerprint accepts. RSA first (the key type every engine
 * version can check), then ECDSA, then Ed25519. Undefined when none is found:
 * the engine then learns the key on its first connection.
 */
export function hostKeyFingerprint(sshHostKeyDir: string): { fingerprint: string; file: string } | undefined {
  for (const t of ['rsa', 'ecdsa', 'ed25519']) {
    const file = join(sshHostKeyDir, `ssh_host_${t}_key.pub`);
    try {
      const key = parsePublicKey(readFileSync(file, 'utf8'));
      return { fingerprint: sshFingerprint(key.blob), file };
    } catch {
      /* next type */
    }
  }
  return undefined;
}
