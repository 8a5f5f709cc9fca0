// Kill tests of the manager on the real libvirtd with the tiny guest: real
// `hostdeck template create` and `hostdeck pool create` processes killed with
// SIGKILL at random points (a delay drawn over the command's measured work,
// from a seeded random: the seed is printed, HOSTDECK_KILL_SEED replays it);
// after each kill a new core's first use cleans up, and the invariant
// checker (rows vs images vs libvirt domains) finds everything consistent,
// with the cleanup's event written whenever something was left.
// HOSTDECK_KILL_CYCLES sets the kills per command (default 20, the issue's
// proof; 20 + 20 take some 2.5 minutes here).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testServices } from '../lib/services.ts';
import { defineGuest, guestImage, guestName, removeGuests, removeStaleGuests, SYSTEM_URI } from '../lib/guest.ts';
import { libvirtReady } from '../lib/lifecycle.ts';
import { localDataDomain, removeDomainPool } from '../lib/local-data-domain.ts';
import { managerInvariantProblems } from '../lib/manager-invariants.ts';
import { createCore, type Core } from '../../src/core/index.ts';
import type { StorageDomain } from '../../src/core/storage-domains.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const prefix = guestName('kill');
const src = `${prefix}-src`;
const CYCLES = Number(process.env.HOSTDECK_KILL_CYCLES ?? 20);
const SEED = Number(process.env.HOSTDECK_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** A small seeded random (mulberry32): the same seed draws the same kill points. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Run { killed: boolean; err: string; workMs: number }

describe(`kill tests: ${CYCLES} SIGKILLs each of template create and pool create, invariants hold after the next start (seed ${SEED})`, { timeout: 900_000 }, () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core: Core = createCore(s, { user: 'tester', channel: 'cli' });
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-kill-'));
  const random = seeded(SEED);
  let domain: StorageDomain;
  const scope = () => ({ imagesDir: join(domain.path, 'images'), poolVmPrefix: `${prefix}-k` });
  const env = () => ({ ...process.env, HOSTDECK_DB: s.config.dbPath, HOSTDECK_LOG: s.config.logFile, LIBVIRT_DEFAULT_URI: SYSTEM_URI });

  /**
   * Run a hostdeck command; with `killAfterMs`, SIGKILL it that long after its
   * first step line (its work has begun). workMs: from that line to its end.
   */
  function hostdeck(args: string[], killAfterMs?: number): Promise<Run> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args], { cwd: ROOT, env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let began = 0;
    let killed = false;
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      err += c;
      if (began) return;
      began = Date.now();
      if (killAfterMs !== undefined) setTimeout(() => { killed = child.kill('SIGKILL'); }, killAfterMs);
    });
    return new Promise((resolve) => child.on('close', (_code, signal) => resolve({ killed: killed && signal === 'SIGKILL', err, workMs: began ? Date.now() - began : 0 })));
  }

  /** A new core (the next start) cleans up; the invariants hold; a cleanup that had something to do wrote its event. */
  async function nextStartIsConsistent(what: string, cleanupEvent: string): Promise<void> {
    const leftBefore = await managerInvariantProblems(s.db, scope());
    const done = () => s.events.list({ text: cleanupEvent }).filter((e) => e.result === 'success').length;
    const eventsBefore = done();
    const next = createCore(s, { user: 'tester', channel: 'cli' });
    await (await next.templates()).list();
    await next.pools.list();
    const problems = await managerInvariantProblems(s.db, scope());
    const failures = () => s.events.list({ limit: 20 }).filter((e) => e.result === 'failure').map((e) => e.message).join(' | ');
    assert.deepEqual(problems, [], `${what} (seed ${SEED}); recent failure events: ${problems.length ? failures() : ''}`);
    if (leftBefore.length) assert.equal(done(), eventsBefore + 1, `${what}: the cleanup of ${leftBefore.join('; ')} wrote its event (seed ${SEED})`);
  }

  before(async () => {
    await libvirtReady(ROOT);
    await guestImage();
    await removeStaleGuests();
    await removeGuests(`${prefix}-`);
    domain = await localDataDomain(core, dir, 'kill');
    await defineGuest(src, { nic: false });
    console.log(`# kill tests: seed ${SEED} (HOSTDECK_KILL_SEED=${SEED} replays it), ${CYCLES} cycles each`);
  });
  after(async () => {
    await removeGuests(`${prefix}-`);
    await removeDomainPool(domain);
    await s.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`template create killed at ${CYCLES} random points: no image without its template, no template without its image, none left 'creating'`, async () => {
    const whole = await hostdeck(['template', 'create', '--name', 'kt-measure', '--vm', src, '--storage-domain', 'kill-data']);
    assert.ok(whole.workMs > 0, `the uncut run printed its steps: ${whole.err}`);
    assert.deepEqual(await managerInvariantProblems(s.db, scope()), []);
    let killed = 0;
    for (let i = 0; i < CYCLES; i++) {
      const delay = Math.floor(random() * whole.workMs);
      const r = await hostdeck(['template', 'create', '--name', `kt-${i}`, '--vm', src, '--storage-domain', 'kill-data'], delay);
      if (r.killed) killed++;
      await nextStartIsConsistent(`template create killed ${delay} ms into its work (cycle ${i})`, 'Clean up after a template copy killed half-way');
      await (await core.templates()).remove(`kt-${i}`).catch(() => undefined);
    }
    console.log(`# template create: ${killed} of ${CYCLES} runs killed before they ended (work ${whole.workMs} ms uncut)`);
    assert.ok(killed > 0, 'at least one run was killed mid-way');
  });

  it(`pool create killed at ${CYCLES} random points: no libvirt VM or overlay without its pool row, no row without its VM, none left 'creating'`, async () => {
    await (await core.templates()).create({ name: 'kbase', vm: src, storageDomain: 'kill-data' });
    const whole = await hostdeck(['pool', 'create', `${prefix}-kmeasure`, '--template', 'kbase', '--size', '2']);
    assert.ok(whole.workMs > 0, `the uncut run printed its steps: ${whole.err}`);
    assert.deepEqual(await managerInvariantProblems(s.db, scope()), []);
    await core.pools.remove(`${prefix}-kmeasure`);
    let killed = 0;
    for (let i = 0; i < CYCLES; i++) {
      const delay = Math.floor(random() * whole.workMs);
      const name = `${prefix}-k${i}`;
      const r = await hostdeck(['pool', 'create', name, '--template', 'kbase', '--size', '2'], delay);
      if (r.killed) killed++;
      await nextStartIsConsistent(`pool create killed ${delay} ms into its work (cycle ${i})`, 'Clean up after a pool create killed half-way');
      await core.pools.remove(name).catch(() => undefined);
    }
    console.log(`# pool create: ${killed} of ${CYCLES} runs killed before they ended (work ${whole.workMs} ms uncut)`);
    assert.ok(killed > 0, 'at least one run was killed mid-way');
  });

  it('a pool create killed between defining a VM and linking it to its template leaves nothing once the next start cleaned up', async () => {
    const c = `${prefix}-kdef`;
    const gone = spawnSync('true').pid!;
    const tplId = s.db.prepare("SELECT base_id FROM templates WHERE name = 'kbase'").pluck().get() as string;
    s.db.prepare(`INSERT INTO vm_pools (id, name, template_id, size, type, status, creator_pid, created_at) VALUES ('p-kdef', ?, ?, 2, 'automatic', 'creating', ?, ?)`).run(c, tplId, gone, new Date().toISOString());
    // The killed process had defined its first VM (with its overlay) and not yet recorded that it came from the template.
    await (await core.templates()).createVm({ name: `${c}-1`, template: 'kbase', mode: 'thin' });
    s.db.prepare('DELETE FROM vm_templates WHERE vm_name = ?').run(`${c}-1`);
    await nextStartIsConsistent('pool create killed after defining its VM', 'Clean up after a pool create killed half-way');
    assert.match(s.events.list({ text: `pool ${c} left 'creating'` })[0]?.message ?? '', new RegExp(`1 VM: ${c}-1`));
  });
});
