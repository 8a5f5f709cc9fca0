// Fibre Channel from a recorded sysfs tree and recorded `multipath -ll`
// outputs: no HBA exists on the machines that run the tests.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { fcHosts, fcLuns, formatWwn } from '../../src/host/storage/fc.ts';
import { localFs } from '../../src/host/storage/fs.ts';
import { parseMultipathLl } from '../../src/host/storage/multipath.ts';
import { readFileSync } from 'node:fs';

const root = fileURLToPath(new URL('../fixtures/storage/fc-sysfs', import.meta.url));
const sys = { sysfsRoot: `${root}/sys`, devRoot: `${root}/dev` };
const mpll = parseMultipathLl(readFileSync(new URL('../fixtures/storage/multipath-ll-fc.txt', import.meta.url), 'utf8'));

describe('FC (recorded sysfs, no HBA here)', () => {
  it('HBAs with WWNN, WWPN, port state and speed', async () => {
    const hosts = await fcHosts(localFs, sys);
    assert.deepEqual(hosts.map((h) => [h.host, h.wwnn, h.wwpn, h.portState, h.speed]), [
      ['host3', '20:00:00:24:ff:7e:cd:10', '21:00:00:24:ff:7e:cd:10', 'Online', '16 Gbit'],
      ['host4', '20:00:00:24:ff:7e:cd:11', '21:00:00:24:ff:7e:cd:11', 'Online', '16 Gbit'],
      ['host5', '20:00:00:90:fa:8e:7a:01', '10:00:00:90:fa:8e:7a:01', 'Linkdown', 'unknown'],
    ]);
    assert.match(hosts[0]!.symbolicName, /^QLE2692/);
    assert.equal(hosts[0]!.portType, 'NPort (fabric via point-to-point)');
  });
  it('LUNs through /dev/disk/by-id when multipathd does not run: one per WWID with both paths; the local SATA disk is not FC', async () => {
    const luns = await fcLuns(localFs, sys, []);
    assert.deepEqual(luns.map((l) => [l.wwid, l.devicePath, l.sizeBytes, l.vendor, l.model, l.serial, l.paths, l.multipath]), [
      ['360002ac0000000000000001700019b8f', '/dev/disk/by-id/scsi-360002ac0000000000000001700019b8f', 1024 ** 4, '3PARdata', 'VV', '7CE1801700019B8F', ['sdb', 'sdd'], false],
      ['3624a93701c0d5ee1d3ae4a3e00011a2b', '/dev/disk/by-id/scsi-3624a93701c0d5ee1d3ae4a3e00011a2b', 512 * 1024 ** 3, 'PURE', 'FlashArray', '1C0D5EE1D3AE4A3E00011A2B', ['sdc', 'sde'], false],
    ]);
  });
  it('LUNs through the multipath devices when multipathd runs (recorded multipath -ll)', async () => {
    const luns = await fcLuns(localFs, sys, mpll);
    assert.deepEqual(luns.map((l) => [l.wwid, l.devicePath, l.paths, l.multipath]), [
      ['360002ac0000000000000001700019b8f', '/dev/mapper/mpatha', ['sdb', 'sdd'], true],
      ['3624a93701c0d5ee1d3ae4a3e00011a2b', '/dev/mapper/3624a93701c0d5ee1d3ae4a3e00011a2b', ['sdc', 'sde'], true],
    ]);
    assert.deepEqual((await fcLuns(localFs, sys, mpll, '3624a93701c0d5ee1d3ae4a3e00011a2b')).map((l) => l.model), ['FlashArray']);
  });
  it('WWNs as operators write them', () => {
    assert.equal(formatWwn('0x21000024ff7ecd10\n'), '21:00:00:24:ff:7e:cd:10');
    assert.equal(formatWwn('0x0'), '0x0');
  });
  it('a host without HBAs has none (empty sysfs class)', async () => {
    assert.deepEqual(await fcHosts(localFs, { sysfsRoot: `${root}/no-such`, devRoot: '/dev' }), []);
  });
});
