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

/** What a form says when it refuses: the one marked field's message, else how many fields are marked (not how many rules broke). */
export function formRefusal(marked: Partial<Record<string, string>> | readonly { field: string; message: string }[]): string {
  let byField: string[];
  if (Array.isArray(marked)) {
    const grouped = new Map<string, string[]>();
    for (const e of marked as readonly { field: string; message: string }[]) grouped.set(e.field, [...(grouped.get(e.field) ?? []), e.message]);
    byField = [...grouped.values()].map((m) => m.join('; '));
  } else byField = Object.values(marked as Partial<Record<string, string>>).filter((m): m is string => Boolean(m));
  return byField.length === 1 ? byField[0]! : fieldsNeedAttention(byField.length);
}

/** A rule's message says which field broke it by the field's id ("chapSecret: ..."): a form names it by its label instead. */
export function labelled(message: string, id: string, label: string | undefined): string {
  return label && message.startsWith(`${id}: `) ? `${label}: ${message.slice(id.length + 2)}` : message;
}
