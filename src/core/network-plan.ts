// The staged network changes as a plan: each change checked against the
// configuration the ones before it leave, the configuration they lead to and
// its diff against the host's.
import { diffConfig } from '../domain/net/diff.ts';
import { ChangeChain, describeChange, type NetConfig } from '../domain/net/model.ts';
import { NetValidationError, validateChange, validateConfig, type FieldError } from '../domain/net/validate.ts';
import { NetError } from './network-errors.ts';
import type { StagedSet } from './network-staged.ts';

export function stagedPlan(set: Pick<StagedSet, 'list'>, current: () => Promise<NetConfig>) {
  async function desiredState(cur?: NetConfig) {
    const base = cur ?? (await current());
    const chain = new ChangeChain(base);
    const errors: FieldError[] = [];
    for (const c of set.list()) {
      const e = validateChange(c, chain.config);
      if (e.length) errors.push(...e.map((x) => ({ field: x.field, message: `${describeChange(c)}: ${x.message}` })));
      else chain.apply(c);
    }
    if (errors.length) throw new NetValidationError(errors);
    return { current: base, desired: chain.config, diff: diffConfig(base, chain.config) };
  }

  /** The staged changes checked as a whole: what applying them would change. */
  async function planned(readNow?: NetConfig) {
    const plan = await desiredState(readNow);
    if (!plan.diff.length) throw new NetError('nothing to apply: the staged changes match the current configuration', 'nothing');
    const whole = validateConfig(plan.desired).filter((e) => !validateConfig(plan.current).some((x) => x.message === e.message));
    if (whole.length) throw new NetValidationError(whole);
    return plan;
  }

  return { desiredState, planned };
}
