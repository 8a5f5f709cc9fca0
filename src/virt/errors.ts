// libvirt reports every failure as text (virsh's "error:" lines, the
// binding's LibvirtError message), so the category a front end maps is read
// from libvirt's own words here, once, where libvirt is reached.
import { CoreError, type ErrorCategory } from '../domain/errors.ts';

const NOT_FOUND = /failed to get (domain|pool|vol|network)|no domain named|no domain with matching|Domain not found|Domain snapshot not found|snapshot not found|Storage pool not found|Storage volume not found|Network not found|no storage vol(ume)? with matching|no storage pool with matching|no network with matching/i;
// VIR_ERR_OPERATION_INVALID and the "already" family: the object is there, its state forbids the call.
const WRONG_STATE = /Requested operation is not valid|domain is not running|is already (active|running)|already exists|Domain has already been started/i;
// VIR_ERR_OPERATION_DENIED on a read-only connection (while an engine owns the host): not allowed here.
const READ_ONLY = /read only access prevents/i;

/** The category of a libvirt failure, from its message. */
export function libvirtCategory(message: string): ErrorCategory {
  if (READ_ONLY.test(message)) return 'forbidden';
  if (NOT_FOUND.test(message)) return 'not-found';
  if (WRONG_STATE.test(message)) return 'state';
  return 'failed';
}

/** A failure libvirt reported, in libvirt's words. */
export class VirtError extends CoreError {
  readonly category: ErrorCategory;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.category = libvirtCategory(message);
    this.name = 'VirtError';
  }
}
