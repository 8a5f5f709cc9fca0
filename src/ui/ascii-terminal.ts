// The console on a terminal that shows only ASCII: a serial line (ttyS0,
// TERM=vt100/vt220) or a locale without UTF-8. Everything the console draws
// still goes through ink; on its way to the terminal each character outside
// ASCII becomes one of the same width (boxes to + - |, braille charts and
// bars to density marks, arrows to < > ^ v), so the layout ink computed holds.
import stringWidth from './string-width.ts';

/** Terminals that show no UTF-8 unless the locale says they do (VT100 family, the Linux console, dumb). */
const NARROW_TERMS = /^(vt\d+|linux|dumb|ansi)(-|$)/;

/**
 * Whether the console must draw ASCII only: HOSTDECK_ASCII=1/0 decides when
 * set; else a locale (LC_ALL, LC_CTYPE, LANG: the first set) without UTF-8;
 * with no locale at all, a TERM of the VT100 family, the Linux console or dumb.
 */
export function asciiOnly(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.HOSTDECK_ASCII === '1') return true;
  if (env.HOSTDECK_ASCII === '0') return false;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG;
  if (locale) return !/utf-?8/i.test(locale);
  return NARROW_TERMS.test(env.TERM ?? '');
}

const SAME: [string, string][] = [
  ['─━═┄┅┈┉╌╍╴╶╸╺', '-'], ['│┃║┆┇┊┋╎╏╵╷╹╻', '|'],
  ['┌┐└┘╭╮╰╯╔╗╚╝┏┓┗┛├┤┬┴┼╠╣╦╩╬╟╢╤╧╪╫╞╡╥╨╒╓╕╖╘╙╛╜', '+'],
  ['←◀◄‹«', '<'], ['→▶►›»', '>'], ['↑▲△', '^'], ['↓▼▽', 'v'], ['↔⇄⇅↕', '-'],
  ['…', '~'], ['•●◆◇■□★☆', '*'], ['·∙', '.'], ['○◯°', 'o'], ['×✗✘✖', 'x'], ['✓✔', '+'], ['⚠', '!'],
  ['≥', '>'], ['≤', '<'], ['±', '+'], ['≈', '~'], ['‘’‚′', "'"], ['“”„″', '"'], ['–—―−', '-'], ['\u00a0\u2009\u202f', ' '],
  ['▁▂▃', '_'], ['▄▅▆', '='], ['▇█▉▊▋▌▍▎▏▐▓', '#'], ['▒', ':'], ['░', '.'],
];
const TABLE = new Map<string, string>(SAME.flatMap(([chars, to]) => [...chars].map((c) => [c, to] as [string, string])));

/** A braille cell by how many of its dots are set: the chart keeps its shape as density. */
function braille(code: number): string {
  let dots = 0;
  for (let b = code - 0x2800; b; b >>= 1) dots += b & 1;
  return dots === 0 ? ' ' : dots <= 2 ? '.' : dots <= 5 ? ':' : '#';
}

/** One character (a code point) as ASCII of the same width. */
function asciiOf(ch: string): string {
  const mapped = TABLE.get(ch);
  if (mapped !== undefined) return mapped;
  const code = ch.codePointAt(0)!;
  if (code >= 0x2800 && code <= 0x28ff) return braille(code);
  // A letter with an accent: its base letter.
  const base = ch.normalize('NFD')[0]!;
  if (base < '\u0080') return base;
  const w = stringWidth(ch);
  return w <= 0 ? '' : '?'.repeat(w);
}

const NON_ASCII = /[\u0080-\u{10FFFF}]/gu;

/** `text` with every character outside ASCII replaced by ASCII of the same width (escape sequences are ASCII and pass). */
export function toAscii(text: string): string {
  return text.replace(NON_ASCII, asciiOf);
}

/**
 * `out` (the console's stdout) seen through toAscii: ink keeps its size,
 * resize events and everything else; only what is written changes.
 */
export function asciiStream(out: NodeJS.WriteStream): NodeJS.WriteStream {
  return new Proxy(out, {
    get(target, prop) {
      if (prop === 'write') {
        return (chunk: unknown, ...rest: unknown[]) => (target.write as (...a: unknown[]) => boolean)(typeof chunk === 'string' ? toAscii(chunk) : chunk, ...rest);
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
