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

/** Input that breaks a rule: nothing was done. */
export class InvalidInputError extends Error {
  constructor(public readonly errors: readonly FieldError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'InvalidInputError';
  }
}

/** An object the request names (VM, snapshot, event, storage domain, connection, volume) does not exist. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The object exists but is in a state the action cannot run in (running, locked, already registered). */
export class WrongStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WrongStateError';
  }
}

/** The action is not allowed here (read-only mode, managed by an engine). */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}
