// Every action of the catalog has exactly one implementation in the core: one
// `door.act('<id>', ...)` call in src/core (found by reading the sources), so
// each action is decided by the door and writes its events in one place.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_CATALOG } from '../../src/core/catalog.ts';

const coreDir = new URL('../../src/core/', import.meta.url).pathname;
const sources = (readdirSync(coreDir, { recursive: true }) as string[])
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => ({ file: f, text: readFileSync(join(coreDir, f), 'utf8') }));

/** The files (one entry per call) where `.act('<id>'` is written, the id possibly on the next line. */
function implementations(id: string): string[] {
  const call = new RegExp(`\\.act\\(\\s*'${id.replace('.', '\\.')}'`, 'g');
  return sources.flatMap((s) => (s.text.match(call) ?? []).map(() => s.file));
}

describe('every catalog action has exactly one door.act implementation in src/core', () => {
  for (const a of ACTION_CATALOG) {
    it(a.id, () => {
      assert.deepEqual(implementations(a.id).length, 1, `${a.id}: door.act('${a.id}' found in [${implementations(a.id).join(', ')}]`);
    });
  }

  it('no door.act names an action the catalog lacks', () => {
    const ids = new Set<string>(ACTION_CATALOG.map((a) => a.id));
    const named = sources.flatMap((s) => [...s.text.matchAll(/\.act\(\s*'([^']+)'/g)].map((m) => `${s.file}: ${m[1]}`));
    assert.deepEqual(named.filter((n) => !ids.has(n.split(': ')[1]!)), []);
  });
});
