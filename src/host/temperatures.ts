// The host's temperature sensors, read from /sys/class/hwmon (files only, no
// program: lm-sensors' `sensors` reads the same files).
import { readdir, readFile } from 'node:fs/promises';
import { cpuTemperatures, type CpuTemperatures, type TempSensor } from '../domain/host-io.ts';

const text = (path: string) => readFile(path, 'utf8').then((s) => s.trim(), () => undefined);

/** Every temp*_input of every hwmon chip under sysRoot, in degrees Celsius. */
export async function tempSensors(sysRoot = '/sys'): Promise<TempSensor[]> {
  const dir = `${sysRoot}/class/hwmon`;
  const chips = await readdir(dir).catch(() => [] as string[]);
  const perChip = await Promise.all(chips.map(async (c) => {
    const files = await readdir(`${dir}/${c}`).catch(() => [] as string[]);
    const chip = (await text(`${dir}/${c}/name`)) ?? c;
    const inputs = files.filter((f) => /^temp\d+_input$/.test(f));
    return Promise.all(inputs.map(async (f) => {
      const milli = Number(await text(`${dir}/${c}/${f}`));
      const label = await text(`${dir}/${c}/${f.replace('_input', '_label')}`);
      return Number.isFinite(milli) ? { chip, ...(label ? { label } : {}), celsius: milli / 1000 } : undefined;
    }));
  }));
  return perChip.flat().filter((s): s is TempSensor => s !== undefined);
}

/** The CPU's temperatures, or undefined where no CPU sensor is reported (most virtual machines). */
export async function readCpuTemperatures(sysRoot = '/sys'): Promise<CpuTemperatures | undefined> {
  return cpuTemperatures(await tempSensors(sysRoot));
}
