// The one mapping from an error to what the CLI prints and its exit status:
//   2  the command line is wrong: a value breaks a rule, or it names an
//      object that does not exist (VM, snapshot, event, storage domain,
//      volume, storage connection);
//   1  the action could not be done: wrong state, not allowed, or it failed;
//   4  permission denied: the identity (--user) holds no role granting the
//      permit the action needs on its object (the message names the permit).
// Every command module hands its errors here with its own field -> option
// table, so the same kind of error gets the same status on every noun.
import { categoryOf, fieldErrorsOf, PermissionDeniedError, type FieldError } from '../domain/errors.ts';
import { UsageError } from './args.ts';
import { CommandError } from './registry.ts';

export const EXIT_INVALID = 2;
export const EXIT_FAILED = 1;
export const EXIT_DENIED = 4;

/** Exit status for an error (see the table at the top). */
export function exitCodeOf(e: unknown): number {
  if (e instanceof CommandError) return e.code;
  if (e instanceof UsageError) return EXIT_INVALID;
  if (e instanceof PermissionDeniedError) return EXIT_DENIED;
  const category = categoryOf(e);
  return category === 'invalid' || category === 'not-found' ? EXIT_INVALID : EXIT_FAILED;
}

/**
 * The error as the CLI reports it: one line per field error (named by its
 * option through `fieldMessage`), else the error's message as one line.
 */
export function toCommandError(e: unknown, fieldMessage: (f: FieldError) => string = (f) => f.message): CommandError {
  if (e instanceof CommandError) return e;
  const problems = fieldErrorsOf(e);
  if (problems?.length) return new CommandError(problems.map(fieldMessage), EXIT_INVALID);
  return new CommandError(e instanceof Error ? e.message : String(e), exitCodeOf(e));
}

/** Run a service call, turning what it throws into the CLI's error. */
export async function cliGuard<T>(fn: () => Promise<T> | T, fieldMessage?: (f: FieldError) => string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toCommandError(e, fieldMessage);
  }
}
