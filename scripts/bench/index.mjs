#!/usr/bin/env node
// `npm run bench`: runs every scripts/bench/*.bench.mjs (or those named on the
// command line) one after the other; each prints its own figures.
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const dir = new URL('.', import.meta.url).pathname;
// Benchmarks run on the project's Node (>= 22), even when npm itself runs on an older one.
const runtimeNode = join(dir, '../../.runtime/node_modules/.bin/node');
const node = Number(process.versions.node.split('.')[0]) >= 22 || !existsSync(runtimeNode) ? process.execPath : runtimeNode;
const want = process.argv.slice(2);
const benches = readdirSync(dir).filter((f) => f.endsWith('.bench.mjs')).sort()
  .filter((f) => !want.length || want.some((w) => f.includes(w)));
let failed = 0;
for (const b of benches) {
  console.log(`\n## ${b.replace('.bench.mjs', '')}`);
  const r = spawnSync(node, ['--import', 'tsx', join(dir, b)], { stdio: 'inherit', cwd: join(dir, '../..') });
  if (r.status !== 0) { failed++; console.log(`bench ${b} failed (exit ${r.status})`); }
}
process.exit(failed ? 1 : 0);
