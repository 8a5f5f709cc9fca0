// Runs last in the system tier (files run one at a time, in name order):
// every earlier test file's process has ended, so anything of the test-host
// harness still around from one of them is a leak.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leaked } from '../lib/testhost/index.ts';

test('the test-host harness left no QEMU, namespace, tap device or work directory behind', () => {
  assert.deepEqual(leaked(), { qemu: [], netns: [], taps: [], dirs: [] });
});
