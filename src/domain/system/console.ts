// Pure rules of the console's keyboard layout (Debian's keyboard-configuration:
// /etc/default/keyboard, layouts from xkb-data's base.lst) and the system
// locale (/etc/default/locale, a locale that `locale -a` lists).
import type { FieldError } from '../errors.ts';

export const KEYBOARD_FILE = '/etc/default/keyboard';
export const XKB_RULES = '/usr/share/X11/xkb/rules/base.lst';
export const LOCALE_FILE = '/etc/default/locale';
export const LAYOUT_RULE = 'an XKB layout such as us, de or fr (hostdeck system keyboard-layouts), with an optional variant of it';
export const LOCALE_RULE = 'a locale generated on this host (locale -a), such as C.UTF-8 or en_US.UTF-8';

export interface XkbLayout { layout: string; description: string; variants: { variant: string; description: string }[] }

/** The layouts and their variants of base.lst ("! layout" and "! variant" sections). */
export function parseXkbLayouts(text: string): XkbLayout[] {
  const layouts = new Map<string, XkbLayout>();
  let section = '';
  for (const line of text.split('\n')) {
    const head = /^! (\w+)/.exec(line);
    if (head) { section = head[1]!; continue; }
    const m = /^\s+(\S+)\s+(.*)$/.exec(line);
    if (!m) continue;
    if (section === 'layout') layouts.set(m[1]!, { layout: m[1]!, description: m[2]!.trim(), variants: [] });
    else if (section === 'variant') {
      const v = /^(\S+): (.*)$/.exec(m[2]!.trim());
      if (v) layouts.get(v[1]!)?.variants.push({ variant: m[1]!, description: v[2]! });
    }
  }
  return [...layouts.values()];
}

const NAME_RE = /^[a-z][a-z0-9_-]{0,31}$/i;

/** The layout and variant, or the rules they break (the layout list from base.lst). */
export function keyboardInput(layouts: readonly XkbLayout[], layout: string, variant = ''): { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const l = layouts.find((x) => x.layout === layout);
  if (!NAME_RE.test(layout) || !l) errors.push({ field: 'layout', message: `layout: ${JSON.stringify(layout.slice(0, 32))} is not ${LAYOUT_RULE}${layouts.length ? '' : ' (xkb-data is not installed)'}` });
  else if (variant && (!NAME_RE.test(variant) || !l.variants.some((v) => v.variant === variant))) {
    errors.push({ field: 'variant', message: `variant: ${JSON.stringify(variant.slice(0, 32))} is not a variant of ${layout} (${l.variants.slice(0, 6).map((v) => v.variant).join(', ') || 'it has none'}${l.variants.length > 6 ? ', …' : ''})` });
  }
  return { errors };
}

/** /etc/default/keyboard with XKBLAYOUT and XKBVARIANT set (other lines kept). */
export function withKeyboard(text: string | undefined, layout: string, variant: string): string {
  const lines = (text ?? '# KEYBOARD CONFIGURATION FILE\n\nXKBMODEL="pc105"\nXKBOPTIONS=""\nBACKSPACE="guess"\n').split('\n').filter((l) => !/^XKB(LAYOUT|VARIANT)=/.test(l));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return `${[...lines, `XKBLAYOUT="${layout}"`, `XKBVARIANT="${variant}"`].join('\n')}\n`;
}

/** A KEY="value" of a shell-variable file such as /etc/default/keyboard or /etc/default/locale. */
export function shellVar(text: string | undefined, key: string): string | undefined {
  const m = text && new RegExp(`^${key}=("?)([^"\\n]*)\\1\\s*$`, 'm').exec(text);
  return m ? m[2] : undefined;
}

/** glibc's normalised codeset (UTF-8 and utf8 are one locale). */
const normal = (l: string) => l.replace(/\.(utf-?8)$/i, '.utf8');

/** The locale as written, or the rule it breaks: its syntax, and present in `locale -a`. */
export function localeInput(available: readonly string[], name: string): { error?: FieldError } {
  if (!/^([A-Za-z]{1,8}(_[A-Za-z]{2})?(\.[A-Za-z0-9-]{1,16})?(@[a-z]{1,16})?)$/.test(name) || !available.map(normal).includes(normal(name))) {
    return { error: { field: 'locale', message: `locale: ${JSON.stringify(name.slice(0, 40))} is not ${LOCALE_RULE}${available.length ? ` (here: ${available.slice(0, 6).join(', ')}${available.length > 6 ? ', …' : ''})` : ''}` } };
  }
  return {};
}

/** /etc/default/locale with LANG set (other variables kept). */
export function withLang(text: string | undefined, name: string): string {
  const lines = (text ?? '').split('\n').filter((l) => l && !/^LANG=/.test(l));
  return `${[...lines, `LANG=${name}`].join('\n')}\n`;
}

export interface KdumpState {
  /** Whether kdump can work here; when not, why. */
  supported: boolean;
  reason?: string;
  enabled?: boolean;
  /** Memory the kernel reserved for the crash kernel. */
  reservedBytes: number;
}

/** kdump's state from what was read: the package's file, the kernel's reservation, the command line. */
export function kdumpState(defaults: string | undefined, crashSize: number, cmdline: string): KdumpState {
  const why: string[] = [];
  if (defaults === undefined) why.push('kdump-tools is not installed');
  if (!/\bcrashkernel=/.test(cmdline) || crashSize === 0) why.push('the kernel has no memory reserved for a crash kernel (crashkernel= on its command line)');
  if (why.length) return { supported: false, reason: why.join('; '), reservedBytes: crashSize };
  return { supported: true, enabled: shellVar(defaults, 'USE_KDUMP') === '1', reservedBytes: crashSize };
}

/** /etc/default/kdump-tools with USE_KDUMP set (other lines kept). */
export function withUseKdump(text: string, on: boolean): string {
  const lines = text.split('\n').filter((l) => !/^USE_KDUMP=/.test(l));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return `${[...lines, `USE_KDUMP=${on ? 1 : 0}`].join('\n')}\n`;
}
