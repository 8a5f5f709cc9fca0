// What the per-object modules (domains, snapshots, pools, networks,
// statistics) need of an open libvirt connection: its URI, virsh on it, and
// calls through the binding that mark the connection down when the daemon
// is gone. VirtConnection is the one implementation.
import type { Hypervisor, Domain } from '@unraid/libvirt';
import { CoreError } from '../domain/errors.ts';
import { VirtError } from './errors.ts';
import { VirshError, type VirshArgs } from './virsh.ts';

/** virsh on one connection: arguments built by virshArgs -> its standard output. */
export type Virsh = (args: VirshArgs, opts?: { timeoutMs?: number }) => Promise<string>;

export interface VirtLink {
  readonly uri: string;
  virsh: Virsh;
  call<T>(fn: (hv: Hypervisor) => Promise<T>): Promise<T>;
  /** Run `fn` on the domain named `name`; "no domain named" when there is none. */
  withDomain<T>(name: string, fn: (hv: Hypervisor, d: Domain) => Promise<T>): Promise<T>;
}

/**
 * The binding's errors as VirtErrors (categorised by their text), without
 * the binding's "LibvirtError: ... (code: -1, domain: -1, level: -1)"
 * wrapping; hostdeck's own errors thrown inside a call pass unchanged.
 */
export function virtError(err: unknown): Error {
  if (err instanceof CoreError) return err;
  if (!(err instanceof Error)) return new VirtError(String(err));
  const m = err.message.replace(/^LibvirtError:\s*/, '').replace(/\s*\(code: -?\d+, domain: -?\d+, level: -?\d+\)\s*$/, '');
  return new VirtError(m, { cause: err });
}

/** libvirt errors that mean the connection itself is gone (daemon stopped or socket closed). */
export function isConnectionError(err: unknown): boolean {
  const m = err instanceof VirshError ? `${err.message} ${err.result.stderr}` : err instanceof Error ? err.message : String(err);
  return /(not connected|connection (closed|reset)|Cannot recv data|Cannot write data|Failed to connect socket|failed to connect to the hypervisor|End of file while reading|client socket is closed|no connection driver|invalid connection pointer|Broken pipe|Disconnected from)/i.test(m);
}
