// The hostile-value table, generated from the command data: every string or
// list option and every positional argument (from `usage`) of every CLI
// command, each given each hostile value, the rest of the command line filled
// with plausible values. A command added to src/cli/commands.ts is covered
// without editing this file; the plausible values are keyed by option name
// and placeholder, not by command.
import type { Command } from '../../src/cli/registry.ts';
import type { OptionSpec } from '../../src/cli/args.ts';
import type { RunRecord } from '../../src/exec/runner.ts';

export const HOSTILE_VALUES: readonly { label: string; value: string }[] = [
  { label: 'option of another program', value: '-oProxyCommand=x' },
  { label: 'another object by option', value: '--domain=prod' },
  { label: 'help flag', value: '--help' },
  { label: 'lone dash', value: '-' },
  { label: 'terminal escape', value: '\x1b[2J' },
  { label: 'newline', value: 'a\nb' },
  { label: 'carriage return', value: 'ok\rforged' },
  { label: 'bidi override', value: 'abc\u202etxt' },
  { label: 'zero-width space', value: 'a\u200bb' },
  { label: 'command substitution', value: '$(touch /tmp/hostdeck-pwned)' },
  { label: 'backticks', value: '`id`' },
  { label: 'command separator', value: ';reboot' },
  { label: 'pipe', value: '| cat' },
  { label: 'path traversal', value: '../../etc/passwd' },
  { label: '5000 characters', value: 'x'.repeat(5000) },
  { label: 'empty', value: '' },
  { label: 'glob', value: '*' },
];

export interface Target {
  command: Command;
  /** `--name` for an option, the placeholder (NAME, NEW-NAME) for a positional. */
  label: string;
  option?: { name: string; spec: OptionSpec };
  positional?: number;
}

/** The positional placeholders of a usage text: "NAME NEW-NAME" -> [NAME, NEW-NAME]; "[CONNECTION]" -> [CONNECTION]. */
export function positionalNames(usage: string | undefined): string[] {
  return (usage ?? '').split(/\s+/).filter(Boolean).map((w) => w.replace(/^\[|\]$/g, ''));
}

export const commandWords = (c: Command): string[] => [c.noun, ...c.verb.split(' ').filter(Boolean)];

/** Every string and list option and every positional of every command. */
export function hostileTargets(commands: readonly Command[]): Target[] {
  const out: Target[] = [];
  for (const command of commands) {
    for (const [name, spec] of Object.entries(command.options ?? {})) {
      if (spec.type === 'string' || spec.type === 'list') out.push({ command, label: `--${name}`, option: { name, spec } });
    }
    positionalNames(command.usage).forEach((p, i) => out.push({ command, label: p, positional: i }));
  }
  return out;
}

export interface Plausible {
  /** Values by option name (first) or placeholder. */
  options: Record<string, string>;
  /** Values by "<noun> <verb>" then option name, where one command's option wants another value than the same name elsewhere (pool create --size is a count). */
  commandOptions?: Record<string, Record<string, string>>;
  /** Positional values by "<noun> <first verb word>", then noun, then placeholder. */
  positionals: Record<string, Record<string, string>>;
}

function optionValue(p: Plausible, c: Command, name: string, spec: OptionSpec): string {
  return p.commandOptions?.[`${c.noun} ${c.verb}`]?.[name] ?? p.options[name] ?? (spec.value ? p.options[spec.value] : undefined) ?? spec.choices?.[0] ?? 'plain1';
}

function positionalValue(p: Plausible, c: Command, placeholder: string): string {
  const group = `${c.noun} ${c.verb.split(' ')[0] ?? ''}`.trim();
  const first = placeholder.split('|')[0]!;
  return p.positionals[group]?.[first] ?? p.positionals[c.noun]?.[first] ?? p.positionals['*']?.[first] ?? 'plain1';
}

/**
 * The command line of one case: the words, the options the command requires
 * (and those an option's description ties to a TYPE positional, e.g. "iscsi:"),
 * the hostile value in its place, and the positionals after `--`.
 */
export function caseArgv(t: Target, value: string, p: Plausible, globals: string[], extra: Record<string, string> = {}): string[] {
  const c = t.command;
  const names = positionalNames(c.usage);
  const pos = names.map((n) => positionalValue(p, c, n));
  // An option described as "iscsi: ..." belongs to that TYPE of the command.
  const kind = t.option && names[0] === 'TYPE' ? /^([a-z]+)(?:, [a-z]+)*:/.exec(t.option.spec.description)?.[1] : undefined;
  if (kind) pos[0] = kind;
  const opts: [string, string][] = [];
  for (const [name, spec] of Object.entries(c.options ?? {})) {
    if (t.option?.name === name) continue;
    if (spec.required || extra[name] !== undefined) opts.push([name, extra[name] ?? optionValue(p, c, name, spec)]);
    else if (spec.type === 'boolean' && name === 'yes') opts.push([name, '']);
  }
  if (t.option) opts.push([t.option.name, value]);
  if (t.positional !== undefined) pos[t.positional] = value;
  const argv = [...commandWords(c)];
  for (const [name, v] of opts) {
    if (c.options?.[name]?.type === 'boolean') argv.push(`--${name}`);
    else argv.push(`--${name}`, v);
  }
  return [...argv, ...globals, '--', ...pos];
}

/** Options (beyond the required ones) a command needs to get to the hostile one, as its own refusals name them. */
export function missingOptions(c: Command, stderr: string, have: Record<string, string>): string[] {
  if (!/required|needs|missing|give|one of/i.test(stderr)) return [];
  const wanted = (name: string) => { const spec = c.options?.[name]; return Boolean(spec && spec.type !== 'boolean' && have[name] === undefined); };
  const named = [...stderr.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!).filter(wanted);
  // "boot from disk needs at least one disk": an option by its bare name too.
  const words = Object.keys(c.options ?? {}).filter((name) => wanted(name) && new RegExp(`\\b${name}\\b`).test(stderr.replace(/--[a-z][a-z0-9-]*/g, '')));
  return [...new Set([...named, ...words])];
}

export function plausibleOption(p: Plausible, c: Command, name: string): string {
  return optionValue(p, c, name, c.options![name]!);
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'csh', 'tcsh', 'fish', 'busybox', 'rbash']);

export const isShell = (command: string): boolean => SHELLS.has(command.split('/').pop()!);

/**
 * For each program, the arguments after which the next one is that option's
 * value (not read as an option), beyond `--opt=value`. iproute2's keywords
 * (dev, name, link, ...) take the next word as their value.
 */
export const VALUE_OPTIONS: Record<string, ReadonlySet<string>> = {
  virsh: new Set(['-c', '--connect', '--domain', '--snapshotname', '--pool', '--vol', '--network', '--name', '--description', '--file', '--parent', '--xml', '--inputpool', '--newname', '--format', '--target', '--source-path']),
  ip: new Set(['dev', 'name', 'link', 'master', 'via', 'to', 'table', 'type', 'address', 'mtu', 'id', 'mode', 'primary']),
  nmcli: new Set(['con-name', 'ifname', 'id', 'uuid', 'type', 'dev', 'master', 'controller', 'port-type', 'slave-type', 'autoconnect', 'ipv4.method', 'ipv6.method']),
  iscsiadm: new Set(['-m', '--mode', '-T', '--targetname', '-p', '--portal', '-n', '--name', '-v', '--value', '-o', '--op', '-t', '--type', '-I', '--interface']),
  mount: new Set(['-t', '--types', '-o', '--options']),
  'qemu-img': new Set(['-f', '-O', '-o', '-F', '-b']),
  'ssh-keygen': new Set(['-f', '-E', '-l']),
};

/** nmcli properties (setting.property) take the next word as their value too. */
const isValueOption = (program: string, arg: string): boolean =>
  Boolean(VALUE_OPTIONS[program]?.has(arg)) || (program === 'nmcli' && /^[a-z0-9-]+\.[a-z0-9-]+$/.test(arg));

/**
 * Arguments of one program call that hold the hostile value (or start with
 * it) where the program would read an option: not after `--` and not the
 * value of an option that takes one. Only meaningful for a value starting with '-'.
 */
export function optionPositionViolations(rec: RunRecord, value: string): number[] {
  if (!value.startsWith('-') || value === '-') return [];
  const program = rec.command.split('/').pop()!;
  const bad: number[] = [];
  let ended = false;
  rec.args.forEach((a, i) => {
    if (ended) return;
    if (a === '--') { ended = true; return; }
    if (!a.startsWith(value)) return;
    if (i > 0 && isValueOption(program, rec.args[i - 1]!)) return;
    bad.push(i);
  });
  return bad;
}

/** Raw control text from the input that reached the terminal: ESC, CR, or the value with its newline. */
export function rawControlShown(output: string, value: string): string | undefined {
  if (value.includes('\x1b') && output.includes('\x1b')) return 'a raw ESC';
  if (value.includes('\r') && output.includes('\r')) return 'a raw carriage return';
  if (value.includes('\n') && output.includes(value)) return 'the raw newline of the value';
  return undefined;
}

/** Whether a refusal names the option (`--name`) or the positional's placeholder (NAME, NEW-NAME as "new name" too). */
export function namesTarget(stderr: string, t: Target): boolean {
  if (t.option) return stderr.includes(`--${t.option.name}`);
  const alternatives = t.label.split('|');
  return alternatives.some((a) => new RegExp(a.replace(/-/g, '[- ]'), 'i').test(stderr));
}

/** How a value is shown in a report: JSON string, long ones shortened. */
export const shown = (v: string): string => (v.length > 40 ? `${JSON.stringify(v.slice(0, 12))}…(${v.length} chars)` : JSON.stringify(v));
