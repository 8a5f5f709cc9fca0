// CHAP secrets at rest: AES-256-GCM (node:crypto) with a 32-byte key in a
// file only root can read (0600, created on first use next to the state DB).
// The connection id and the field name are the additional authenticated
// data, so a stored secret cannot be moved to another connection or field.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const KEY_FILE_NAME = 'storage-secrets.key';
const PREFIX = 'aes256gcm:v1:';

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

/** Where the key lives: beside the state DB (/var/lib/hostdeck/storage-secrets.key by default). */
export function defaultKeyFile(dbPath: string): string {
  if (!dbPath || dbPath === ':memory:') throw new SecretKeyError('an in-memory state DB needs an explicit key file for storage secrets');
  return join(dirname(dbPath), KEY_FILE_NAME);
}

/** Read the key, creating it (0600, in a 0700 directory) when it does not exist; refuse one others can read. */
export function loadKey(file: string): Buffer {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new SecretKeyError(`cannot read the secret key ${file}: ${(e as Error).message}`);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return loadKey(file);
      throw new SecretKeyError(`cannot create the secret key ${file}: ${(e2 as Error).message}`);
    }
    try {
      const key = randomBytes(32);
      writeSync(fd, key.toString('base64') + '\n');
      if ((fstatSync(fd).mode & 0o077) !== 0) throw new SecretKeyError(`${file} was created readable by others`);
      return key;
    } finally {
      closeSync(fd);
    }
  }
  if ((st.mode & 0o077) !== 0) throw new SecretKeyError(`the secret key ${file} is readable by others (mode ${(st.mode & 0o777).toString(8)}); run chmod 600 ${file}`);
  if (typeof process.getuid === 'function' && process.getuid() === 0 && st.uid !== 0) throw new SecretKeyError(`the secret key ${file} is not owned by root`);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new SecretKeyError(`the secret key ${file} is not a 32-byte base64 key`);
  return key;
}

export interface SecretBox {
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

/** Seal and open secrets with the key in `file` (read lazily, on first use). */
export function secretBox(file: string): SecretBox {
  let key: Buffer | undefined;
  const k = () => (key ??= loadKey(file));
  return {
    seal(plain, context) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k(), iv);
      c.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    open(sealed, context) {
      if (!sealed.startsWith(PREFIX)) throw new SecretKeyError('a stored secret is not in the expected sealed form');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
      const d = createDecipheriv('aes-256-gcm', k(), raw.subarray(0, 12));
      d.setAAD(Buffer.from(context, 'utf8'));
      d.setAuthTag(raw.subarray(12, 28));
      try {
        return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
      } catch {
        throw new SecretKeyError(`a stored secret cannot be decrypted with ${file} (the key changed or the DB was edited); set the secret again`);
      }
    },
  };
}
