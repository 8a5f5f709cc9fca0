// The kinds of failure every front end (CLI, console, a future API) tells
// apart, defined once so each service throws them and each front end maps
// them once (the CLI: src/cli/errors.ts).

/** A rule a value breaks, named by the field it was given in ("<field label>: <rule>" in words). */
export interface FieldError {
  field: string;
  message: string;
}

/** A value checked against its rules: the clean value, or every rule it breaks. */
export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * What kind of failure an error is: the one thing a front end reads to
 * decide what to say (CLI exit status, console notice, HTTP status).
 *   invalid    the input breaks a rule (with the fields); nothing ran
 *   not-found  the object the request names does not exist
 *   state      the object is in a state the action cannot run in
 *   forbidden  the action is not allowed here
 *   failed     it was tried and did not work (unreachable, refused, timed out)
 */
export type ErrorCategory = 'invalid' | 'not-found' | 'state' | 'forbidden' | 'failed';

/**
 * The root of every error hostdeck throws on purpose. Services that need
 * their own detail (a storage code, an engine kind) subclass it and say
 * which category each detail is; front ends read only `category` and
 * `errors`, so a new kind of error needs no front-end change.
 */
export abstract class CoreError extends Error {
  abstract readonly category: ErrorCategory;
  /** The rules the input broke, by field (category 'invalid'); empty otherwise. */
  readonly errors: readonly FieldError[] = [];
}

/** The category of any thrown value: a plain Error is a failure. */
export function categoryOf(e: unknown): ErrorCategory {
  return e instanceof CoreError ? e.category : 'failed';
}

/** The field errors of an invalid-input error (a copy a form may keep); undefined for any other error. */
export function fieldErrorsOf(e: unknown): FieldError[] | undefined {
  return e instanceof CoreError && e.category === 'invalid' && e.errors.length ? [...e.errors] : undefined;
}

/** Input that breaks a rule: nothing was done. */
export class InvalidInputError extends CoreError {
  readonly category = 'invalid';
  override readonly errors: readonly FieldError[];
  /** `message` defaults to the rules' messages joined. */
  constructor(errors: readonly FieldError[], message = errors.map((e) => e.message).join('; ')) {
    super(message);
    this.errors = errors;
    this.name = 'InvalidInputError';
  }
}

/** An object the request names (VM, snapshot, event, storage domain, connection, volume) does not exist. */
export class NotFoundError extends CoreError {
  readonly category = 'not-found';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

/** The object exists but is in a state the action cannot run in (running, locked, already registered). */
export class WrongStateError extends CoreError {
  readonly category = 'state';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WrongStateError';
  }
}

/** The action is not allowed here (read-only mode, managed by an engine). */
export class ForbiddenError extends CoreError {
  readonly category = 'forbidden';
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** The identity holds no role granting the permit the action needs on its object (or above it). */
export class PermissionDeniedError extends ForbiddenError {
  constructor(message: string, readonly permit: string | undefined) {
    super(message);
    this.name = 'PermissionDeniedError';
  }
}
