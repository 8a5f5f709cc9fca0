#!/usr/bin/env node
// Runs the test tiers given on the command line (default: all) with node:test
// and tsx, then prints one closing line: "tests: N passed, N failed".
// Tiers: unit component contract e2e integration system.
import { readdirSync, statSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const ALL = ['static', 'unit', 'component', 'contract', 'e2e', 'integration', 'system'];
// Tiers that start real daemons or VMs run one file at a time (the system
// tier: HOSTDECK_SYSTEM_CONCURRENCY files at a time, 2 by default).
const SERIAL = new Set(['integration', 'system']);
const args = process.argv.slice(2);
const filter = process.env.HOSTDECK_TEST_FILTER ? new RegExp(process.env.HOSTDECK_TEST_FILTER) : null;
const tiers = args.length ? args : ALL;

function files(dir) {
  let out = [];
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const e of entries.sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (/\.test\.(ts|tsx|mjs)$/.test(e)) out.push(p);
  }
  return out;
}

const countsDir = mkdtempSync(join(tmpdir(), 'hostdeck-tests-'));
const countsFile = join(countsDir, 'counts.jsonl');
let exitCode = 0;
let staticPassed = 0, staticFailed = 0;
const staticFailures = [];
// Static checks count as two tests of their own: typecheck and lint.
if (!args.length || args.includes('static')) {
  for (const [name, cmd] of [['typecheck', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']], ['lint', ['node_modules/eslint/bin/eslint.js', '--max-warnings', '0', 'src', 'screens', 'test', 'scripts']]]) {
    console.log(`\n=== static: ${name}`);
    const r = spawnSync(process.execPath, cmd, { cwd: root, stdio: 'inherit' });
    if (r.status === 0) { staticPassed++; console.log(`ok ${name}`); } else { staticFailed++; staticFailures.push(name); exitCode = 1; }
  }
}
for (const tier of tiers.filter((t) => t !== 'static')) {
  if (!ALL.includes(tier)) { console.error(`unknown test tier: ${tier} (one of ${ALL.join(', ')})`); process.exit(2); }
  let list = files(join(root, 'test', tier));
  if (filter) list = list.filter((f) => filter.test(relative(root, f)));
  if (!list.length) continue;
  console.log(`\n=== ${tier} (${list.length} file${list.length === 1 ? '' : 's'})`);
  // Test-host files boot their own QEMU machines in their own namespaces:
  // two at a time keep both cores busy (a TCG guest runs on one). Files
  // named zz-* check what the others left behind, so they run afterwards.
  const last = list.filter((f) => /\/zz-[^/]*$/.test(f));
  const first = list.filter((f) => !last.includes(f));
  for (const group of [first, last].filter((g) => g.length)) if (!runFiles(tier, group)) exitCode = 1;
}

function runFiles(tier, list) {
  const parallel = tier === 'system' ? Number(process.env.HOSTDECK_SYSTEM_CONCURRENCY ?? 2) : 1;
  const concurrency = SERIAL.has(tier) ? parallel : Math.max(2, Number(process.env.HOSTDECK_TEST_CONCURRENCY ?? 2));
  const r = spawnSync(process.execPath, [
    '--import', 'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    // A test that hangs (a program that never answers) fails after 15 minutes
    // with its name instead of holding the whole run until CI stops it.
    '--test-timeout=900000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'test/lib/count-reporter.mjs')}`, `--test-reporter-destination=${join(countsDir, 'reporter.out')}`,
    ...list.map((f) => relative(root, f)),
  ], { cwd: root, stdio: 'inherit', env: { ...process.env, HOSTDECK_TEST_COUNTS: countsFile, HOSTDECK_TEST_TIER: tier, FORCE_COLOR: '0' } });
  return r.status === 0;
}
let passed = staticPassed, failed = staticFailed, skipped = 0;
const failures = [...staticFailures];
try {
  for (const line of readFileSync(countsFile, 'utf8').split('\n').filter(Boolean)) {
    const c = JSON.parse(line);
    passed += c.passed; failed += c.failed; skipped += c.skipped; failures.push(...c.failures);
  }
} catch { /* no tier ran */ }
rmSync(countsDir, { recursive: true, force: true });
if (failures.length) {
  console.log('\nfailed tests:');
  for (const f of failures) console.log(`  - ${relative(root, f)}`);
}
if (exitCode === 0 && failed > 0) exitCode = 1;
if (passed + failed === 0) exitCode = 1;
console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(exitCode);
