import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  FORMAT_VERSION, MetadataError, disksOnDomain, domainActionBlocked, fileLayout, formatMetadata, metadataTags, parseDiskSources, parseMetadata,
  parseMetadataTags, parseSize, poolTypeFor, uploadNameRule, validateDomainInput, validateVolumeInput, type DomainMetadata,
} from '../../src/domain/storage/domain.ts';
import { isConnected } from '../../src/core/storage-domains.ts';
import { parsePoolInfo } from '../../src/virt/pools.ts';
import { optionMessage } from '../../src/cli/storage-domain.ts';

const META: DomainMetadata = {
  uuid: '5d1c2b7e-1f0a-4c3b-9e8d-7a6b5c4d3e2f', name: 'nfs-data_1', type: 'data', kind: 'file', formatVersion: FORMAT_VERSION,
  creatorHost: 'node1.example.com', createdAt: '2026-11-24T01:40:00.000Z', description: 'VM disks, rack 3',
};

describe('storage domain input', () => {
  const ok = { name: 'data1', type: 'data', connectionId: 'c1' };
  const table: [string, Partial<typeof ok> & { description?: string; lun?: string }, string, RegExp][] = [
    ['empty name', { name: '' }, 'name', /^name: is required$/],
    ['name with a space', { name: 'my data' }, 'name', /^name: must contain only letters, digits, '-' and '_'/],
    ['name with a slash', { name: 'a/b' }, 'name', /^name: must contain only/],
    ['name of 51 characters', { name: 'a'.repeat(51) }, 'name', /^name: must be at most 50 characters \(got 51\)/],
    ['no type', { type: '' }, 'type', /^type: is required \(data, iso or export\)/],
    ['unknown type', { type: 'backup' }, 'type', /^type: must be one of data, iso, export \(got "backup"\)/],
    ['no connection', { connectionId: '' }, 'connection', /^connection: is required/],
    ['connection with a space', { connectionId: 'a b' }, 'connection', /^connection: must be a connection id or name without spaces/],
    ['description of 201 characters', { description: 'x'.repeat(201) }, 'description', /^description: must be at most 200 characters/],
    ['description on two lines', { description: 'a\nb' }, 'description', /^description: must be one line/],
    ['lun with a space', { lun: 'a b' }, 'lun', /^lun: must be a WWID or a \/dev path/],
  ];
  for (const [what, change, field, re] of table) {
    test(`${what} is refused, naming ${field}`, () => {
      const r = validateDomainInput({ ...ok, ...change });
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
      assert.equal(r.errors[0]!.field, field);
      assert.match(r.errors[0]!.message, re);
    });
  }
  test('a good input is trimmed and the type lower-cased', () => {
    const r = validateDomainInput({ name: ' iso_1 ', type: 'ISO', connectionId: ' nfs1 ', description: ' ISOs ' });
    assert.deepEqual(r, { ok: true, value: { name: 'iso_1', type: 'iso', connectionId: 'nfs1', description: 'ISOs' } });
  });
  test('every bad field is reported at once', () => {
    const r = validateDomainInput({ name: '', type: 'x', connectionId: '' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual(r.errors.map((e) => e.field), ['name', 'type', 'connection']);
  });
  test('the CLI names the option', () => {
    assert.equal(optionMessage({ field: 'size', message: 'size: must be at least 1 MiB (got 1 KiB)' }), '--size: must be at least 1 MiB (got 1 KiB)');
    assert.equal(optionMessage({ field: 'file', message: 'file: is empty' }), 'FILE: is empty');
  });
});

describe('volume input', () => {
  const file = { kind: 'file' as const, type: 'data' as const, freeBytes: 10 * 1024 ** 3, existing: ['disk0.qcow2'] };
  const block = { kind: 'block' as const, type: 'data' as const, freeBytes: 2 * 1024 ** 3 };
  const table: [string, { name?: string; size?: string; format?: string }, typeof file | typeof block, string, RegExp][] = [
    ['no name', { name: '' }, file, 'name', /^name: is required/],
    ['a path as name', { name: '../etc/passwd' }, file, 'name', /^name: must start with a letter, digit or '_'/],
    ['a name with a slash', { name: 'a/b' }, file, 'name', /^name: must start with/],
    ['a name taken', { name: 'disk0.qcow2' }, file, 'name', /^name: a volume named disk0\.qcow2 already exists/],
    ['an LVM-reserved name on block', { name: 'snapshot1' }, block, 'name', /^name: is a name LVM reserves/],
    ['no size', { size: '' }, file, 'size', /^size: is required/],
    ['a size without a number', { size: 'big' }, file, 'size', /^size: must be a number with an optional unit/],
    ['a size with an unknown unit', { size: '10X' }, file, 'size', /^size: must be a number/],
    ['a size below 1 MiB', { size: '512K' }, file, 'size', /^size: must be at least 1 MiB \(got 512 KiB\)/],
    ['a size over 64 TiB', { size: '65T' }, file, 'size', /^size: must be at most 64 TiB/],
    ['a block volume larger than the free space', { size: '3G' }, block, 'size', /^size: 3\.0 GiB is more than the domain's free space \(2\.0 GiB\)/],
    ['a raw file volume larger than the free space', { size: '11G', format: 'raw' }, file, 'size', /more than the domain's free space/],
    ['an unknown format', { format: 'vmdk' }, file, 'format', /^format: must be qcow2 or raw \(got "vmdk"\)/],
    ['qcow2 on a block domain', { format: 'qcow2' }, block, 'format', /^format: block domains hold raw volumes/],
  ];
  for (const [what, change, dom, field, re] of table) {
    test(`${what} is refused, naming ${field}`, () => {
      const r = validateVolumeInput({ name: 'disk1', size: '1G', ...change }, dom);
      assert.equal(r.ok, false, what);
      if (r.ok) return;
      assert.equal(r.errors[0]!.field, field);
      assert.match(r.errors[0]!.message, re);
    });
  }
  test('a thin qcow2 volume may be larger than the free space; defaults per domain kind', () => {
    assert.deepEqual(validateVolumeInput({ name: 'big', size: '20G' }, file), { ok: true, value: { name: 'big', sizeBytes: 20 * 1024 ** 3, format: 'qcow2' } });
    assert.deepEqual(validateVolumeInput({ name: 'lv1', size: '1G' }, block), { ok: true, value: { name: 'lv1', sizeBytes: 1024 ** 3, format: 'raw' } });
  });
  test('sizes', () => {
    assert.equal(parseSize('10G'), 10 * 1024 ** 3);
    assert.equal(parseSize('512MiB'), 512 * 1024 ** 2);
    assert.equal(parseSize('1.5g'), 1.5 * 1024 ** 3);
    assert.equal(parseSize('4096'), 4096);
    assert.equal(parseSize('-1G'), undefined);
    assert.equal(parseSize('1 G B'), undefined);
  });
  test('uploads: ISO domains take .iso files only', () => {
    assert.equal(uploadNameRule('debian.iso', 'iso'), undefined);
    assert.match(uploadNameRule('debian.img', 'iso') ?? '', /^name: ISO domains hold \.iso files only/);
    assert.equal(uploadNameRule('disk.img', 'data'), undefined);
  });
});

describe('on-storage metadata', () => {
  test('a file round-trips and carries every field another host needs', () => {
    const text = formatMetadata(META);
    assert.match(text, /^SDUUID=5d1c2b7e-1f0a-4c3b-9e8d-7a6b5c4d3e2f$/m);
    assert.match(text, /^TYPE=DATA$/m);
    assert.match(text, /^CLASS=FILE$/m);
    assert.match(text, /^VERSION=1$/m);
    assert.match(text, /^CREATOR_HOST=node1\.example\.com$/m);
    assert.match(text, /^_SHA_CKSUM=[0-9a-f]{40}$/m);
    assert.deepEqual(parseMetadata(text), META);
    // dd of a direct read pads with NULs on some file systems.
    assert.deepEqual(parseMetadata(`${text}\0\0\0`), META);
  });
  test('a changed value is caught by the checksum', () => {
    const text = formatMetadata(META).replace('NAME=nfs-data_1', 'NAME=other');
    assert.throws(() => parseMetadata(text, 'm'), (e: Error) => e instanceof MetadataError && /checksum mismatch/.test(e.message));
  });
  test('missing keys, a bad UUID, an unknown type and a newer version are refused with the reason', () => {
    assert.throws(() => parseMetadata('SDUUID=x\n'), /missing NAME, TYPE, CLASS, VERSION, CREATOR_HOST, CREATE_TIME/);
    assert.throws(() => parseMetadata(formatMetadata({ ...META, uuid: 'not-a-uuid' })), /SDUUID is not a UUID/);
    assert.throws(() => parseMetadata(formatMetadata(META).replace('TYPE=DATA', 'TYPE=BACKUP')), /unknown TYPE "BACKUP"/);
    assert.throws(() => parseMetadata(formatMetadata({ ...META, formatVersion: FORMAT_VERSION + 1 })), /newer than this hostdeck reads/);
    assert.throws(() => parseMetadata('garbage'), /not a key=value line/);
  });
  test('a description with a newline cannot add a key', () => {
    const m = parseMetadata(formatMetadata({ ...META, description: 'x\nTYPE=ISO' }));
    assert.equal(m.type, 'data');
    assert.equal(m.description, 'x TYPE=ISO');
  });
  test('LVM tags use only the characters LVM allows and round-trip', () => {
    const tags = metadataTags({ ...META, kind: 'block', description: 'rack 3, row "b"' });
    for (const t of tags) assert.match(t, /^[A-Za-z0-9_+.\-/=!:&#]+$/, t);
    assert.ok(tags.includes('MDT_CLASS=BLOCK'));
    assert.deepEqual(parseMetadataTags(tags), { ...META, kind: 'block', description: 'rack 3, row "b"' });
    assert.throws(() => parseMetadataTags(tags.map((t) => t.replace('MDT_NAME=nfs-data_1', 'MDT_NAME=evil'))), /checksum mismatch/);
  });
  test('layout under the connection mount (vdsm style)', () => {
    assert.deepEqual(fileLayout('/rhev/data-center/mnt/srv:_export/', META.uuid), {
      dir: `/rhev/data-center/mnt/srv:_export/${META.uuid}`, mdDir: `/rhev/data-center/mnt/srv:_export/${META.uuid}/dom_md`,
      metadata: `/rhev/data-center/mnt/srv:_export/${META.uuid}/dom_md/metadata`, images: `/rhev/data-center/mnt/srv:_export/${META.uuid}/images`,
    });
  });
  test('pool type per connection type', () => {
    assert.equal(poolTypeFor('nfs'), 'dir');
    assert.equal(poolTypeFor('posixfs'), 'dir');
    assert.equal(poolTypeFor('localfs'), 'dir');
    assert.equal(poolTypeFor('iscsi'), 'logical');
    assert.equal(poolTypeFor('fc'), 'logical');
  });
});

describe('which VMs use a domain', () => {
  const xml = `<domain type='qemu'><name>web1</name><devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/rhev/data-center/mnt/s:_e/${META.uuid}/images/web1.qcow2'/><target dev='vda'/></disk>
    <disk type='volume' device='disk'><source pool='${META.uuid}' volume='data.raw'/><target dev='vdb'/></disk>
    <disk type='block' device='disk'><source dev='/dev/vg0/other'/><target dev='vdc'/></disk>
    <disk type='file' device='cdrom'><target dev='sda'/></disk>
  </devices></domain>`;
  test('file paths under the domain and volumes of its pool count; other disks do not', () => {
    const src = parseDiskSources(xml);
    assert.equal(src.length, 3);
    assert.deepEqual(disksOnDomain(src, { poolName: META.uuid, path: `/rhev/data-center/mnt/s:_e/${META.uuid}`, kind: 'file' }), [
      `/rhev/data-center/mnt/s:_e/${META.uuid}/images/web1.qcow2`, `${META.uuid}/data.raw`,
    ]);
    assert.deepEqual(disksOnDomain(src, { poolName: 'p2', path: '/rhev/data-center/mnt/s:_e/other', kind: 'file' }), []);
    assert.deepEqual(disksOnDomain([{ source: `/dev/${META.uuid}/lv1` }, { source: '/dev/vg0/other' }], { poolName: 'x', path: META.uuid, kind: 'block' }), [`/dev/${META.uuid}/lv1`]);
  });
  test('actions blocked by status, with the reason', () => {
    const d = { id: META.uuid, name: 'd1', type: 'data' as const, status: 'active' as const };
    assert.match(domainActionBlocked('detach', d) ?? '', /d1 is active: put it in maintenance first/);
    assert.equal(domainActionBlocked('detach', { ...d, status: 'maintenance' }), undefined);
    assert.match(domainActionBlocked('activate', d) ?? '', /already active/);
    assert.match(domainActionBlocked('volumes', { ...d, status: 'unreachable' }) ?? '', /d1 is unreachable/);
    assert.match(domainActionBlocked('upload', { ...d, type: 'export' }) ?? '', /export domain/);
  });
});

describe('connection status and pool info parsing', () => {
  test('the connection service status in its possible shapes', () => {
    assert.equal(isConnected('connected'), true);
    assert.equal(isConnected({ state: 'connected' }), true);
    assert.equal(isConnected({ connected: true }), true);
    assert.equal(isConnected({ state: 'disconnected' }, { id: 'c', type: 'nfs', state: 'connected' }), false);
    assert.equal(isConnected(undefined, { id: 'c', type: 'nfs', state: 'mounted' }), true);
    assert.equal(isConnected(undefined), false);
  });
  test('virsh pool-info --bytes (recorded from libvirt 9.0.0 here)', () => {
    const text = 'Name:           sdtest-probe\nUUID:           9b03fedb-de0e-48ee-a478-057685b975d4\nState:          running\nPersistent:     yes\nAutostart:      no\nCapacity:       270553174016\nAllocation:     25508126720\nAvailable:      245045047296\n\n';
    assert.deepEqual(parsePoolInfo(text), { state: 'running', capacityBytes: 270553174016, allocationBytes: 25508126720, availableBytes: 245045047296 });
  });
});
