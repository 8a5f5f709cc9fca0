// The Storage domains screen inside the real shell, with a stand-in domain
// service: the rows live in a real state DB and validation is the real one,
// while libvirt and the storage are replaced (the system tests drive the real
// ones). What the operator sees and can do: status and capacity, the create
// form with field errors, the refusal with the VMs that use a domain,
// detach after confirmation, volumes and an upload with its progress bar.
import assert from 'node:assert/strict';
import { consoleCore } from '../lib/services.ts';
import { afterEach, describe, it } from 'node:test';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { createStorageDomainsScreen } from '../../screens/storage-domains/index.ts';
import type { DomainScreenApi } from '../../screens/storage-domains/use-domains.ts';
import { storageSummary } from '../../screens/storage-domains/use-domains.ts';
import { DomainError, DomainInputError, type StorageDomain, type UploadProgress } from '../../src/core/storage-domains.ts';
import { validateDomainInput, validateVolumeInput } from '../../src/domain/storage/domain.ts';
import type { StorageVolume } from '../../src/virt/storage.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { testServices } from '../lib/services.ts';

const GiB = 1024 ** 3;

function standIn(services: ReturnType<typeof testServices>) {
  const db = services.db;
  const dc = db.prepare('SELECT id FROM data_centers').pluck().get() as string;
  const now = new Date().toISOString();
  const insert = (id: string, name: string, type: string, status: string, cap: number, used: number) => db.prepare(`INSERT INTO storage_domains
    (id, name, type, kind, data_center_id, connection_id, status, format_version, pool_name, pool_type, path, capacity_bytes, used_bytes, free_bytes, creator_host, created_at, attached_at)
    VALUES (?, ?, ?, 'file', ?, 'c-nfs', ?, 1, ?, 'dir', ?, ?, ?, ?, 'node1', ?, ?)`).run(id, name, type, dc, status, id, `/rhev/data-center/mnt/srv:_e/${id}`, cap, used, cap - used, now, now);
  insert('aaaaaaaa-0000-4000-8000-000000000001', 'nfs-data', 'data', 'active', 100 * GiB, 80 * GiB);
  insert('aaaaaaaa-0000-4000-8000-000000000002', 'nfs-iso', 'iso', 'unreachable', 10 * GiB, 1 * GiB);
  const get = (key: string) => (db.prepare('SELECT id, name, type, status FROM storage_domains WHERE id = ? OR name = ?').get(key, key) as StorageDomain | undefined);
  const volumes: StorageVolume[] = [{ name: 'web1.qcow2', path: '/rhev/x/images/web1.qcow2', type: 'file', capacityBytes: 10 * GiB, allocationBytes: GiB }];
  const calls: string[] = [];
  let release: (() => void) | undefined;
  const api: DomainScreenApi = {
    connections: async () => [{ id: 'c-nfs', type: 'nfs', name: 'nfs1', state: 'connected' }, { id: 'c-iscsi', type: 'iscsi', name: 'san1', state: 'connected' }],
    // Two LUNs as the connection service lists them (one a multipath map).
    luns: async (id) => {
      calls.push(`luns ${id}`);
      return [
        { wwid: '36001405aaaa0000000000000000000001', devicePath: '/dev/sdb', sizeBytes: 10 * GiB, vendor: 'LIO-ORG', model: 'lun0', serial: 'aaaa1', paths: ['sdb'], hctl: '2:0:0:0', multipath: false },
        { wwid: '36001405bbbb0000000000000000000002', devicePath: '/dev/mapper/36001405bbbb0000000000000000000002', sizeBytes: 20 * GiB, vendor: 'LIO-ORG', model: 'lun1', serial: 'bbbb2', paths: ['sdc', 'sdd'], hctl: '2:0:0:1', multipath: true, dm: 'dm-0' },
      ];
    },
    service: {
      list: () => (db.prepare('SELECT * FROM storage_domains ORDER BY name').all() as Record<string, unknown>[]).map((r) => ({
        id: r.id, name: r.name, type: r.type, kind: r.kind, status: r.status, connectionId: r.connection_id, poolName: r.pool_name, poolType: r.pool_type, path: r.path,
        capacityBytes: r.capacity_bytes, usedBytes: r.used_bytes, freeBytes: r.free_bytes, lastError: r.status === 'unreachable' ? 'reading metadata did not finish within 8 s' : null, checkedAt: now,
      }) as unknown as StorageDomain),
      async create(input) {
        const v = validateDomainInput(input);
        if (!v.ok) throw new DomainInputError(v.errors);
        calls.push(`create ${v.value.name} ${v.value.type} ${v.value.connectionId}${v.value.lun ? ` ${v.value.lun}` : ''}`);
        insert('aaaaaaaa-0000-4000-8000-000000000003', v.value.name, v.value.type, 'active', 50 * GiB, 0);
        return get(v.value.name)!;
      },
      scan: async () => [],
      import: async () => { throw new Error('not used'); },
      activate: async (k) => { calls.push(`activate ${k}`); db.prepare("UPDATE storage_domains SET status = 'active' WHERE id = ?").run(k); return get(k)!; },
      maintenance: async (k) => {
        calls.push(`maintenance ${k}`);
        throw new DomainError('in-use', 'Maintenance of nfs-data refused: 1 VM uses it', [{ vm: 'web1', state: 'running', disks: ['/rhev/x/images/web1.qcow2'] }]);
      },
      detach: async (k) => { calls.push(`detach ${k}`); db.prepare('DELETE FROM storage_domains WHERE id = ?').run(k); },
      volumes: async () => volumes,
      async volumeCreate(k, input) {
        const v = validateVolumeInput(input, { kind: 'file', type: 'data', freeBytes: 20 * GiB, existing: volumes.map((x) => x.name) });
        if (!v.ok) throw new DomainInputError(v.errors);
        calls.push(`volume ${v.value.name} ${v.value.sizeBytes} ${v.value.format}`);
        const vol = { name: v.value.name, path: `/rhev/x/images/${v.value.name}`, type: 'file', capacityBytes: v.value.sizeBytes, allocationBytes: 0 };
        volumes.push(vol);
        return vol;
      },
      volumeDelete: async () => undefined,
      async upload(k, file, opts: { onProgress?: (p: UploadProgress) => void } = {}) {
        calls.push(`upload ${file}`);
        opts.onProgress?.({ doneBytes: 0, totalBytes: 4 * 32 * 1024 ** 2 });
        opts.onProgress?.({ doneBytes: 2 * 32 * 1024 ** 2, totalBytes: 4 * 32 * 1024 ** 2 });
        await new Promise<void>((r) => { release = r; });
        const vol = { name: 'disk.img', path: '/rhev/x/images/disk.img', type: 'file', capacityBytes: 128 * 1024 ** 2, allocationBytes: 128 * 1024 ** 2 };
        volumes.push(vol);
        return vol;
      },
    },
  };
  return { api, calls, db, release: () => release?.() };
}

function mount(opts: { readOnly?: boolean } = {}) {
  const services = testServices({ readOnly: opts.readOnly });
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const s = standIn(services);
  const screen = createStorageDomainsScreen({ api: async () => s.api, pollMs: 100 });
  const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={[screen]} initialTheme="dark" readOnly={Boolean(opts.readOnly)} mode={() => 'standalone'} />, { columns: 110, rows: 32 });
  return { ui, ...s, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

describe('Storage domains screen with a stand-in domain service (rows in a real state DB; libvirt and storage replaced)', () => {
  let env: ReturnType<typeof mount> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  it('lists domains with type, status, used bar, sizes and the connection name; the selected one in detail', async () => {
    env = mount();
    const f = await env.ui.waitFor('nfs1', 15_000);
    assert.match(f, /nfs-data\s+data\s+active\s+█{10}░{2}\s+80%\s+80\.0 GiB\s+20\.0 GiB\s+100 GiB\s+nfs1/);
    assert.match(f, /nfs-iso\s+iso\s+unreachable/);
    assert.match(f, /capacity\s+█+░+\s+80% 80\.0 GiB used, 20\.0 GiB free of 100 GiB/);
    await env.ui.press(KEYS.down);
    await env.ui.waitFor(/status\s+unreachable: reading metadata did not finish within 8 s/);
  });

  it('maintenance asks first, and a refusal lists the VMs that use the domain; activate brings an unreachable one back', async () => {
    env = mount();
    await env.ui.waitFor('nfs1', 15_000);
    await env.ui.press('m');
    await env.ui.waitFor('Put storage domain nfs-data into maintenance?');
    await env.ui.press('y');
    const f = await env.ui.waitFor('these VMs use it');
    assert.match(f, /maintenance of nfs-data refused: these VMs use it/);
    assert.match(f, /web1 \(running\): \/rhev\/x\/images\/web1\.qcow2/);
    assert.deepEqual(env.calls, ['maintenance aaaaaaaa-0000-4000-8000-000000000001']);
    await env.ui.press(KEYS.down);
    await env.ui.press('a');
    await env.ui.waitFor(/nfs-iso\s+iso\s+active/);
    assert.equal(env.calls[1], 'activate aaaaaaaa-0000-4000-8000-000000000002');
  });

  it('detach is refused on an active domain with the reason, and asks before it runs on one in maintenance', async () => {
    env = mount();
    await env.ui.waitFor('nfs1', 15_000);
    await env.ui.press('D');
    await env.ui.waitFor('put it in maintenance first');
    assert.deepEqual(env.calls, []);
    env.db.prepare("UPDATE storage_domains SET status = 'maintenance' WHERE name = 'nfs-iso'").run();
    await env.ui.press(KEYS.down);
    await env.ui.waitFor(/nfs-iso\s+iso\s+maintenance/);
    await env.ui.press('D');
    await env.ui.waitFor('Detach nfs-iso from the data');
    await env.ui.press('n');
    await env.ui.waitFor('Detach: cancelled');
    assert.deepEqual(env.calls, []);
    await env.ui.press('D');
    await env.ui.waitFor('Detach nfs-iso from the data');
    await env.ui.press('y');
    await env.ui.waitFor((f) => !/nfs-iso\s+iso/.test(f) && /Detached nfs-iso; its data stays on the storage/.test(f));
    assert.deepEqual(env.calls, ['detach aaaaaaaa-0000-4000-8000-000000000002']);
  });

  it('the create form marks bad fields and creates nothing; a good one creates the domain', async () => {
    env = mount();
    await env.ui.waitFor('nfs1', 15_000);
    await env.ui.press('c');
    await env.ui.waitFor('Create a storage domain');
    await env.ui.press(KEYS.enter);
    await env.ui.type('bad name');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/Name\s+bad name\s+name: must contain only letters/);
    await env.ui.waitFor(/connection: is required/);
    assert.deepEqual(env.calls, []);
    await env.ui.press(KEYS.enter);
    await env.ui.type('vmdisks');
    await env.ui.press(KEYS.enter);
    await env.ui.press(KEYS.down, KEYS.down);
    await env.ui.press(KEYS.enter);
    await env.ui.type('nfs1');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/vmdisks\s+data\s+active/);
    assert.deepEqual(env.calls, ['create vmdisks data nfs1']);
  });

  it('Esc in the create form asks before discarding what was entered; the default keeps it', async () => {
    env = mount();
    await env.ui.waitFor('nfs1', 15_000);
    await env.ui.press('c');
    await env.ui.waitFor('Create a storage domain');
    await env.ui.press(KEYS.enter);
    await env.ui.type('keepme');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/Name\s+keepme/);
    await env.ui.press(KEYS.escape);
    await env.ui.waitFor('Discard what was entered in the form?');
    await env.ui.press(KEYS.enter);
    const f = await env.ui.waitFor((s) => !s.includes('Discard what was'));
    assert.match(f, /Create a storage domain[\s\S]*Name\s+keepme/);
    await env.ui.press(KEYS.escape);
    await env.ui.waitFor('Discard what was entered in the form?');
    await env.ui.press('y');
    await env.ui.waitFor((s) => !s.includes('Create a storage domain'));
    assert.deepEqual(env.calls, []);
  });

  it('the create form picks the connection and the LUN from lists; an NFS connection has no LUNs to pick', async () => {
    env = mount();
    await env.ui.waitFor('nfs1', 15_000);
    await env.ui.press('c');
    await env.ui.waitFor('Create a storage domain');
    await env.ui.press(KEYS.down, KEYS.down);
    await env.ui.press('l');
    await env.ui.waitFor(/Storage connections \(Enter uses one/);
    await env.ui.waitFor(/san1\s+iscsi\s+connected/);
    await env.ui.press(KEYS.down, KEYS.enter);
    await env.ui.waitFor(/Connection\s+san1/);
    await env.ui.press(KEYS.down);
    await env.ui.press('l');
    await env.ui.waitFor(/LUNs of san1/);
    await env.ui.waitFor(/36001405bbbb0000000000000000000002\s+20\.0 GiB\s+LIO-ORG lun1\s+\/dev\/mapper/);
    await env.ui.press(KEYS.down, KEYS.enter);
    await env.ui.waitFor(/LUN\s+36001405bbbb0000000000000000000002/);
    await env.ui.press(KEYS.up, KEYS.up, KEYS.up, KEYS.enter);
    await env.ui.type('san_data');
    await env.ui.press(KEYS.enter, 's');
    await env.ui.waitFor(/san_data\s+data\s+active/);
    assert.deepEqual(env.calls, ['luns c-iscsi', 'create san_data data san1 36001405bbbb0000000000000000000002']);
    // On an NFS connection the LUN field says why there is nothing to pick.
    await env.ui.press('c');
    await env.ui.waitFor('Create a storage domain');
    await env.ui.press(KEYS.down, KEYS.down, KEYS.enter);
    await env.ui.type('nfs1');
    await env.ui.press(KEYS.enter, KEYS.down, 'l');
    await env.ui.waitFor(/nfs1 is a nfs connection: LUNs exist on iSCSI and FC connections/);
  });

  it('volumes: list, a new volume with validation, an upload with its progress bar', async () => {
    env = mount();
    await env.ui.waitFor('nfs1', 15_000);
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/web1\.qcow2\s+10\.0 GiB\s+1\.0 GiB/);
    await env.ui.press('n');
    await env.ui.waitFor('New volume in nfs-data');
    await env.ui.press(KEYS.enter);
    await env.ui.type('db1.qcow2');
    await env.ui.press(KEYS.enter, KEYS.down, KEYS.enter);
    await env.ui.type('1K');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor('size: must be at least 1 MiB');
    await env.ui.press(KEYS.enter, KEYS.backspace, KEYS.backspace);
    await env.ui.type('2G');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/db1\.qcow2\s+2\.0 GiB/);
    assert.equal(env.calls.at(-1), `volume db1.qcow2 ${2 * GiB} qcow2`);
    await env.ui.press('u');
    await env.ui.waitFor('Upload a file to nfs-data');
    await env.ui.press(KEYS.enter);
    await env.ui.type('/root/disk.img');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    const f = await env.ui.waitFor('64.0 MiB of 128 MiB');
    assert.match(f, /disk\.img █+░+\s+50%/);
    env.release();
    await env.ui.waitFor(/disk\.img\s+128 MiB/);
    assert.equal(env.calls.at(-1), 'upload /root/disk.img');
  });

  it('read-only mode offers no action that changes storage', async () => {
    env = mount({ readOnly: true });
    await env.ui.waitFor('nfs1', 15_000);
    await env.ui.press('m');
    await env.ui.press('c');
    await new Promise((r) => setTimeout(r, 200));
    assert.doesNotMatch(env.ui.frame(), /Create a storage domain|into maintenance\?/);
    assert.deepEqual(env.calls, []);
  });

  it('the dashboard line sums the domains by status', () => {
    assert.deepEqual(storageSummary([]), { text: 'no storage domains yet', role: 'dim' });
    assert.deepEqual(storageSummary([{ status: 'active', n: 2 }, { status: 'unreachable', n: 1 }]), { text: '3 domains: 2 active, 1 unreachable', role: 'error' });
    assert.deepEqual(storageSummary([{ status: 'maintenance', n: 1 }]), { text: '1 domain: 1 maintenance', role: 'warn' });
  });
});
