// The RSS figure of the monitor benchmark, measured on the shipped code: this
// file is bundled by scripts/build.mjs (--entry) exactly like the binary and
// run by plain node (no tsx in the process). It renders the console into a
// fake terminal with the shipped ink options, opens the VM list, then runs
// 3600 sampler ticks back to back (a full hour of history at 1 s) with the
// list redrawing after each, and prints its RSS as JSON.
// Usage: node monitor-rss.mjs <libvirt URI> <state db> <log file>
import { createElement } from 'react';
import { EventEmitter } from 'node:events';
import { getHeapSpaceStatistics } from 'node:v8';
import { render } from 'ink';
import { Services } from '../../src/services.ts';
import { resolveConfig } from '../../src/config.ts';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { App } from '../../src/app/App.tsx';
import { settleHeap } from '../../src/app/heap.ts';
import { SCREENS, ACTIONS } from '../../screens/index.ts';

const [uri, db, log] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class FakeStdout extends EventEmitter {
  columns = 120; rows = 40; isTTY = true;
  write = () => true;
}
class FakeStdin extends EventEmitter {
  isTTY = true; data = null;
  write(d) { this.data = d; this.emit('readable'); this.emit('data', d); }
  read = () => { const d = this.data; this.data = null; return d; };
  setEncoding() {} setRawMode() {} resume() {} pause() {} ref() {} unref() {}
}

const config = { ...resolveConfig({ connect: uri, db }, {}), logFile: log };
const services = new Services(config, 'tui');
const core = createCore(services, { user: config.user, channel: 'tui' });
const stores = createStores(core, config.refreshMs);
const stdin = new FakeStdin();
// As the console: the heap settles after the first frame.
const ink = render(createElement(App, { core, stores, screens: SCREENS, actions: ACTIONS, initialTheme: 'dark', readOnly: false, mode: () => 'unconfigured', onFirstData: () => settleHeap() }),
  { stdout: new FakeStdout(), stdin, stderr: new FakeStdout(), debug: false, exitOnCtrlC: false, patchConsole: false, maxFps: 30, incrementalRendering: true });
await sleep(400);
stdin.write('v');
for (let i = 0; i < 200 && !stores.vms.getSnapshot().data; i++) await sleep(50);
const t0 = Date.now();
const ticks = 3600;
for (let i = 0; i < ticks; i++) await stores.vms.refresh();
await sleep(200);
const m = process.memoryUsage();
const newSpace = getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space');
// Where the RSS is: the JS heap in use and as committed (the young generation's size is part of it), and memory outside it.
const r = { rssMB: m.rss / 1048576, heapMB: m.heapUsed / 1048576, heapTotalMB: m.heapTotal / 1048576, newSpaceMB: (newSpace?.space_size ?? 0) / 1048576, externalMB: m.external / 1048576, historyMB: stores.vms.historyBytes() / 1048576, ticks, fillSeconds: (Date.now() - t0) / 1000, vms: stores.vms.getSnapshot().data?.rows.length ?? 0 };
ink.unmount();
stores.stop();
await services.close();
process.stdout.write(`${JSON.stringify(r)}\n`);
process.exit(0);
