// Counts the operator reads in a sentence, the noun (and verb) agreeing with
// the number, each counted from what the operator sees.

/** "1 port", "3 ports"; `many` for a plural that is not the noun plus s. */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Staged network changes, counted as the lines of their diff (what the screen and `net diff` show). */
export function stagedChanges(n: number): string {
  return countOf(n, 'staged change');
}

/** A form's summary when more than one field is marked: the number is the fields marked. */
export function fieldsNeedAttention(n: number): string {
  return `${countOf(n, 'field')} ${n === 1 ? 'needs' : 'need'} attention`;
}
