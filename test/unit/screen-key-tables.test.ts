// Every screen's keys are one table of data (screens/<screen>/keys.ts): in
// one view of a screen a key does one thing, and help and docs have a
// description for every key.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { keyTableConflicts } from '../../src/app/keys.ts';
import type { KeyTable } from '../../src/app/types.ts';
import { SORT_DIGITS } from '../../screens/vms/keys.ts';

const screensDir = join(import.meta.dirname, '../../screens');
const folders = readdirSync(screensDir).filter((f) => statSync(join(screensDir, f)).isDirectory()).sort();

async function tableOf(folder: string): Promise<KeyTable> {
  const mod = await import(`../../screens/${folder}/keys.ts`) as Record<string, unknown>;
  const tables = Object.entries(mod).filter(([name]) => name.endsWith('_KEYS')).map(([, t]) => t as KeyTable);
  assert.equal(tables.length, 1, `${folder}/keys.ts exports one key table`);
  const table = tables[0]!;
  // The VM list's sort digits are keys of the list too.
  if (folder === 'vms') return { ...table, ...Object.fromEntries(SORT_DIGITS.map(([k, , label]) => [`sort ${label}`, { keys: [k], description: `Sort by ${label}` }])) };
  return table;
}

describe('screen key tables', () => {
  it('every screen folder has its key table', async () => {
    for (const f of ['dashboard', 'events', 'vms', 'vm-create', 'vm-snapshots', 'host-monitor', 'engine', 'network', 'network-wizard', 'storage-domains', 'storage-connections']) assert.ok(folders.includes(f), f);
    for (const f of folders) await tableOf(f);
  });

  it('within one view of a screen no key is bound to two entries', async () => {
    for (const f of folders) assert.deepEqual(keyTableConflicts(await tableOf(f)), [], f);
  });

  it('every entry has at least one key and a description', async () => {
    for (const f of folders) {
      for (const [name, e] of Object.entries(await tableOf(f))) {
        assert.ok(e.keys.length > 0, `${f}.${name} has keys`);
        assert.ok(e.description.trim().length > 0, `${f}.${name} has a description`);
      }
    }
  });

  it('the check names a key two entries share in the same view, and lets views reuse keys', () => {
    const table: KeyTable = {
      refresh: { keys: ['r'], description: 'Refresh', modes: ['list'] },
      revert: { keys: ['r'], description: 'Revert', modes: ['list', 'detail'] },
      rescan: { keys: ['r'], description: 'Rescan', modes: ['scan'] },
      quit: { keys: ['q'], description: 'Quit' },
      query: { keys: ['q'], description: 'Query', modes: ['scan'] },
    };
    assert.deepEqual(keyTableConflicts(table), [
      { mode: 'list', key: 'r', descriptions: ['Refresh', 'Revert'] },
      { mode: 'scan', key: 'q', descriptions: ['Quit', 'Query'] },
    ]);
  });
});
