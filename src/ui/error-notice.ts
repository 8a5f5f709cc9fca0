// The console's one mapping from an error to the notice it shows: what was
// not done, then why, at the level the error's category calls for (a
// refusal by policy is a warning, not a failure of the host).
import { categoryOf } from '../domain/errors.ts';
import type { NoticeKind } from '../app/types.ts';

/** The notice for `e`: `doing` says what did not happen ("Not staged"), the error says why. */
export function errorNotice(e: unknown, doing?: string): [NoticeKind, string] {
  const why = e instanceof Error ? e.message : String(e);
  return [categoryOf(e) === 'forbidden' ? 'warning' : 'error', doing ? `${doing}: ${why}` : why];
}
