// Errors of the registration, each with a kind the screens can act on and a
// message an operator understands without reading a stack trace.
import type { FieldError } from '../../domain/engine.ts';
import { CoreError, type ErrorCategory } from '../../domain/errors.ts';
export type EngineErrorKind =
  | 'input' // bad input, nothing ran
  | 'dns' // name does not resolve
  | 'refused' // connection refused
  | 'unreachable' // no route, network down
  | 'timeout' // no answer in time
  | 'tls' // server certificate does not match the accepted CA / name
  | 'http' // engine answered with an error status (400: its own text)
  | 'protocol' // engine answered something this protocol does not expect
  | 'unsupported' // get-version is not 1
  | 'fingerprint' // CA fingerprint differs from the one given in advance
  | 'rejected' // the operator did not accept the CA
  | 'untrusted' // no fingerprint, no confirmation possible (no TTY)
  | 'local' // writing a file on this host failed
  | 'state'; // already registered, not registered

// Everything the engine or the network did is a failure to register; only
// the operator's input and this host's registration state are not.
const categoryOfKind = (kind: EngineErrorKind): ErrorCategory => (kind === 'input' ? 'invalid' : kind === 'state' ? 'state' : 'failed');

export class EngineError extends CoreError {
  readonly category: ErrorCategory;
  constructor(public readonly kind: EngineErrorKind, message: string, public readonly status?: number) {
    super(message);
    this.category = categoryOfKind(kind);
    this.name = 'EngineError';
  }
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'HOSTNAME_MISMATCH',
]);

/** Turn a socket / TLS error from node:https into an EngineError with a human message. */
export function humanizeNetworkError(err: NodeJS.ErrnoException, target: { host: string; port: number; verified: boolean }): EngineError {
  const where = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  const code = err.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_NODATA') {
    return new EngineError('dns', `${target.host}: the name does not resolve${code === 'EAI_AGAIN' ? ' (DNS did not answer)' : ''}; check the engine name and this host's DNS servers, or give the engine's IP address`);
  }
  if (code === 'ECONNREFUSED') return new EngineError('refused', `${where}: connection refused; is the engine running, and is ${target.port} its HTTPS port?`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN' || code === 'ENETDOWN') {
    return new EngineError('unreachable', `${where}: not reachable from this host (${code === 'ENETUNREACH' || code === 'ENETDOWN' ? 'no route to that network' : 'host unreachable'}); check the management network and gateway`);
  }
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return new EngineError('timeout', `${where}: no answer in time; check that the engine is up and that no firewall drops the traffic`);
  if (code === 'ECONNRESET' || code === 'EPIPE') return new EngineError('protocol', `${where}: the connection was closed by the other end; is this an HTTPS port of an oVirt engine?`);
  if (TLS_CODES.has(code) || /certificate|self.signed|altname/i.test(err.message)) {
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
      return new EngineError('tls', `${where}: certificate mismatch: the engine's certificate is not issued for the name "${target.host}"; use the engine's FQDN as it appears in its certificate`);
    }
    if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return new EngineError('tls', `${where}: certificate mismatch: the engine's certificate is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'} (check the clocks)`);
    return new EngineError('tls', `${where}: certificate mismatch: the engine's HTTPS certificate is not signed by the CA that was accepted; the connection may be intercepted`);
  }
  if (/^ERR_SSL|^ERR_TLS|EPROTO/.test(code)) return new EngineError('protocol', `${where}: TLS handshake failed (${err.message}); is this an HTTPS port?`);
  return new EngineError('protocol', `${where}: ${err.message}`);
}

/** Bad input: nothing ran. Carries every field error. */
export class EngineInputError extends EngineError {
  constructor(public override readonly errors: FieldError[]) {
    super('input', errors.map((e) => e.message).join('\n'));
    this.name = 'EngineInputError';
  }
}
