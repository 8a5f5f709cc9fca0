// The one mapping from an error to what the CLI prints and its exit status:
//   2  the command line is wrong: a value breaks a rule, or it names an
//      object that does not exist (VM, snapshot, event, storage domain,
//      volume, storage connection);
//   1  the action could not be done: wrong state, not allowed, or it failed.
// Every command module hands its errors here with its own field -> option
// table, so the same kind of error gets the same status on every noun.
import { InvalidInputError, NotFoundError, type FieldError } from '../domain/errors.ts';
import { NetValidationError } from '../domain/net/validate.ts';
import { EngineError, EngineInputError } from '../core/engine.ts';
import { DomainError } from '../core/storage-domains.ts';
import { ConnectionInputError, StorageError } from '../core/storage-connections.ts';
import { UsageError } from './args.ts';
import { CommandError } from './registry.ts';

export const EXIT_INVALID = 2;
export const EXIT_FAILED = 1;

/** The field errors of an input error of any service; undefined for other errors. */
function fieldProblems(e: unknown): readonly FieldError[] | undefined {
  if (e instanceof InvalidInputError || e instanceof ConnectionInputError || e instanceof EngineInputError || e instanceof NetValidationError) return e.errors;
  return undefined;
}

// libvirt's own words for an object it does not have (virsh and the library
// binding report them as text only).
const LIBVIRT_NOT_FOUND = /failed to get (domain|pool|vol|network)|no domain named|no domain with matching|Domain not found|Domain snapshot not found|Storage pool not found|Storage volume not found|Network not found|no storage vol(ume)? with matching|no storage pool with matching|no network with matching/i;

function isNotFound(e: unknown): boolean {
  return e instanceof NotFoundError
    || (e instanceof DomainError && e.kind === 'not-found')
    || (e instanceof StorageError && e.code === 'not-found')
    || (e instanceof Error && !(e instanceof StorageError) && !(e instanceof DomainError) && LIBVIRT_NOT_FOUND.test(e.message));
}

/** Exit status for an error (see the table at the top). */
export function exitCodeOf(e: unknown): number {
  if (e instanceof CommandError) return e.code;
  if (e instanceof UsageError || fieldProblems(e) || isNotFound(e)) return EXIT_INVALID;
  if ((e instanceof StorageError && e.code === 'invalid') || (e instanceof EngineError && e.kind === 'input')) return EXIT_INVALID;
  return EXIT_FAILED;
}

/**
 * The error as the CLI reports it: one line per field error (named by its
 * option through `fieldMessage`), else the error's message as one line.
 */
export function toCommandError(e: unknown, fieldMessage: (f: FieldError) => string = (f) => f.message): CommandError {
  if (e instanceof CommandError) return e;
  const problems = fieldProblems(e);
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
