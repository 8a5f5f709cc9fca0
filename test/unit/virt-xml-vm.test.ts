// Domain XML parse/create and the VM action predicates.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseDomainXml, memoryToKiB } from '../../src/virt/xml/parse.ts';
import { domainXml, snapshotXml, domainNameProblem } from '../../src/virt/xml/create.ts';
import { parseXml, escapeXml } from '../../src/virt/xml/xml.ts';
import { updateDomainXml } from '../../src/virt/xml/update.ts';
import { vmActions, vmCanStart, vmCanShutdown, vmCanDelete, vmCanResume, vmCanRevertSnapshot } from '../../src/domain/vm.ts';

const fx = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

describe('domain XML parse (recorded virsh dumpxml of the tiny guest)', () => {
  it('reads name, uuid, type, memory, vCPUs, direct kernel boot, disk, NIC, serial log, balloon stats', () => {
    const d = parseDomainXml(fx('virsh/dumpxml-tiny-guest.xml'));
    assert.equal(d.name, 'hd-try');
    assert.match(d.uuid, /^[0-9a-f-]{36}$/);
    assert.equal(d.type, 'qemu');
    assert.equal(d.memoryKiB, 131072);
    assert.equal(d.vcpus, 1);
    assert.equal(d.os.kernel, '/var/cache/hostdeck/guest/vmlinuz');
    assert.equal(d.os.cmdline, 'console=ttyS0 loglevel=4 panic=-1');
    assert.equal(d.os.machine, 'pc-i440fx-7.2');
    assert.deepEqual(d.disks.map((x) => [x.target, x.bus, x.format, x.path]), [['vda', 'virtio', 'qcow2', '/var/lib/libvirt/images/hd-try.qcow2']]);
    assert.deepEqual(d.interfaces.map((i) => [i.type, i.model]), [['ethernet', 'virtio']]);
    assert.ok(d.interfaces[0]!.mac?.startsWith('52:54:00:'));
    assert.equal(d.serials[0]!.logFile, '/var/log/libvirt/qemu/hd-try-serial.log');
    assert.ok(d.hasConsole);
    assert.equal(d.balloonStatsPeriod, 1);
    assert.equal(d.id, undefined);
  });

  it('reads the test-driver fixture domains too', () => {
    const host = parseXml(fx('libvirt/host.xml'));
    const doms = host.children.filter((c) => c.name === 'domain');
    assert.equal(doms.length, 3);
    assert.equal(memoryToKiB(doms[1]!.children.find((c) => c.name === 'memory')), 262144);
  });

  it('memory units', () => {
    const m = (unit: string, v: string) => memoryToKiB({ name: 'memory', attrs: { unit }, children: [], text: v });
    assert.equal(m('MiB', '128'), 131072);
    assert.equal(m('GiB', '1'), 1048576);
    assert.equal(m('bytes', '1048576'), 1024);
  });
});

describe('domain XML create', () => {
  it('round-trips a spec through parse: disks on a pool and a file, NICs, boot order, serial console, graphics', () => {
    const xml = domainXml({
      name: 'web-1', type: 'qemu', memoryMiB: 512, vcpus: 2, description: 'a <test> & "quotes"',
      boot: ['hd', 'cdrom'],
      disks: [{ pool: 'default', volume: 'web-1.qcow2' }, { path: '/isos/debian.iso', device: 'cdrom', bus: 'sata' }],
      nics: [{ type: 'network', source: 'default' }, { type: 'bridge', source: 'br0', mac: '52:54:00:12:34:56' }],
      serial: {}, graphics: { type: 'vnc' }, balloonStatsPeriod: 5,
    });
    const d = parseDomainXml(xml);
    assert.equal(d.name, 'web-1');
    assert.equal(d.description, 'a <test> & "quotes"');
    assert.equal(d.memoryKiB, 524288);
    assert.equal(d.vcpus, 2);
    assert.deepEqual(d.os.boot, ['hd', 'cdrom']);
    assert.deepEqual(d.disks.map((x) => [x.type, x.device, x.target, x.pool, x.volume, x.path, x.readonly]), [
      ['volume', 'disk', 'vda', 'default', 'web-1.qcow2', undefined, false],
      ['file', 'cdrom', 'sdb', undefined, undefined, '/isos/debian.iso', true]]);
    assert.deepEqual(d.interfaces.map((i) => [i.type, i.network ?? i.bridge, i.mac]), [['network', 'default', undefined], ['bridge', 'br0', '52:54:00:12:34:56']]);
    assert.equal(d.graphics[0]!.type, 'vnc');
    assert.ok(d.hasConsole);
    assert.equal(d.balloonStatsPeriod, 5);
  });

  it('refuses names libvirt or a shell would choke on', () => {
    assert.equal(domainNameProblem('ok-name_1.2'), undefined);
    assert.match(domainNameProblem('')!, /required/);
    assert.match(domainNameProblem('bad name')!, /letters/);
    assert.throws(() => domainXml({ name: '../x', type: 'qemu', memoryMiB: 64, vcpus: 1 }), /domain name/);
  });

  it('snapshot XML escapes the description', () => {
    const x = parseXml(snapshotXml({ name: 's1', description: '<b>&' }));
    assert.equal(x.children.find((c) => c.name === 'description')!.text, '<b>&');
    assert.equal(escapeXml(`'`), '&apos;');
  });
});

describe('domain XML update (recorded dumpxml)', () => {
  const xml = fx('virsh/dumpxml-tiny-guest.xml');

  it('turns a definition into a clone: new name, no UUID, no MACs, copied disk, serial log follows the name', () => {
    const out = updateDomainXml(xml, { name: 'hd-try-clone', newUuid: true, newMacs: true, diskPaths: { vda: '/var/lib/libvirt/images/hd-try-clone.qcow2' } });
    const d = parseDomainXml(out);
    const orig = parseDomainXml(xml);
    assert.equal(d.name, 'hd-try-clone');
    assert.equal(d.uuid, '');
    assert.equal(d.interfaces[0]!.mac, undefined);
    assert.deepEqual(d.disks.map((x) => [x.target, x.path, x.format]), [['vda', '/var/lib/libvirt/images/hd-try-clone.qcow2', 'qcow2']]);
    assert.equal(d.serials[0]!.logFile, '/var/log/libvirt/qemu/hd-try-clone-serial.log');
    // Everything else is kept.
    assert.deepEqual([d.os, d.memoryKiB, d.vcpus, d.balloonStatsPeriod, d.onPoweroff], [orig.os, orig.memoryKiB, orig.vcpus, orig.balloonStatsPeriod, orig.onPoweroff]);
  });

  it('edits memory, vCPUs and the description; a disk can move to a pool volume', () => {
    const d = parseDomainXml(updateDomainXml(xml, { memoryMiB: 256, vcpus: 2, description: 'web & db', diskVolumes: { vda: { pool: 'default', volume: 'a.qcow2' } } }));
    assert.deepEqual([d.memoryKiB, d.currentMemoryKiB, d.vcpus, d.description], [262144, 262144, 2, 'web & db']);
    assert.deepEqual(d.disks.map((x) => [x.type, x.pool, x.volume, x.path]), [['volume', 'default', 'a.qcow2', undefined]]);
    assert.equal(d.name, 'hd-try');
  });

  it('sets the CPU: a named model is exact with no fallback, a mode replaces it, and it sits after <features>', () => {
    const named = updateDomainXml(xml, { cpu: 'Westmere' });
    assert.equal(parseDomainXml(named).cpu, 'Westmere');
    assert.match(named, /<\/features>\s*<cpu mode='custom' match='exact' check='partial'>\s*<model fallback='forbid'>Westmere<\/model>/);
    const mode = updateDomainXml(named, { cpu: 'host-model' });
    assert.equal(parseDomainXml(mode).cpu, 'host-model');
    assert.equal(mode.match(/<cpu/g)?.length, 1);
  });
});

describe('VM action predicates', () => {
  it('start: only when off or crashed, with a reason otherwise', () => {
    assert.deepEqual(vmCanStart({ state: 'shutoff' }), { available: true });
    assert.deepEqual(vmCanStart({ state: 'crashed' }), { available: true });
    assert.deepEqual(vmCanStart({ state: 'running' }), { available: false, reason: 'it is already running' });
    assert.match(vmCanStart({ state: 'paused' }).reason!, /resume it instead/);
  });

  it('shutdown needs a running guest; a paused one cannot react', () => {
    assert.ok(vmCanShutdown({ state: 'running' }).available);
    assert.match(vmCanShutdown({ state: 'paused' }).reason!, /resume it first/);
    assert.match(vmCanShutdown({ state: 'shutoff' }).reason!, /shut off/);
  });

  it('delete only when not running; resume only when paused; revert needs a snapshot', () => {
    assert.match(vmCanDelete({ state: 'running' }).reason!, /power it off first/);
    assert.ok(vmCanDelete({ state: 'shutoff' }).available);
    assert.ok(vmCanResume({ state: 'paused' }).available);
    assert.ok(!vmCanResume({ state: 'running' }).available);
    assert.match(vmCanRevertSnapshot({ state: 'running', snapshots: 0 }).reason!, /no snapshots/);
  });

  it('every action for a state at once', () => {
    const a = vmActions({ state: 'running', persistent: true });
    const on = Object.entries(a).filter(([, v]) => v.available).map(([k]) => k).sort();
    assert.deepEqual(on, ['autostart', 'console', 'edit', 'pause', 'poweroff', 'reboot', 'revert', 'save', 'shutdown', 'snapshot']);
    assert.ok(Object.values(vmActions({ state: 'shutoff' })).every((v) => v.available || v.reason));
  });
});
