// Drives the manager screens' forms (src/ui/form) in a real pseudo-terminal by
// keys alone: Down moves the focus (›), Enter edits a text field and Enter
// commits it, space cycles a choice; each key's effect is seen on screen
// before the next key (no fixed sleeps).
import type { Terminal } from './tty.ts';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** The label of the focused field (› marks it). */
const focusedLabel = (sc: string) => /^\s*› (\S.*?)\s{2,}/m.exec(sc)?.[1];
const lineOf = (sc: string, label: string) => sc.split('\n').find((l) => new RegExp(`^\\s*› ${escape(label)}\\s`).test(l)) ?? '';

export class FormKeys {
  constructor(private readonly term: Terminal) {}

  /** Move down (one key at a time, each seen on screen) until `label` has the focus. */
  async focus(label: string): Promise<void> {
    for (let i = 0; i < 14; i++) {
      const sc = this.term.screen();
      if (new RegExp(`^\\s*› ${escape(label)}\\s`, 'm').test(sc)) return;
      const cur = focusedLabel(sc);
      this.term.press('Down');
      await this.term.waitFor((x) => focusedLabel(x) !== cur, 5000);
    }
    await this.term.waitFor(`› ${label}`, 2000);
  }

  /** Focus `label`, edit it (Enter), replace its text and commit it (Enter). */
  async text(label: string, text: string): Promise<void> {
    await this.focus(label);
    this.term.press('Enter');
    // Editing once the key bar has dropped the form's own keys.
    await this.term.waitFor((sc) => !sc.includes('Edit field'));
    this.term.press('C-u');
    this.term.type(text);
    this.term.press('Enter');
    await this.term.waitFor((sc) => sc.includes('Edit field') && lineOf(sc, label).includes(text));
  }

  /** Focus `label` and cycle its choices (space) until `value` shows. */
  async choose(label: string, value: string): Promise<void> {
    await this.focus(label);
    // The focused choice shows its value, then maybe a hint of the choices.
    const shows = (sc: string) => new RegExp(`\\s${escape(value)}(\\s{2}|\\s*$)`).test(lineOf(sc, label));
    for (let i = 0; i < 20 && !shows(this.term.screen()); i++) {
      const was = lineOf(this.term.screen(), label);
      this.term.press('Space');
      await this.term.waitFor((x) => lineOf(x, label) !== was, 5000);
    }
    await this.term.waitFor(shows, 2000);
  }

  /** Jump with the command palette (`:` then the alias, Enter) and wait for the screen's text. */
  async jump(alias: string, shows: string | RegExp): Promise<void> {
    this.term.press(':');
    await this.term.waitFor('Type to filter; Enter runs');
    this.term.type(alias);
    this.term.press('Enter');
    await this.term.waitFor(shows, 15_000);
  }
}
