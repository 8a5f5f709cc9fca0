// A built-in report's HTML page opened in a real browser (Debian's chromium,
// headless, started through the runner): its screenshot shows the charts, in
// the chart colour and in the chart's place, and a report without charts
// shows none of that colour.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/exec/runner.ts';
import { CHART_COLOURS, reportHtml } from '../../src/domain/report-render.ts';
import { isoTime } from '../../src/domain/reports.ts';
import { consoleCore, testServices } from '../lib/services.ts';
import { countColour, decodePng, type Image } from '../lib/png.ts';
import { writeReportFixture } from '../lib/report-fixture.ts';

const WIDTH = 900;
const HEIGHT = 1100;

describe('a report\'s HTML page in headless Chromium', () => {
  const s = testServices();
  const core = consoleCore(s);
  let range = { from: '', to: '' };

  before(() => {
    const f = writeReportFixture(s.db);
    range = { from: isoTime(f.from), to: isoTime(f.to) };
  });
  after(() => s.cleanup());

  /** The page written to a file and Chromium's screenshot of it, decoded. */
  async function screenshot(name: string, html: string): Promise<Image> {
    const page = join(s.dir, `${name}.html`);
    const png = join(s.dir, `${name}.png`);
    writeFileSync(page, html);
    const r = await run('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${join(s.dir, 'chromium')}`,
      `--window-size=${WIDTH},${HEIGHT}`, `--screenshot=${png}`, `file://${page}`], { timeoutMs: 120_000, env: { HOME: s.dir } });
    assert.equal(r.exitCode, 0, r.stderr);
    return decodePng(readFileSync(png));
  }

  it('host utilisation: the CPU chart\'s line is drawn in the chart colour inside the chart\'s frame', async () => {
    const img = await screenshot('util', reportHtml(await core.reports.run({ name: 'host-utilisation', ...range })));
    assert.equal(img.width, WIDTH);
    const blue = countColour(img, CHART_COLOURS[0]);
    const red = countColour(img, CHART_COLOURS[1]);
    // A 3-pixel line across a 644-pixel-wide chart, twice (CPU, memory), and the legend squares.
    assert.ok(blue > 1500, `pixels of the first series' colour: ${blue}`);
    assert.ok(red > 600, `pixels of the second series' (the CPU peak) colour: ${red}`);
    // The line spans the chart: the colour is found in the chart's left and right quarters.
    const columns = new Set<number>();
    for (let i = 0; i < img.rgba.length; i += 4) {
      if (Math.abs(img.rgba[i]! - 0x1f) < 24 && Math.abs(img.rgba[i + 1]! - 0x77) < 24 && Math.abs(img.rgba[i + 2]! - 0xb4) < 24) columns.add((i / 4) % img.width);
    }
    assert.ok([...columns].some((x) => x < 200) && [...columns].some((x) => x > 600), 'the line runs from the left of the chart to its right');
  });

  it('a report without charts (events) shows none of the chart colour: the colour above came from the charts', async () => {
    const img = await screenshot('events', reportHtml(await core.reports.run({ name: 'events', from: '1h' })));
    assert.equal(countColour(img, CHART_COLOURS[0]), 0);
  });
});
