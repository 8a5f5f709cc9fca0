// The built console in a real pseudo-terminal (tmux) against the real
// libvirtd, by keys alone: a data center, a cluster in it, a template from a
// shut-off tiny guest on a local directory data domain, and a VM pool from
// that template — each made through its palette jump, form and Enter/s, and
// after each the CLI (`hostdeck <noun> list --json`) shows the object.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, Terminal } from '../lib/tty.ts';
import { FormKeys } from '../lib/tty-form.ts';
import { testServices } from '../lib/services.ts';
import { defineGuest, guestImage, guestName, removeGuests, removeStaleGuests, SYSTEM_URI } from '../lib/guest.ts';
import { libvirtReady, virshTry } from '../lib/lifecycle.ts';
import { localDataDomain, removeDomainPool } from '../lib/local-data-domain.ts';
import { createCore } from '../../src/core/index.ts';
import type { StorageDomain } from '../../src/core/storage-domains.ts';

const prefix = guestName('mtui');
const src = `${prefix}-src`;
const pool = `${prefix}-p`;

describe('data center, cluster, template and VM pool through the console keys alone', { timeout: 300_000 }, () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-mtui-'));
  const env = { HOSTDECK_DB: s.config.dbPath, HOSTDECK_LOG: s.config.logFile, LIBVIRT_DEFAULT_URI: SYSTEM_URI };
  let domain: StorageDomain;
  let term: Terminal;
  let form: FormKeys;
  /** What the CLI lists (the built binary, the console's state DB). */
  const cliList = <T>(noun: string): T[] => JSON.parse(execFileSync(process.execPath, [BIN, noun, 'list', '--json'], { env: { ...process.env, ...env }, encoding: 'utf8' })) as T[];

  before(async () => {
    const b = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
    assert.equal(b.status, 0, 'build failed');
    await libvirtReady(ROOT);
    await guestImage();
    await removeStaleGuests();
    await removeGuests(`${prefix}-`);
    domain = await localDataDomain(core, dir, 'mtui');
    await defineGuest(src, { nic: false });
    term = Terminal.start({ columns: 140, rows: 40, env });
    form = new FormKeys(term);
  });
  /** Remove what the test made, newest first (each step may be missing if a step before it failed). */
  const removeMade = async () => {
    await core.pools.remove(pool, { stopFirst: true }).catch(() => undefined);
    await (await core.templates()).remove('keys-tpl').catch(() => undefined);
    await core.manager.clusters.remove('keys-cl').catch(() => undefined);
    await core.manager.dataCenters.remove('keys-dc').catch(() => undefined);
  };
  after(async () => {
    term?.close();
    await libvirtReady(ROOT);
    await removeMade();
    await removeGuests(`${prefix}-`);
    await removeDomainPool(domain);
    await s.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates each by keys, and the CLI shows it after each step', async () => {
    await term.ready(20_000);

    await form.jump('dc', /Default\s+\S+\s+shared/);
    term.press('c');
    await term.waitFor('Create a data center');
    await form.text('Name', 'keys-dc');
    await form.choose('Storage type', 'local');
    term.press('s');
    await term.waitFor(/keys-dc\s+Uninitialized\s+local/);
    assert.deepEqual(cliList<{ name: string; storageType: string }>('dc').filter((d) => d.name === 'keys-dc').map((d) => d.storageType), ['local']);

    await form.jump('cluster', /Default\s+Default\s+host-model/);
    term.press('c');
    await term.waitFor('Create a cluster');
    await form.text('Name', 'keys-cl');
    await form.choose('Data center', 'keys-dc');
    await form.text('Over-commit %', '150');
    term.press('s');
    await term.waitFor(/keys-cl\s+keys-dc\s+host-model\s+150%/);
    assert.deepEqual(cliList<{ name: string; dataCenter: string }>('cluster').filter((c) => c.name === 'keys-cl').map((c) => c.dataCenter), ['keys-dc']);

    await form.jump('template', /Blank/);
    term.press('c');
    await term.waitFor('Make a template from a shut-off VM');
    await form.text('Name', 'keys-tpl');
    await form.choose('From VM', src);
    await form.choose('Storage domain', 'mtui-data');
    term.press('s');
    await term.waitFor(/keys-tpl\s+1\s+\S+\s+ready/, 60_000);
    const tpl = cliList<{ name: string; status: string; disks: unknown[] }>('template').filter((t) => t.name === 'keys-tpl');
    assert.deepEqual(tpl.map((t) => [t.status, t.disks.length]), [['ready', 1]]);
    assert.equal(readdirSync(join(domain.path, 'images')).filter((f) => f.startsWith('template-')).length, 1, 'its image is in the data domain');

    await form.jump('pool', /VM pools/);
    term.press('c');
    await term.waitFor(/› Name/);
    await form.text('Name', pool);
    await form.choose('Template', 'keys-tpl');
    await form.choose('Cluster', 'keys-cl');
    await form.text('Size', '2');
    term.press('s');
    // The name column is narrower than the test's unique pool name.
    await term.waitFor(new RegExp(`${pool.slice(0, 12)}.*keys-tpl \\(latest\\)\\s+keys-cl\\s+automatic\\s+2\\s`), 60_000);
    const made = cliList<{ name: string; size: number; cluster: string }>('pool').filter((p) => p.name === pool);
    assert.deepEqual(made.map((p) => [p.size, p.cluster]), [[2, 'keys-cl']]);
    for (const n of [1, 2]) assert.equal((await virshTry('domstate', `${pool}-${n}`)).out.trim(), 'shut off', `${pool}-${n} is defined in libvirt`);
  });

  it('cleans up: the pool, template, cluster and data center it made are gone with their VMs and image', async () => {
    await removeMade();
    assert.deepEqual([cliList('pool'), cliList<{ name: string }>('cluster').map((c) => c.name), cliList<{ name: string }>('dc').map((d) => d.name)], [[], ['Default'], ['Default']]);
    assert.deepEqual(cliList<{ name: string }>('template').map((t) => t.name), ['Blank']);
    assert.deepEqual(readdirSync(join(domain.path, 'images')), []);
    for (const n of [1, 2]) assert.notEqual((await virshTry('domstate', `${pool}-${n}`)).code, 0);
  });
});
