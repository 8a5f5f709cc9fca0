// Local directory connections: nothing to mount; the directory must exist,
// be a directory and be writable. Its mount path is the directory itself.
import type { LocalParams } from '../../domain/storage/connection.ts';
import { StorageError } from './errors.ts';
import type { HostFs, Runner } from './fs.ts';

export async function checkLocalDir(runner: Runner, fs: HostFs, p: LocalParams): Promise<void> {
  if (!(await fs.exists(p.path))) throw new StorageError('not-found', `${p.path} does not exist; create it first (mkdir -p ${p.path})`);
  if (!(await fs.isDir(p.path))) throw new StorageError('invalid', `${p.path} is not a directory`);
  const w = await runner.run('test', ['-w', p.path]);
  if (w.exitCode !== 0) throw new StorageError('failed', `${p.path} is not writable by hostdeck`);
}
