// The man page and the bash completion of the CLI, generated from the same
// command data as `--help` (src/cli/commands.ts), so neither can fall behind
// the commands: the Debian package carries both (scripts/package).
import type { OptionSpecs } from './args.ts';
import type { Command } from './registry.ts';

export interface CliDocsInput {
  commands: readonly Command[];
  globalOptions: OptionSpecs;
  /** The options each command takes (its own and the global ones it reads). */
  optionsOf: (c: Command) => OptionSpecs;
  version: string;
  exitStatus: string;
  /** The page's date, YYYY-MM-DD. */
  date: string;
}

const path = (c: Command) => `${c.noun} ${c.verb}`.trimEnd();

/** Text for roff: backslashes escaped, a line that would start with a control character guarded, hyphens as minus signs. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .join('\n');
}

function optionItems(specs: OptionSpecs): string[] {
  return Object.entries(specs).flatMap(([name, s]) => {
    const flag = `${s.short ? `\\fB\\-${s.short}\\fR, ` : ''}\\fB\\-\\-${roff(name)}\\fR${s.type === 'boolean' ? '' : ` \\fI${roff(s.value ?? name.toUpperCase())}\\fR`}`;
    const text = `${s.description}${s.required ? ' (required)' : ''}${s.choices ? ` [${s.choices.join('|')}]` : ''}`;
    return ['.TP', flag, roff(text)];
  });
}

/** hostdeck(1) in man(7) roff. */
export function manPage(d: CliDocsInput): string {
  const lines = [
    `.TH HOSTDECK 1 "${d.date}" "hostdeck ${roff(d.version)}" "User Commands"`,
    '.SH NAME',
    'hostdeck \\- the console of a KVM virtualization host',
    '.SH SYNOPSIS',
    '.B hostdeck',
    '[\\fIoptions\\fR]',
    '.br',
    '.B hostdeck',
    '\\fInoun\\fR \\fIverb\\fR [\\fIoptions\\fR] [\\fB\\-\\-json\\fR]',
    '.SH DESCRIPTION',
    roff('Without a command, hostdeck opens its full-screen console: host setup (network, storage, engine registration), the VMs and the host live and as history, events and alerts, and the standalone manager (data centers, clusters, logical networks, templates, pools). With a command it runs that one action and exits; --json gives machine-readable output.'),
    '.SH COMMANDS',
  ];
  for (const c of d.commands) {
    lines.push('.TP', `\\fBhostdeck ${roff(path(c))}\\fR${c.usage ? ` \\fI${roff(c.usage)}\\fR` : ''}`, roff(c.summary));
    const own = Object.fromEntries(Object.entries(d.optionsOf(c)).filter(([n]) => !(n in d.globalOptions)));
    if (Object.keys(own).length) lines.push('.RS', ...optionItems(own), '.RE');
  }
  lines.push('.SH OPTIONS', ...optionItems(d.globalOptions));
  lines.push('.SH EXIT STATUS', roff(d.exitStatus));
  lines.push('.SH ENVIRONMENT', '.TP', '.B LIBVIRT_DEFAULT_URI', roff('The libvirt connection (default qemu:///system).'), '.TP', '.B HOSTDECK_DB', roff('The state database (default /var/lib/hostdeck/hostdeck.db).'), '.TP', '.B HOSTDECK_READ_ONLY', roff('1: refuse every action that changes the host.'));
  lines.push('.SH FILES', '.TP', '.I /var/lib/hostdeck/hostdeck.db', roff('The state database: the manager\'s objects, the event log and the history.'));
  return `${lines.join('\n')}\n`;
}

/** Single-quoted for bash. */
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A bash completion script: command words, then each command's options (and an option's choices). */
export function bashCompletion(d: CliDocsInput): string {
  const flags = (specs: OptionSpecs) => Object.entries(specs).flatMap(([n, s]) => [`--${n}`, ...(s.short ? [`-${s.short}`] : [])]);
  const valued = new Set<string>();
  const choices: string[] = [];
  const table = d.commands.map((c) => {
    const specs = d.optionsOf(c);
    for (const [n, s] of Object.entries(specs)) {
      if (s.type === 'boolean') continue;
      valued.add(`--${n}`);
      if (s.short) valued.add(`-${s.short}`);
      if (s.choices) choices.push(`${path(c)}|--${n}|${s.choices.join(' ')}`);
    }
    return `${path(c)}|${[...flags(specs), '--help'].join(' ')}`;
  });
  for (const [n, s] of Object.entries(d.globalOptions)) if (s.type !== 'boolean') { valued.add(`--${n}`); if (s.short) valued.add(`-${s.short}`); }
  return `# bash completion for hostdeck ${d.version}, generated from its command data (src/cli/docs.ts).
_hostdeck_commands=(
${table.map((t) => `  ${sq(t)}`).join('\n')}
)
_hostdeck_choices=(
${choices.map((t) => `  ${sq(t)}`).join('\n')}
)
_hostdeck_valued=${sq([...valued].join(' '))}
_hostdeck_globals=${sq(flags(d.globalOptions).join(' '))}
# Offers the words of $2 (split at spaces, taken literally: no quotes or globs read) that start with $1.
_hostdeck_offer() {
  local w words
  read -ra words <<< "$2"
  COMPREPLY=()
  for w in "\${words[@]}"; do [[ $w == "$1"* ]] && COMPREPLY+=("$w"); done
}
_hostdeck() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} typed="" w i line cmd rest next=""
  # The command words typed so far: words that are neither options nor an option's value.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    if [[ $w == -* ]]; then [[ " $_hostdeck_valued " == *" $w "* && $w != *=* ]] && ((i++)); continue; fi
    typed+="\${typed:+ }$w"
  done
  if [[ " $_hostdeck_valued " == *" $prev "* ]]; then
    for line in "\${_hostdeck_choices[@]}"; do
      if [[ $line == "$typed|$prev|"* ]]; then _hostdeck_offer "$cur" "\${line##*|}"; return; fi
    done
    mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return
  fi
  for line in "\${_hostdeck_commands[@]}"; do
    cmd=\${line%%|*}
    if [[ $cmd == "$typed" && $cur == -* ]]; then _hostdeck_offer "$cur" "\${line#*|}"; return; fi
    if [[ -z $typed ]]; then w=\${cmd%% *}; elif [[ $cmd == "$typed "* ]]; then rest=\${cmd#"$typed "}; w=\${rest%% *}; else continue; fi
    [[ " $next " == *" $w "* ]] || next+=" $w"
  done
  [[ -z $typed ]] && next+=" $_hostdeck_globals"
  _hostdeck_offer "$cur" "$next"
}
complete -F _hostdeck hostdeck
`;
}
