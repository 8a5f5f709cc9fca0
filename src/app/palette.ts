// The `:` palette's entries as data: the words that reach each screen and
// action, and the check that no word reaches two of them (a shared word makes
// Enter open whichever entry happens to be listed first).
import type { PaletteAction, ScreenDef } from './types.ts';

export type PaletteItem =
  | { id: string; title: string; aliases: readonly string[]; hint?: string; kind: 'screen'; screenId: string }
  | { id: string; title: string; aliases: readonly string[]; hint?: string; kind: 'action'; action: PaletteAction };

/** The shell's own actions; their effects come from the shell. */
export function shellActions(fx: { switchTheme: () => void; quit: () => void }): PaletteAction[] {
  return [
    { id: 'theme', title: 'Switch colour theme', aliases: ['colors', 'colours', 'dark', 'light', 'contrast'], run: fx.switchTheme },
    { id: 'quit', title: 'Quit hostdeck', aliases: ['q', 'exit'], run: fx.quit },
  ];
}

/** Screens that can open without parameters, then actions (dangerous ones dropped in read-only mode). */
export function paletteItems(screens: readonly ScreenDef[], actions: readonly PaletteAction[], readOnly: boolean): PaletteItem[] {
  return [
    ...screens.filter((s) => s.palette !== false).map((s): PaletteItem => ({ id: `screen:${s.id}`, title: s.title, aliases: [s.id, ...(s.aliases ?? [])], hint: s.description, kind: 'screen', screenId: s.id })),
    ...actions.filter((a) => !(readOnly && a.dangerous)).map((a): PaletteItem => ({ id: `action:${a.id}`, title: a.title, aliases: a.aliases ?? [], hint: a.dangerous ? 'changes the host' : undefined, kind: 'action', action: a })),
  ];
}

/** Every word (title or alias, case-folded) that more than one entry answers to, with those entries. */
export function paletteCollisions(items: readonly { id: string; title: string; aliases?: readonly string[] }[]): { word: string; ids: string[] }[] {
  const owners = new Map<string, Set<string>>();
  for (const item of items) {
    for (const w of [item.title, ...(item.aliases ?? [])]) {
      const word = w.toLowerCase().trim();
      owners.set(word, (owners.get(word) ?? new Set()).add(item.id));
    }
  }
  return [...owners].filter(([, ids]) => ids.size > 1).map(([word, ids]) => ({ word, ids: [...ids] }));
}
