// The staged set: changes checked against the host's configuration and what
// is staged before them, written only when nobody changed the set meanwhile.
import { ChangeChain, describeChange, type NetChange, type NetConfig } from '../domain/net/model.ts';
import { NetValidationError, validateChange, type FieldError } from '../domain/net/validate.ts';
import type { Db } from '../manager/db.ts';
import { clearStaged, insertStaged, listStaged, stagedMark, type StagedMark } from '../manager/repos/net-staged.ts';
import { NetError } from './network-errors.ts';

type Progress = (phase: 'checking' | 'staging', done: number, total: number) => void;

export type StagedSet = ReturnType<typeof stagedSet>;

export function stagedSet(db: () => Db, user: () => string, now: () => number) {
  const list = () => listStaged(db());
  return {
    list,
    mark: () => stagedMark(db()),
    /** Throws NetValidationError naming each change that does not fit (with its place in a list). */
    check(changes: readonly NetChange[], base: NetConfig, replace: boolean, progress: Progress = () => {}): void {
      const chain = new ChangeChain(base);
      if (!replace) for (const c of list()) if (validateChange(c, chain.config).length === 0) chain.apply(c);
      const errors: FieldError[] = [];
      changes.forEach((c, i) => {
        const e = validateChange(c, chain.config);
        const where = changes.length > 1 ? `change ${i + 1} (${describeChange(c)}): ` : '';
        if (e.length) errors.push(...e.map((x) => ({ field: x.field, message: `${where}${x.message}` })));
        else chain.apply(c);
        progress('checking', i + 1, changes.length);
      });
      if (errors.length) throw new NetValidationError(errors);
    },
    /** Inside the caller's transaction: refuses when the set changed since `seen`. */
    write(changes: readonly NetChange[], seen: StagedMark, replace: boolean, progress: Progress = () => {}): number {
      const m = stagedMark(db());
      if (m.n !== seen.n || m.last !== seen.last) throw new NetError('the staged changes changed while these were checked (another session staged or discarded); try again', 'pending');
      if (replace) clearStaged(db());
      insertStaged(db(), changes, user(), new Date(now()).toISOString(), (done) => progress('staging', done, changes.length));
      return changes.length;
    },
    clear: () => clearStaged(db()),
    /** What a rollback undid, staged again for another try (only when nothing else was staged meanwhile). */
    restage(changes: readonly NetChange[]): void {
      if (!changes.length || list().length) return;
      insertStaged(db(), changes, user(), new Date(now()).toISOString());
    },
  };
}
