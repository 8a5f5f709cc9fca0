// Argument parsing for `hostdeck <noun> <verb> [options]`. Options are
// declared per command; every value is validated before anything runs and
// errors name the option and the rule.

export type OptionType = 'string' | 'boolean' | 'number' | 'list';

export interface OptionSpec {
  type: OptionType;
  description: string;
  short?: string;
  required?: boolean;
  /** Placeholder shown in help, e.g. HOST[:PORT]. */
  value?: string;
  /** Integer bounds for number options. */
  min?: number;
  max?: number;
  choices?: readonly string[];
  /** The empty string is a meaningful value (e.g. "" clears a description); otherwise an empty value is refused. */
  allowEmpty?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;
export type ParsedOptions = Record<string, string | boolean | number | string[] | undefined>;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Reads argv against the specs. Every problem names the option and the rule;
 * an empty value is refused unless the option allows it. With `--help` (when
 * the specs have it) nothing is validated: help is shown whatever else the
 * command line holds, so the first problem is thrown only without it.
 */
export function parseArgs(argv: readonly string[], specs: OptionSpecs): { options: ParsedOptions; positionals: string[] } {
  const options: ParsedOptions = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, s] of Object.entries(specs)) if (s.short) byShort.set(s.short, name);
  let problem: UsageError | undefined;
  const refuse = (message: string) => { problem ??= new UsageError(message); };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { positionals.push(...argv.slice(i + 1)); break; }
    let name: string | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
    } else if (/^-[A-Za-z]$/.test(a)) {
      name = byShort.get(a.slice(1));
      if (!name) { refuse(`unknown option ${a}`); continue; }
    } else {
      positionals.push(a);
      continue;
    }
    const spec = specs[name];
    if (!spec) { refuse(`unknown option --${name}`); continue; }
    if (spec.type === 'boolean') {
      if (inline !== undefined && !['true', 'false'].includes(inline)) refuse(`--${name}: takes no value (or true/false)`);
      else options[name] = inline === undefined ? true : inline === 'true';
      continue;
    }
    const v = inline ?? argv[++i];
    if (v === undefined) { refuse(`--${name}: needs a value${spec.value ? ` (${spec.value})` : ''}`); continue; }
    try {
      options[name] = convert(name, spec, v, options[name]);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      refuse(e.message);
    }
  }
  if (specs.help && options.help) return { options: { help: true }, positionals };
  if (problem) throw problem;
  for (const [name, s] of Object.entries(specs)) {
    if (s.required && options[name] === undefined) throw new UsageError(`--${name}: is required`);
  }
  return { options, positionals };
}

function convert(name: string, spec: OptionSpec, v: string, prev: ParsedOptions[string]): ParsedOptions[string] {
  if (v === '' && !spec.allowEmpty) throw new UsageError(`--${name}: must not be empty${spec.value ? ` (give ${spec.value}, or leave the option out)` : ' (leave the option out instead)'}`);
  if (spec.choices && !spec.choices.includes(v)) throw new UsageError(`--${name}: must be one of ${spec.choices.join(', ')} (got ${JSON.stringify(v)})`);
  switch (spec.type) {
    case 'number': {
      if (!/^-?\d+(\.\d+)?$/.test(v)) throw new UsageError(`--${name}: must be a number (got ${JSON.stringify(v)})`);
      const n = Number(v);
      if (spec.min !== undefined && n < spec.min) throw new UsageError(`--${name}: must be at least ${spec.min} (got ${v})`);
      if (spec.max !== undefined && n > spec.max) throw new UsageError(`--${name}: must be at most ${spec.max} (got ${v})`);
      return n;
    }
    case 'list':
      return [...((prev as string[] | undefined) ?? []), v];
    default:
      return v;
  }
}

export function formatOptions(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const flag = `${s.short ? `-${s.short}, ` : '    '}--${name}${s.type === 'boolean' ? '' : ` ${s.value ?? name.toUpperCase()}`}`;
    return [flag, `${s.description}${s.required ? ' (required)' : ''}${s.choices ? ` [${s.choices.join('|')}]` : ''}`] as const;
  });
  const w = Math.max(0, ...rows.map((r) => r[0].length));
  return rows.map(([f, d]) => `  ${f.padEnd(w)}  ${d}`).join('\n');
}
