// Use cases behind lazyUseCases load their module on the first call only, and
// behave as the loaded object: same results, same errors, `this` kept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lazyUseCases } from '../../src/core/lazy.ts';

interface Counter { add(n: number): Promise<number>; fail(): Promise<never> }

function counterModule() {
  let loads = 0;
  const load = async (): Promise<Counter> => {
    loads++;
    return { total: 0, async add(n: number) { this.total += n; return this.total; }, async fail() { throw new Error('refused: the rule') } } as Counter & { total: number };
  };
  return { load, loads: () => loads };
}

describe('lazily loaded use cases', () => {
  it('load nothing until a use case is called, then once for every call', async () => {
    const m = counterModule();
    const uc = lazyUseCases(m.load);
    assert.equal(m.loads(), 0);
    const [a, b] = await Promise.all([uc.add(2), uc.add(3)]);
    assert.deepEqual([a, b].sort(), [2, 5]);
    assert.equal(await uc.add(1), 6, 'the loaded object keeps its state (this)');
    assert.equal(m.loads(), 1);
  });

  it("pass a use case's rejection through unchanged", async () => {
    const uc = lazyUseCases(counterModule().load);
    await assert.rejects(uc.fail(), /refused: the rule/);
  });

  it('are not a thenable, so awaiting the object gives the object', async () => {
    const uc = lazyUseCases(counterModule().load);
    assert.equal(await uc, uc);
  });

  it('try the load again after it failed', async () => {
    let attempts = 0;
    const uc = lazyUseCases(async (): Promise<Counter> => {
      if (++attempts === 1) throw new Error('chunk missing');
      return { add: async (n: number) => n, fail: async () => { throw new Error('x'); } };
    });
    await assert.rejects(uc.add(1), /chunk missing/);
    assert.equal(await uc.add(7), 7);
    assert.equal(attempts, 2);
  });
});

describe('lazily loaded use cases with eager members', () => {
  it('serve an eager member without loading, and make a synchronous one a promise', async () => {
    let loads = 0;
    const uc = lazyUseCases(async () => { loads++; return { count: () => 1, name: (x: string) => `n:${x}`, slow: async () => 'slow' }; }, { count: () => 42 });
    assert.equal(uc.count(), 42);
    assert.equal(loads, 0);
    const name: Promise<string> = uc.name('a');
    assert.equal(await name, 'n:a');
    assert.equal(await uc.slow(), 'slow');
    assert.equal(loads, 1);
  });
});
