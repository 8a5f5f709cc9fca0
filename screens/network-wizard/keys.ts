// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const NETWORK_WIZARD_KEYS = {
  nextStep: { keys: ['N', 'ctrl+n'], description: 'Next step' },
  previousStep: { keys: ['P'], description: 'Previous step' },
  stageAndApply: { keys: ['A'], description: 'Stage and apply', dangerous: true },
  leaveTheWizard: { keys: ['escape', 'q'], description: 'Leave the wizard' },
} as const satisfies KeyTable;
