// Leaving a form the operator has typed into: what was typed is lost, so the
// shell asks first, and the dialog's default (Enter, Esc, n) keeps the form.
import type { Shell } from './types.ts';

/** True when the form may close: nothing was typed, or the operator chose to discard `what`. */
export async function mayDiscard(shell: Pick<Shell, 'confirm'>, typed: boolean, what: string): Promise<boolean> {
  return !typed || shell.confirm(`Discard ${what}? What you entered is lost; nothing has been changed.`, { yes: 'Discard', dangerous: false });
}
