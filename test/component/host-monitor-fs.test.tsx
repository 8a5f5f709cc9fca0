// The host monitor's file-system bar says how full a file system is as df and
// the dashboard do (used / (used + available)); used / size counted the blocks
// reserved for root, and the rest df leaves out, as free space.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { App } from '../../src/app/App.tsx';
import { runOk } from '../../src/exec/runner.ts';
import { createStores } from '../../src/store/host.ts';
import { SCREENS } from '../../screens/index.ts';
import { renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

describe('the host monitor file systems (this host, df)', () => {
  const services = testServices();
  const core = consoleCore(services);
  const stores = createStores(core, 60_000);
  const ui = renderTui(<App core={core} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'unconfigured'} />, { columns: 120, rows: 36 });
  after(async () => { ui.unmount(); stores.stop(); await services.cleanup(); });

  it("shows / as df's Use% with what is available", async () => {
    await ui.waitFor(/Dashboard|hostdeck/, 15_000);
    await ui.press('m');
    const frame = await ui.waitFor(/^\s*\/\s/m, 30_000);
    const df = (await runOk('df', ['-Pk', '--', '/'])).stdout.trim().split('\n')[1]!.trim().split(/\s+/);
    const [usedKiB, availKiB, capacity] = [Number(df[2]), Number(df[3]), df[4]!];
    const line = frame.split('\n').find((l) => /^\s*\/\s/.test(l))!;
    // The percentage only: what is available moves while other programs write.
    assert.match(line, new RegExp(` ${capacity} [\\d.]+G avail`), `df: ${usedKiB} KiB used, ${availKiB} KiB available, ${capacity}`);
  });
});
