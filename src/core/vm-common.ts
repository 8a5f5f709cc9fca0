// What the VM and snapshot use cases share: their errors, the VM lookup as
// hostdeck says it, and the order every VM action keeps (the door first,
// then the checks that change nothing, then the action with its events).
import { categoryOf, InvalidInputError, NotFoundError, WrongStateError } from '../domain/errors.ts';
import type { FieldError } from '../domain/vm-create.ts';
import type { Availability } from '../domain/vm.ts';
import type { DomainInfo } from '../virt/types.ts';
import type { ActionId } from './catalog.ts';
import type { ActRequest, ObjectRef } from './door.ts';
import type { CoreContext } from './index.ts';

/** Input that breaks a rule: nothing was done. The CLI exits 2. */
export class VmInputError extends InvalidInputError {
  constructor(public override readonly errors: FieldError[]) {
    super(errors);
    this.name = 'VmInputError';
  }
}

/** The action cannot run now (VM state, libvirt refused); the CLI exits 1. */
export class VmActionError extends WrongStateError {
  constructor(message: string) {
    super(message);
    this.name = 'VmActionError';
  }
}

export function need(what: string, name: string, a: Availability): void {
  if (!a.available) throw new VmActionError(`cannot ${what} ${name}: ${a.reason}`);
}

/** libvirt's "no such domain" as hostdeck says it; any other failure as a refused action. */
export function vmLookupError(e: unknown, name: string): Error {
  if (categoryOf(e) === 'not-found') return new NotFoundError(`no VM named '${name}' (see hostdeck vm list)`, { cause: e });
  return new VmActionError((e as Error).message);
}

/** One VM as libvirt describes it; a VM that is not there is a NotFoundError naming it. */
export async function vmInfo(ctx: CoreContext, name: string): Promise<DomainInfo> {
  try {
    return await ctx.infra.virt.domainGet(name);
  } catch (e) {
    throw vmLookupError(e, name);
  }
}

/**
 * Every domain name. The access layer's list reads each domain after listing
 * them, so a domain removed meanwhile (by anyone) fails the whole call: read again.
 */
export async function domainNames(ctx: CoreContext): Promise<string[]> {
  for (let i = 0; ; i++) {
    try {
      return (await ctx.infra.virt.domainList()).map((d) => d.name);
    } catch (e) {
      if (i >= 4 || categoryOf(e) !== 'not-found') throw e;
    }
  }
}

export interface VmAct<P, T> {
  /** The object the event names (a VM, or the clone's new name). */
  object: string;
  /** The event's words; `describe` replaces it once the checks have run (it may need what they read). */
  message: string;
  describe?: (checked: P) => string;
  /** The event's object type when it is not the catalog's (snapshot events are filed under their VM). */
  objectType?: string;
  /** Input and state checks: what they refuse writes no event and changes nothing. */
  check: () => Promise<P>;
  run: (checked: P) => Promise<T>;
}

/** What a use case hands to its one `ctx.door.act(id, ...)` call. */
export interface Prepared<T> {
  object: ObjectRef;
  req: ActRequest;
  fn: () => Promise<T>;
}

/**
 * The order of a checked VM action: the door decides before anything is
 * read, so a refused action says why whatever its input, with its refusal
 * as its only event; then the checks (no event for what they refuse); then
 * the action with its started and result events, in the caller's door.act.
 */
export async function prepare<P, T>(ctx: CoreContext, id: ActionId, a: VmAct<P, T>): Promise<Prepared<T>> {
  let checked: { p: P } | undefined;
  if (ctx.door.whyNot(id) === undefined) checked = { p: await a.check() };
  const message = checked && a.describe ? a.describe(checked.p) : a.message;
  return {
    object: { id: a.object },
    req: { message, ...(a.objectType ? { objectType: a.objectType } : {}) },
    // The lock can change between the question and the act (another process registers): then the door refuses there.
    fn: async () => a.run((checked ??= { p: await a.check() }).p),
  };
}
