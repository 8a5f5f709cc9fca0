// Errors of the storage connections and domains: a code the CLI and the
// screens can act on, and a message that says what to do.
import { InvalidInputError } from '../../domain/errors.ts';
import type { FieldError } from '../../domain/storage/connection.ts';
import type { DomainUser, FieldError as DomainFieldError } from '../../domain/storage/domain.ts';

export type StorageErrorCode = 'invalid' | 'not-found' | 'exists' | 'busy' | 'auth' | 'unreachable' | 'daemon' | 'missing-tool' | 'timeout' | 'connected' | 'failed';

export class StorageError extends Error {
  constructor(public readonly code: StorageErrorCode, message: string) {
    super(message);
    this.name = 'StorageError';
  }
}

/** Invalid input: every field error, nothing was changed. */
export class ConnectionInputError extends StorageError {
  constructor(public readonly errors: FieldError[]) {
    super('invalid', errors.map((e) => e.message).join('; '));
    this.name = 'ConnectionInputError';
  }
}

export class DomainInputError extends InvalidInputError {
  constructor(public override readonly errors: DomainFieldError[]) {
    super(errors);
    this.name = 'DomainInputError';
  }
}

export type DomainErrorKind = 'not-found' | 'state' | 'in-use' | 'storage' | 'libvirt' | 'connection';

export class DomainError extends Error {
  constructor(public readonly kind: DomainErrorKind, message: string, public readonly users: DomainUser[] = []) {
    super(message);
    this.name = 'DomainError';
  }
}
