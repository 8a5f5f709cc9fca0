// node:test reporter that appends pass/fail/skip counts (tests, not suites)
// to the file named by HOSTDECK_TEST_COUNTS, for the closing summary line.
import { appendFileSync } from 'node:fs';

export default async function* countReporter(source) {
  let passed = 0, failed = 0, skipped = 0;
  const failures = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const d = event.data;
    if (d.details?.type === 'suite') {
      // A suite that failed outside its tests (a hook, a file that did not load) counts once.
      if (event.type === 'test:fail' && d.details?.error?.failureType !== 'subtestsFailed') { failed++; failures.push(`${d.file ?? ''} ${d.name}`); }
      continue;
    }
    if (d.skip || d.todo) { skipped++; continue; }
    if (event.type === 'test:pass') passed++;
    else { failed++; failures.push(`${d.file ?? ''} :: ${d.name}`); }
  }
  const out = process.env.HOSTDECK_TEST_COUNTS;
  if (out) appendFileSync(out, JSON.stringify({ passed, failed, skipped, failures }) + '\n');
  yield '';
}
