// Typing into the field being edited, the same in every form: text, pasted
// chunks and the Enter that ends them arrive one key at a time; Enter or Tab
// commits (Tab then moves on), Esc cancels. The shell's keys come back when
// the edit ends (not when the form edits its next field at once). Active only
// while this screen is on top and a field is edited.
import { useRef } from 'react';
import { useInput } from 'ink';
import type { Shell } from '../../app/types.ts';
import { editText } from '../TextLine.tsx';
import { keyEvents } from './key-events.ts';

export interface FormInputHandlers {
  draft: (value: string) => void;
  /**
   * Enter or Tab ended the edit of `draft` (as typed, ahead of the render that
   * shows it). A form typed straight through edits another field at once and
   * returns 'editing' so the keys stay with it.
   */
  commit: (end: { key: 'enter' | 'tab'; draft: string }) => void | 'editing';
  cancel: () => void;
  /** After Tab's commit: focus the next field. */
  next?: () => void;
}

export function useFormInput(shell: Pick<Shell, 'setCapture'>, form: { editing: boolean; draft: string }, active: boolean, on: FormInputHandlers): void {
  // The draft as typed so far, ahead of the render that shows it.
  const draft = useRef(form.draft);
  draft.current = form.draft;
  useInput((input, key) => {
    for (const [i, k] of keyEvents(input, key)) {
      if (k.escape) { on.cancel(); shell.setCapture(false); return; }
      if (k.return || k.tab) {
        if (on.commit({ key: k.tab ? 'tab' : 'enter', draft: draft.current }) !== 'editing') shell.setCapture(false);
        if (k.tab) on.next?.();
        return;
      }
      const next = editText(draft.current, i, k);
      if (next !== undefined) { draft.current = next; on.draft(next); }
    }
  }, { isActive: active && form.editing });
}
