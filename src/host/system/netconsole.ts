// Netconsole through configfs (a target named hostdeck: device, remote IP and
// port, enabled), made to last with a modprobe option and modules-load.d; a
// test line written to /dev/kmsg at error level (the console log level lets
// it through to netconsole).
import { netconsoleModprobe, type Netconsole } from '../../domain/system/netconsole.ts';
import type { Target } from '../net/target.ts';
import { removeConfigFile, replaceConfigFile } from './config-file.ts';

const CONFIGFS = '/sys/kernel/config';
const DIR = `${CONFIGFS}/netconsole/hostdeck`;
export const NETCONSOLE_MODPROBE = '/etc/modprobe.d/hostdeck-netconsole.conf';
export const NETCONSOLE_MODULES_LOAD = '/etc/modules-load.d/hostdeck-netconsole.conf';

const attr = async (t: Target, name: string) => (await t.readFile(`${DIR}/${name}`))?.trim();

export async function readNetconsole(t: Target): Promise<Netconsole & { enabled: boolean } | undefined> {
  const enabled = await attr(t, 'enabled');
  if (enabled === undefined) return undefined;
  return { enabled: enabled === '1', device: (await attr(t, 'dev_name')) ?? '', remoteIp: (await attr(t, 'remote_ip')) ?? '', remotePort: Number(await attr(t, 'remote_port')) };
}

/** configfs attributes are written in place (no temporary file can be renamed there). */
const put = (t: Target, name: string, value: string) => t.ok('tee', ['--', `${DIR}/${name}`], { input: `${value}\n` });

async function ensureConfigfs(t: Target): Promise<void> {
  if ((await t.run('modprobe', ['netconsole'])).exitCode !== 0 && (await t.run('test', ['-d', `${CONFIGFS}/netconsole`])).exitCode !== 0) {
    throw new Error('the kernel has no netconsole module (modprobe netconsole failed)');
  }
  if ((await t.run('test', ['-d', `${CONFIGFS}/netconsole`])).exitCode !== 0) await t.ok('mount', ['-t', 'configfs', 'configfs', CONFIGFS]);
  if ((await t.run('test', ['-d', `${CONFIGFS}/netconsole`])).exitCode !== 0) throw new Error('netconsole has no configfs directory (configfs cannot be mounted here)');
}

export async function writeNetconsole(t: Target, n: Netconsole | undefined): Promise<void> {
  await ensureConfigfs(t);
  if ((await t.run('test', ['-d', DIR])).exitCode === 0) {
    await put(t, 'enabled', '0');
    if (!n) await t.ok('rmdir', ['--', DIR]);
  }
  if (!n) {
    await removeConfigFile(t, NETCONSOLE_MODPROBE);
    await removeConfigFile(t, NETCONSOLE_MODULES_LOAD);
    return;
  }
  await t.ok('mkdir', ['-p', '--', DIR]);
  await put(t, 'dev_name', n.device);
  await put(t, 'remote_ip', n.remoteIp);
  await put(t, 'remote_port', String(n.remotePort));
  // The kernel checks the device and its address here: a refusal leaves the target disabled and the boot files as they were.
  const on = await t.run('tee', ['--', `${DIR}/enabled`], { input: '1\n' });
  if (on.exitCode !== 0) throw new Error(`the kernel refused netconsole on ${n.device} (is it up with an address?): ${on.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
  await replaceConfigFile(t, NETCONSOLE_MODPROBE, netconsoleModprobe(n));
  await replaceConfigFile(t, NETCONSOLE_MODULES_LOAD, 'netconsole\n');
}

export async function sendNetconsoleTest(t: Target, text: string): Promise<void> {
  await t.ok('tee', ['--', '/dev/kmsg'], { input: `<3>${text}\n` });
}
