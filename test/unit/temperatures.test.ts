// The CPU's temperatures as the host monitor shows them, from the sensors the
// kernel's hwmon drivers publish (files under /sys/class/hwmon; a directory
// laid out the same way here, with the labels coretemp and k10temp use).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cpuTemperatures } from '../../src/domain/host-io.ts';
import { readCpuTemperatures, tempSensors } from '../../src/host/temperatures.ts';

describe('CPU temperatures from hwmon', () => {
  const root = mkdtempSync(join(tmpdir(), 'hostdeck-hwmon-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const chip = (n: string, name: string, temps: [string | undefined, number][]) => {
    const d = join(root, 'class/hwmon', n);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'name'), `${name}\n`);
    temps.forEach(([label, milli], i) => {
      writeFileSync(join(d, `temp${i + 1}_input`), `${milli}\n`);
      if (label) writeFileSync(join(d, `temp${i + 1}_label`), `${label}\n`);
    });
  };

  it('reads nothing where the machine publishes no sensor (a virtual machine)', async () => {
    assert.equal(await readCpuTemperatures(join(root, 'none')), undefined);
  });

  it("an Intel package: the package figure, the hottest sensor and each core in order, ignoring the disk's and the ACPI zone's", async () => {
    chip('hwmon0', 'acpitz', [[undefined, 27800]]);
    chip('hwmon1', 'nvme', [['Composite', 39850]]);
    chip('hwmon2', 'coretemp', [['Package id 0', 52000], ['Core 1', 55000], ['Core 0', 49000]]);
    assert.equal((await tempSensors(root)).length, 5);
    assert.deepEqual(await readCpuTemperatures(root), { main: 52, max: 55, cores: [49, 55] });
  });

  it('an AMD CPU names Tctl; a machine with only an ACPI zone shows that zone', () => {
    assert.deepEqual(cpuTemperatures([{ chip: 'k10temp', label: 'Tccd1', celsius: 61.5 }, { chip: 'k10temp', label: 'Tctl', celsius: 63.25 }]), { main: 63.25, max: 63.25, cores: [] });
    assert.deepEqual(cpuTemperatures([{ chip: 'acpitz', celsius: 30 }, { chip: 'nvme', label: 'Composite', celsius: 40 }]), { main: 30, max: 30, cores: [] });
    assert.equal(cpuTemperatures([{ chip: 'nvme', label: 'Composite', celsius: 40 }]), undefined);
  });
});
