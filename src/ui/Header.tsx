// The top line: hostname, management IP, mode, clock.
import { Text } from 'ink';
import { useTheme } from './theme.ts';

export interface HeaderProps {
  hostname: string;
  ip?: string;
  mode: string;
  clock: string;
  width: number;
  readOnly?: boolean;
  /** What the operator must know about the connection (e.g. the test driver keeps no change). */
  note?: string;
}

/** A field of the header at each length it may take, longest first: shorter forms drop whole words, never cut one. */
type HeaderField = string[];

/** The engine's name is on the Engine screen: the header can say only the state. */
const modeForms = (mode: string): HeaderField => {
  const short = mode.replace(/^engine \S+: /, 'engine: ');
  return short === mode ? [mode] : [mode, short];
};

/** The note's shorter forms keep its point (the test driver keeps nothing). */
const noteForms = (note: string): HeaderField => (note === 'test driver: changes are not kept' ? [note, 'test driver: not kept', 'test driver'] : [note]);

type FieldName = 'brand' | 'host' | 'ip' | 'mode' | 'ro' | 'note';

/**
 * What gives way, in order, while the line does not fit: a field shortened to
 * its next form, or left out. The least important first: the product's name,
 * the note's wording, the engine's name, the address, the hostname's domain,
 * READ-ONLY's spelling; then the note, the mode and the hostname go.
 */
const GIVE_WAY: [FieldName, 'shorten' | 'drop'][] = [
  ['brand', 'drop'], ['note', 'shorten'], ['mode', 'shorten'], ['ip', 'drop'], ['host', 'shorten'], ['ro', 'shorten'],
  ['note', 'shorten'], ['note', 'drop'], ['mode', 'drop'], ['host', 'drop'],
];

/** The header's text for `width` columns: the clock always shows, every other field whole or not at all. */
export function headerText({ hostname, ip, mode, clock, width, readOnly, note }: HeaderProps): string {
  const label = hostname.split('.')[0]!;
  const fields: Record<FieldName, HeaderField> = {
    brand: ['hostdeck'],
    host: label && label !== hostname ? [hostname, label] : [hostname],
    ip: ip ? [`(${ip})`] : [],
    mode: modeForms(mode),
    ro: readOnly ? ['READ-ONLY', 'RO'] : [],
    note: note ? noteForms(note) : [],
  };
  const form = Object.fromEntries(Object.keys(fields).map((k) => [k, 0])) as Record<FieldName, number>;
  const dropped = new Set<FieldName>();
  const right = `${clock} `;
  const leftText = () => {
    const f = (k: FieldName) => (dropped.has(k) ? undefined : fields[k][form[k]]);
    // The hostname and its address are one field of the line.
    const host = [f('host'), f('ip')].filter(Boolean).join(' ');
    return ` ${[f('brand'), host, f('mode'), f('ro'), f('note')].filter(Boolean).join(' │ ')}`;
  };
  const fits = (text: string) => text.length + 1 + right.length <= width;
  let left = leftText();
  for (const [k, how] of GIVE_WAY) {
    if (fits(left)) break;
    if (how === 'drop') dropped.add(k);
    else form[k] = Math.min(form[k] + 1, Math.max(0, fields[k].length - 1));
    left = leftText();
  }
  if (!fits(left)) left = '';
  return `${left}${' '.repeat(Math.max(0, width - left.length - right.length))}${right}`;
}

export function Header(props: HeaderProps) {
  const t = useTheme();
  // One line of the shell's column: a Text alone (a Box around it would be one more layout node in every frame).
  return <Text bold {...(t.color ? { backgroundColor: t.headerBg, color: t.headerFg } : { inverse: true })} wrap="truncate">{headerText(props)}</Text>;
}

export function Breadcrumbs({ trail, width }: { trail: string[]; width: number }) {
  const t = useTheme();
  void width;
  return <Text wrap="truncate" {...(t.color ? { color: t.dim } : {})}> {trail.join(' › ')}</Text>;
}
