// Form helpers for component tests on test/lib/ink.tsx.
import { KEYS, type renderTui } from './ink.tsx';

/** Edit the focused text field: Enter, wait until editing (the key bar drops "Edit field"), clear, type, Enter. */
export async function setTextIn(ui: ReturnType<typeof renderTui>, value: string): Promise<void> {
  await ui.waitFor('Edit field');
  await ui.press(KEYS.enter);
  await ui.waitFor((f) => !f.includes('Edit field'));
  await ui.press('\x15'); // Ctrl-U clears
  await ui.type(value);
  await ui.press(KEYS.enter);
  await ui.waitFor('Edit field');
}
