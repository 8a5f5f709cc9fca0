import { WrongStateError } from '../domain/errors.ts';

/** A network apply that cannot go on: another is pending, nothing to apply, it failed or was rolled back. */
export class NetError extends WrongStateError {
  constructor(message: string, public readonly kind: 'pending' | 'nothing' | 'failed' | 'rolled-back' | 'none-pending' = 'failed') {
    super(message);
    this.name = 'NetError';
  }
}
