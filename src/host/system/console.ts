// The console's keyboard layout (/etc/default/keyboard, applied to the
// console by console-setup's setupcon, which runs loadkeys), the system
// locale (/etc/default/locale) and kdump's state. Through a Target.
import { KEYBOARD_FILE, LOCALE_FILE, XKB_RULES, kdumpState, parseXkbLayouts, shellVar, withKeyboard, withLang, withUseKdump, type KdumpState, type XkbLayout } from '../../domain/system/console.ts';
import type { Target } from '../net/target.ts';
import { replaceConfigFile } from './config-file.ts';

export async function readLayouts(t: Target): Promise<XkbLayout[]> {
  const text = await t.readFile(XKB_RULES);
  return text ? parseXkbLayouts(text) : [];
}

export async function readKeyboard(t: Target): Promise<{ layout: string; variant: string; configured: boolean }> {
  const text = await t.readFile(KEYBOARD_FILE);
  return { layout: shellVar(text, 'XKBLAYOUT') ?? 'us', variant: shellVar(text, 'XKBVARIANT') ?? '', configured: text !== undefined };
}

/** Write the layout; then the console takes it now where console-setup and a console exist, else at the next boot (said). */
export async function writeKeyboard(t: Target, layout: string, variant: string): Promise<string> {
  await replaceConfigFile(t, KEYBOARD_FILE, withKeyboard(await t.readFile(KEYBOARD_FILE), layout, variant));
  const r = await t.run('setupcon', ['-k', '--force'], { timeoutMs: 30_000 });
  if (r.spawnError || r.exitCode === 127) return 'saved; console-setup (setupcon, loadkeys) is not installed, so the console takes it at the next boot';
  if (r.exitCode !== 0) return `saved; the console could not take it now (setupcon: ${(r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? `exit ${r.exitCode}`})`;
  return 'applied to the console';
}

export async function readLocale(t: Target): Promise<{ lang: string; available: string[] }> {
  const [text, list] = await Promise.all([t.readFile(LOCALE_FILE), t.run('locale', ['-a'])]);
  return { lang: shellVar(text, 'LANG') ?? 'C', available: list.stdout.split('\n').map((l) => l.trim()).filter(Boolean) };
}

export async function writeLocale(t: Target, name: string): Promise<void> {
  await replaceConfigFile(t, LOCALE_FILE, withLang(await t.readFile(LOCALE_FILE), name));
}

export const KDUMP_DEFAULTS = '/etc/default/kdump-tools';

export async function readKdump(t: Target): Promise<KdumpState> {
  const [defaults, size, cmdline] = await Promise.all([t.readFile(KDUMP_DEFAULTS), t.readFile('/sys/kernel/kexec_crash_size'), t.readFile('/proc/cmdline')]);
  return kdumpState(defaults, Number(size?.trim()) || 0, cmdline ?? '');
}

/** USE_KDUMP in kdump-tools' defaults, then the crash kernel loaded or unloaded (kdump-config); the previous file back if that fails. */
export async function writeKdump(t: Target, on: boolean): Promise<void> {
  const replaced = await replaceConfigFile(t, KDUMP_DEFAULTS, withUseKdump((await t.readFile(KDUMP_DEFAULTS)) ?? '', on));
  const r = await t.run('kdump-config', [on ? 'load' : 'unload'], { timeoutMs: 60_000 });
  if (r.exitCode !== 0) {
    await replaced.restore();
    throw new Error(`kdump-config ${on ? 'load' : 'unload'} failed (the previous ${KDUMP_DEFAULTS} is back): ${(r.stderr || r.stdout || r.spawnError || '').trim().split('\n').slice(-1)[0] ?? ''}`);
  }
}
