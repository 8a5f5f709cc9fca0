import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = new URL('../..', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.js') });
const fixture = (name: string) => readFileSync(join(root, 'test/fixtures/lint', name, 'index.ts'), 'utf8');

/** The boundary errors ESLint reports for `text` linted as if it were the file at `path` (relative to the project). */
async function boundaryErrors(text: string, path: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: join(root, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId?.endsWith('no-restricted-imports')).map((m) => m.message);
}

describe('lint boundaries between the layers (eslint.config.js)', () => {
  it('refuse a screen importing src/virt, naming the core as the way', async () => {
    const errors = await boundaryErrors(fixture('bad-import'), 'screens/lint-fixture/index.ts');
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /src\/virt\/connection\.ts.*through src\/core/);
  });

  it('refuse the same import from every front end folder', async () => {
    for (const path of ['src/app/lint-fixture.ts', 'src/ui/lint-fixture.ts', 'src/store/lint-fixture.ts', 'src/cli/lint-fixture.ts', 'src/api/lint-fixture.ts']) {
      assert.equal((await boundaryErrors("export * from '../host/system.ts';\n", path)).length, 1, path);
    }
  });

  it('allow a screen importing the core and the domain', async () => {
    assert.deepEqual(await boundaryErrors(fixture('good-import'), 'screens/lint-fixture/index.ts'), []);
  });

  it("allow a screen's type-only import of src/virt", async () => {
    assert.deepEqual(await boundaryErrors(fixture('type-import'), 'screens/lint-fixture/index.ts'), []);
  });

  it('refuse the core importing a front end', async () => {
    assert.equal((await boundaryErrors("export * from '../cli/errors.ts';\n", 'src/core/lint-fixture.ts')).length, 1);
  });

  it('refuse the domain any I/O: a layer below, the core, node:fs, node:child_process', async () => {
    for (const from of ['../virt/connection.ts', '../manager/events.ts', '../core/index.ts', 'node:fs', 'node:child_process']) {
      assert.equal((await boundaryErrors(`export * from '${from}';\n`, 'src/domain/lint-fixture.ts')).length, 1, from);
    }
  });

  it('allow the domain a type-only import of src/virt (a record it names)', async () => {
    assert.deepEqual(await boundaryErrors("export type * from '../virt/types.ts';\n", 'src/domain/lint-fixture.ts'), []);
  });

  it('refuse the layers below importing the core or a front end', async () => {
    for (const dir of ['virt', 'host', 'manager', 'exec']) {
      for (const from of ['../core/index.ts', '../../screens/index.ts', '../app/keys.ts']) {
        assert.equal((await boundaryErrors(`export * from '${from}';\n`, `src/${dir}/lint-fixture.ts`)).length, 1, `${dir} <- ${from}`);
      }
    }
  });
});
