// Errors of the storage connection service: a code the CLI and the screen
// can act on, and a message that says what to do.
import type { FieldError } from '../../domain/storage/connection.ts';

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
