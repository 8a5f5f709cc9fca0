// Every size the console and the CLI print goes through one formatter.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatMiB } from '../../src/domain/size.ts';

describe('formatBytes', () => {
  it('one decimal below 100 of a unit, whole from 100 up, bytes whole', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(64 * 1024 ** 2), '64.0 MiB');
    assert.equal(formatBytes(80 * 1024 ** 3), '80.0 GiB');
    assert.equal(formatBytes(100 * 1024 ** 3), '100 GiB');
  });

  it('a size not measured is "-"', () => {
    assert.equal(formatBytes(undefined), '-');
    assert.equal(formatBytes(Number.NaN), '-');
  });

  it('sizes chosen in whole units keep their whole number', () => {
    assert.equal(formatMiB(512), '512 MiB');
    assert.equal(formatMiB(64), '64 MiB');
    assert.equal(formatMiB(8192), '8 GiB');
    assert.equal(formatMiB(1536), '1.5 GiB');
    assert.equal(formatMiB(1025), '1.0 GiB');
  });
});
