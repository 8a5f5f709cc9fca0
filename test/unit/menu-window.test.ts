// The dashboard menu's window over more entries than its rows: the selection
// always inside it, a line for the entries above and below where there are some.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { menuWindow } from '../../screens/dashboard/Dashboard.tsx';

describe('the menu window', () => {
  it('shows every entry when they fit', () => {
    assert.deepEqual(menuWindow(10, 9, 10), { first: 0, end: 10 });
  });
  it('follows the selection with the lines for "more above" and "more below" counted in its room', () => {
    const room = 8;
    for (let sel = 0; sel < 30; sel++) {
      const w = menuWindow(30, sel, room);
      assert.ok(sel >= w.first && sel < w.end, `selection ${sel} in ${JSON.stringify(w)}`);
      const lines = w.end - w.first + (w.first > 0 ? 1 : 0) + (w.end < 30 ? 1 : 0);
      assert.ok(lines <= room, `${lines} lines for room ${room} at ${sel}`);
    }
    assert.deepEqual(menuWindow(30, 0, room), { first: 0, end: 7 });
    assert.deepEqual(menuWindow(30, 29, room), { first: 23, end: 30 });
  });
});
