// A manager list as the operator sees it: the rows its `/` filter lets
// through (the expression over each row's words), in the chosen order, the
// table's height for that many rows, and the selection kept by key. The
// templates, pools, data centers, clusters and logical networks screens
// share it, so they filter, sort and select alike.
import { useMemo } from 'react';
import { makeFilter } from '../domain/filter.ts';
import { useSelection } from './list.ts';
import type { Binding } from './types.ts';

export interface ListView<R> {
  filter: string;
  /** A row's words the filter looks at. */
  text: (r: R) => readonly string[];
  /** The order rows are shown in. */
  compare: (a: R, b: R) => number;
  /** What the order depends on (the sort column and direction): the rows are arranged again when it changes. */
  orderBy: unknown;
  key: (r: R) => string;
  /** The table's height (header included) for this many shown rows. */
  height: (shown: number) => number;
}

export interface FilteredList<R> {
  shown: R[];
  selected: string | undefined;
  sel: R | undefined;
  /** ↑/↓/PgUp/PgDn/Home/End over the shown rows. */
  nav: Binding[];
  tableH: number;
  /** Why the filter's expression is not one (every row is shown meanwhile). */
  filterError: string | undefined;
}

export function useFilteredList<R>(rows: readonly R[] | undefined, v: ListView<R>): FilteredList<R> {
  const rowFilter = useMemo(() => makeFilter(v.filter), [v.filter]);
  // text and compare are the screen's functions of orderBy (new closures each render): orderBy stands for them.
  const { text, compare, key } = v;
  const shown = useMemo(() => (rows ?? []).filter((r) => Boolean(rowFilter.error) || rowFilter.test(text(r))).sort(compare),
    [rows, rowFilter, v.orderBy]);
  const keys = useMemo(() => shown.map(key), [shown]);
  const tableH = v.height(shown.length);
  const { selected, bindings: nav } = useSelection(keys, tableH - 1);
  return { shown, selected, sel: shown.find((r) => key(r) === selected), nav, tableH, filterError: rowFilter.error };
}

/** Ascending or descending by one value of each row (numbers as numbers, the rest as text). */
export function compareBy<R>(value: (r: R) => string | number, desc = false): (a: R, b: R) => number {
  return (a, b) => {
    const x = value(a);
    const y = value(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return desc ? -c : c;
  };
}
