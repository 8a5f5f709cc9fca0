// The `:` palette's entries as data: the words that reach each screen and
// action, and the check that no word reaches two of them (a shared word makes
// Enter open whichever entry happens to be listed first).
import type { ActionId } from '../core/catalog.ts';
import type { SelectedObject } from './screen-state.ts';
import { openHostShell } from './terminal-handover.ts';
import type { PaletteAction, ScreenDef } from './types.ts';

export type PaletteItem =
  | { id: string; title: string; aliases: readonly string[]; hint?: string; kind: 'screen'; screenId: string; params?: Record<string, unknown> }
  | { id: string; title: string; aliases: readonly string[]; hint?: string; kind: 'action'; action: PaletteAction };

/** The shell's own actions; their effects come from the shell. */
export function shellActions(fx: { switchTheme: () => void; quit: () => void }): PaletteAction[] {
  return [
    { id: 'theme', title: 'Switch colour theme', aliases: ['colors', 'colours', 'dark', 'light', 'contrast'], run: fx.switchTheme },
    { id: 'quit', title: 'Quit hostdeck', aliases: ['q', 'exit'], run: fx.quit },
    // A root shell can change anything: read-only mode leaves it out, and it is an event.
    { id: 'shell', title: 'Shell on this host (exit comes back here)', aliases: ['sh', 'bash', 'terminal', 'prompt', 'command line'], action: 'host.shell', dangerous: true, run: openHostShell },
  ];
}

/** What the palette offers depends on: the mode, the door's answer for an action, the object the screen on top has selected. */
export interface PaletteScope {
  readOnly: boolean;
  whyNot: (action: ActionId) => string | undefined;
  selected?: SelectedObject;
}

/**
 * Screens that can open without an object, the screens of the object the
 * screen on top has selected (opened for that object), then actions; a screen
 * or action the door refuses now (read-only mode, an engine owning the VMs)
 * is left out, as are dangerous actions in read-only mode.
 */
export function paletteItems(screens: readonly ScreenDef[], actions: readonly PaletteAction[], scope: PaletteScope): PaletteItem[] {
  const allowed = (action?: ActionId) => action === undefined || scope.whyNot(action) === undefined;
  const sel = scope.selected;
  return [
    ...screens.filter((s) => s.palette !== false && !s.object && allowed(s.action)).map((s): PaletteItem => ({ id: `screen:${s.id}`, title: s.title, aliases: [s.id, ...(s.aliases ?? [])], hint: s.description, kind: 'screen', screenId: s.id })),
    ...(sel ? screens.filter((s) => s.object === sel.kind && allowed(s.action)) : []).map((s): PaletteItem => ({ id: `screen:${s.id}`, title: `${s.title}: ${sel!.label}`, aliases: s.aliases ?? [], hint: s.description, kind: 'screen', screenId: s.id, params: sel!.params })),
    ...actions.filter((a) => !(scope.readOnly && a.dangerous) && allowed(a.action)).map((a): PaletteItem => ({ id: `action:${a.id}`, title: a.title, aliases: a.aliases ?? [], hint: a.dangerous ? 'changes the host' : undefined, kind: 'action', action: a })),
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
