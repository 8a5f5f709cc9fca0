// The long chart windows' rules: the history's points up to the live ring,
// and a gap where the history has none, so the chart breaks its line there.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CHART_WINDOWS, joinHistory, nextWindow } from '../../src/domain/chart-windows.ts';
import { drawBraille } from '../../src/ui/braille.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('chart windows', () => {
  it('> and < step through 5 min .. a year and stay at the ends', () => {
    assert.deepEqual(CHART_WINDOWS.map((w) => w.label), ['5 min', '15 min', '60 min', 'day', 'week', 'month', 'year']);
    assert.deepEqual(CHART_WINDOWS.map((w) => w.history), [false, false, false, true, true, true, true]);
    assert.equal(nextWindow(0, -1), 0);
    assert.equal(nextWindow(6, 1), 6);
    assert.equal(nextWindow(2, 1), 3);
  });

  it('the history stops where the live ring starts; the live ring is kept whole', () => {
    const history = [0, 1, 2, 3].map((i) => ({ t: i * MIN, v: 10 + i }));
    const live = [{ t: 2.5 * MIN, v: 99 }, { t: 2.5 * MIN + 1000, v: 98 }];
    assert.deepEqual(joinHistory(history, live, MIN), [history[0], history[1], history[2], ...live]);
    assert.deepEqual(joinHistory(history, [], MIN), history);
    assert.deepEqual(joinHistory([], live, MIN), live);
  });

  it('a gap of more than a few steps gets a point without a value; steps apart, none', () => {
    const p = (t: number, v = 1) => ({ t, v });
    const joined = joinHistory([p(0), p(HOUR), p(2 * HOUR), p(10 * HOUR)], [], HOUR);
    assert.equal(joined.length, 5);
    assert.ok(Number.isNaN(joined[3]!.v), 'a break between the third and the last hour');
    assert.equal(joined[3]!.t, 3 * HOUR);
  });

  it('the chart draws no line across a point without a value', () => {
    const opts = { width: 10, height: 1, from: 0, to: 9, max: 1 };
    const dots = (points: { t: number; v: number }[]) => drawBraille([{ points }], opts).rows[0]!.split('').filter((c) => c !== ' ').length;
    const across = [{ t: 0, v: 1 }, { t: 9, v: 1 }];
    assert.equal(dots(across), 10, 'a line from one end to the other fills every cell');
    assert.equal(dots([across[0]!, { t: 1, v: NaN }, across[1]!]), 2, 'broken: only the two ends are drawn');
  });
});
