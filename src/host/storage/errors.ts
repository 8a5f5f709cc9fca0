// Errors of the storage connections and domains: a code the CLI and the
// screens can act on, and a message that says what to do.
import { CoreError, InvalidInputError, type ErrorCategory } from '../../domain/errors.ts';
import type { FieldError } from '../../domain/storage/connection.ts';
import type { DomainUser, FieldError as DomainFieldError } from '../../domain/storage/domain.ts';

export type StorageErrorCode = 'invalid' | 'not-found' | 'exists' | 'busy' | 'auth' | 'unreachable' | 'daemon' | 'missing-tool' | 'timeout' | 'connected' | 'failed';

const STORAGE_CATEGORY: Record<StorageErrorCode, ErrorCategory> = {
  invalid: 'invalid',
  'not-found': 'not-found',
  exists: 'state',
  busy: 'state',
  connected: 'state',
  auth: 'failed',
  unreachable: 'failed',
  daemon: 'failed',
  'missing-tool': 'failed',
  timeout: 'failed',
  failed: 'failed',
};

export class StorageError extends CoreError {
  readonly category: ErrorCategory;
  constructor(public readonly code: StorageErrorCode, message: string) {
    super(message);
    this.category = STORAGE_CATEGORY[code];
    this.name = 'StorageError';
  }
}

/** Invalid input: every field error, nothing was changed. */
export class ConnectionInputError extends StorageError {
  constructor(public override readonly errors: FieldError[]) {
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

const DOMAIN_CATEGORY: Record<DomainErrorKind, ErrorCategory> = {
  'not-found': 'not-found',
  state: 'state',
  'in-use': 'state',
  connection: 'state', // its storage connection is not connected
  storage: 'failed',
  libvirt: 'failed',
};

export class DomainError extends CoreError {
  readonly category: ErrorCategory;
  constructor(public readonly kind: DomainErrorKind, message: string, public readonly users: DomainUser[] = []) {
    super(message);
    this.category = DOMAIN_CATEGORY[kind];
    this.name = 'DomainError';
  }
}
