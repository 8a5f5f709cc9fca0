// Entry point: argv -> the full-screen console (default) or a CLI command.
// Services are built once here. The CLI path never loads ink or React.
import { resolveConfig, type Config } from './config.ts';
import { formatOptions, parseArgs, UsageError, type OptionSpecs } from './cli/args.ts';
import { EXIT_STATUS_HELP, type Command, type CommandContext } from './cli/registry.ts';
import { printable } from './domain/text.ts';
import { Services } from './services.ts';
import { createCore } from './core/index.ts';
import { trace } from './trace.ts';
import type { Principal } from './core/principal.ts';

trace('entry loaded');

declare const HOSTDECK_VERSION: string | undefined;
export const VERSION = typeof HOSTDECK_VERSION === 'string' ? HOSTDECK_VERSION : '0.0.0-dev';

export const GLOBAL_OPTIONS: OptionSpecs = {
  connect: { type: 'string', short: 'c', description: 'libvirt URI (default: $LIBVIRT_DEFAULT_URI, else qemu:///system)', value: 'URI' },
  db: { type: 'string', description: 'State database path (default: $HOSTDECK_DB, else /var/lib/hostdeck/hostdeck.db)', value: 'PATH' },
  theme: { type: 'string', description: 'Console colours', choices: ['dark', 'light', 'high-contrast'] },
  'read-only': { type: 'boolean', description: 'Refuse every action that changes the host (console and commands; also HOSTDECK_READ_ONLY=1)' },
  json: { type: 'boolean', description: 'Machine-readable output (CLI commands)' },
  help: { type: 'boolean', short: 'h', description: 'Show help' },
  version: { type: 'boolean', short: 'V', description: 'Print the version' },
  user: { type: 'string', description: 'Act as this identity, after its password (default: root is admin@internal without one)', value: 'NAME@DOMAIN' },
  'user-password-file': { type: 'string', description: "With --user: the password is the first line of FILE (mode 600)", value: 'FILE' },
  'user-password-stdin': { type: 'boolean', description: 'With --user: the password is the first line of standard input' },
};

/** The global options that say who runs a command: every command takes them. */
const IDENTITY_OPTIONS = ['user', 'user-password-file', 'user-password-stdin'] as const;

// The commands (and everything they import) load only for a command or the
// help: the console does not pay for them on its way to the first frame.
const loadCommands = async (): Promise<readonly Command[]> => (await import('./cli/commands.ts')).COMMANDS;

/** Whether argv names a command: a word that is neither an option nor a global option's value. */
function hasCommandWord(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) return true;
    const name = a.startsWith('--') ? a.slice(2).split('=')[0]! : Object.entries(GLOBAL_OPTIONS).find(([, s]) => s.short === a.slice(1))?.[0];
    if (name && GLOBAL_OPTIONS[name] && GLOBAL_OPTIONS[name].type !== 'boolean' && !a.includes('=')) i++;
  }
  return false;
}

function nouns(COMMANDS: readonly Command[]): Map<string, Command[]> {
  const m = new Map<string, Command[]>();
  for (const c of COMMANDS) m.set(c.noun, [...(m.get(c.noun) ?? []), c]);
  return m;
}

export function mainHelp(COMMANDS: readonly Command[]): string {
  const lines = [
    `hostdeck ${VERSION} - the console of a KVM virtualization host`,
    '',
    'Usage:',
    '  hostdeck [options]                          open the full-screen console',
    '  hostdeck <noun> <verb> [options] [--json]   run one command',
    '  hostdeck <noun> <verb> --help               help for one command',
    '',
    'Commands:',
  ];
  const w = Math.max(...COMMANDS.map((c) => `${c.noun} ${c.verb}`.length));
  for (const c of COMMANDS) lines.push(`  ${`${c.noun} ${c.verb}`.trimEnd().padEnd(w)}  ${c.summary}`);
  lines.push('', 'Options:', formatOptions(GLOBAL_OPTIONS), '', EXIT_STATUS_HELP);
  return lines.join('\n');
}

/** The options one command takes: its own and the global ones every command reads. */
export function commandOptions(c: Command): OptionSpecs {
  return {
    ...(c.options ?? {}), json: GLOBAL_OPTIONS.json!, connect: GLOBAL_OPTIONS.connect!, db: GLOBAL_OPTIONS.db!, 'read-only': GLOBAL_OPTIONS['read-only']!,
    ...Object.fromEntries(IDENTITY_OPTIONS.map((o) => [o, GLOBAL_OPTIONS[o]!])),
  };
}

function commandHelp(c: Command): string {
  const opts = commandOptions(c);
  return [`Usage: hostdeck ${`${c.noun} ${c.verb}`.trimEnd()}${c.usage ? ` ${c.usage}` : ''} [options]`, '', c.summary, '', 'Options:', formatOptions(opts)].join('\n');
}

function nounHelp(noun: string, cmds: Command[]): string {
  const w = Math.max(...cmds.map((c) => c.verb.length));
  return [`Usage: hostdeck ${noun} <verb> [options]`, '', 'Verbs:', ...cmds.map((c) => `  ${c.verb.padEnd(w)}  ${c.summary}`)].join('\n');
}

// node:readline loads with the first question (the console never asks one this way).
function makePrompt(): CommandContext['prompt'] {
  return async (question) => {
    const { createInterface } = await import('node:readline');
    return ask(createInterface, question);
  };
}

function ask(createInterface: typeof import('node:readline').createInterface, question: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
    let answered = false;
    rl.question(question, (a) => { answered = true; rl.close(); resolve(a); });
    rl.on('close', () => { if (!answered) resolve(undefined); });
  });
}

/** Where the CLI writes its lines (the process's streams; a test collects them). */
export interface CliOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Aborted when the reader of standard output has gone (`hostdeck events list | head -1`). */
  closed?: AbortSignal;
}

/**
 * The process's streams. A reader that stops early closes the pipe: as a Unix
 * tool ends on SIGPIPE, the command ends quietly (its status unchanged, no
 * trace): what is still to print goes nowhere and a command that streams
 * (top --batch, events list --follow) stops at its next line. A write still
 * in flight when it happens does not end an action half-way.
 */
function processOutput(): CliOutput {
  const gone = new AbortController();
  let stderrGone = false;
  const closedBy = (onClosed: () => void) => (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    onClosed();
  };
  process.stdout.on('error', closedBy(() => gone.abort()));
  process.stderr.on('error', closedBy(() => { stderrGone = true; }));
  return {
    stdout: (t) => { if (!gone.signal.aborted) process.stdout.write(t); },
    stderr: (t) => { if (!stderrGone) process.stderr.write(t); },
    closed: gone.signal,
  };
}

export async function main(argv: string[], output: CliOutput = processOutput()): Promise<number> {
  // hostdeck's own line breaks stay; any other control character (an escape
  // sequence in a VM name libvirt reports, say) is shown escaped.
  const safe = (t: string) => t.split('\n').map(printable).join('\n');
  const out = (t: string) => output.stdout(`${safe(t)}\n`);
  const err = (t: string) => output.stderr(`${safe(t)}\n`);
  const COMMANDS = hasCommandWord(argv) || argv.some((a) => a === '--help' || a === '-h') ? await loadCommands() : [];
  // The noun and verb are the first two words that are not options.
  const words: string[] = [];
  // A third word when the first two name a group of commands ("vm snapshot create").
  const wanted = () => (words.length === 2 && COMMANDS.some((c) => c.noun === words[0] && c.verb.startsWith(`${words[1]} `)) ? 3 : 2);
  for (let i = 0; i < argv.length && words.length < wanted(); i++) {
    const a = argv[i]!;
    if (a.startsWith('-')) {
      // Skip the value of a global option that takes one.
      const name = a.startsWith('--') ? a.slice(2).split('=')[0]! : Object.entries(GLOBAL_OPTIONS).find(([, s]) => s.short === a.slice(1))?.[0];
      if (name && GLOBAL_OPTIONS[name] && GLOBAL_OPTIONS[name].type !== 'boolean' && !a.includes('=')) i++;
      continue;
    }
    words.push(a);
    argv = [...argv.slice(0, i), ...argv.slice(i + 1)];
    i--;
    // A noun that is a command by itself (`hostdeck top --batch`) takes no verb.
    if (words.length === 1 && COMMANDS.some((c) => c.noun === a && c.verb === '')) break;
  }
  const all = nouns(COMMANDS);
  try {
    if (words.length === 0) {
      const { options } = parseArgs(argv, GLOBAL_OPTIONS);
      if (options.version) { out(`hostdeck ${VERSION}`); return 0; }
      if (options.help) { out(mainHelp(COMMANDS)); return 0; }
      if (options.json) throw new UsageError('--json: only applies to a command (hostdeck <noun> <verb> --json)');
      const config = resolveConfig({ connect: options.connect as string, db: options.db as string, theme: options.theme as string, readOnly: options['read-only'] as boolean });
      return await openConsole(config, options);
    }
    const [noun, ...rest] = words as [string, ...string[]];
    const verb = rest.length ? rest.join(' ') : undefined;
    if (noun === 'help') { out(mainHelp(COMMANDS)); return 0; }
    const cmds = all.get(noun);
    if (!cmds) throw new UsageError(`unknown command "${noun}" (see hostdeck --help)`);
    const nounOnly = cmds.find((c) => c.verb === '');
    if (!verb && !nounOnly) {
      if (argv.includes('--help') || argv.includes('-h')) { out(nounHelp(noun, cmds)); return 0; }
      throw new UsageError(`${noun}: needs a verb, one of ${cmds.map((c) => c.verb).join(', ')}`);
    }
    const cmd = verb ? cmds.find((c) => c.verb === verb) : nounOnly;
    // A group of commands named without its verb ("storage domain", "vm snapshot"): its help, or which verbs it has.
    const group = verb && !cmd ? cmds.filter((c) => c.verb.startsWith(`${verb} `)).map((c) => ({ ...c, verb: c.verb.slice(verb.length + 1) })) : [];
    if (group.length) {
      if (argv.includes('--help') || argv.includes('-h')) { out(nounHelp(`${noun} ${verb}`, group)); return 0; }
      throw new UsageError(`${noun} ${verb}: needs a verb, one of ${group.map((c) => c.verb).join(', ')}`);
    }
    if (!cmd) throw new UsageError(`${noun}: unknown verb "${verb}", one of ${cmds.map((c) => c.verb).join(', ')}`);
    const specs: OptionSpecs = { ...commandOptions(cmd), help: GLOBAL_OPTIONS.help! };
    const { options, positionals } = parseArgs(argv, specs);
    if (options.help) { out(commandHelp(cmd)); return 0; }
    const config = resolveConfig({ connect: options.connect as string, db: options.db as string, readOnly: options['read-only'] as boolean });
    const services = new Services(config, 'cli');
    try {
      const core = createCore(services, await principalFor(services, options, config.user, 'cli'));
      return await cmd.run({ core, options, positionals, json: Boolean(options.json), out, err, interactive: Boolean(process.stdin.isTTY), prompt: makePrompt(), outputClosed: output.closed });
    } catch (e) {
      throw services.explainError(e);
    } finally {
      await services.close();
    }
  } catch (e) {
    // Loaded on failure only: the mapping knows every service's errors, which the console does not load up front.
    const { toCommandError } = await import('./cli/errors.ts');
    const c = toCommandError(e);
    // Each line is escaped whole (a newline inside one shows as \n): a quoted value cannot forge a line.
    for (const line of c.lines) output.stderr(`hostdeck: ${printable(line)}\n`);
    return c.code;
  }
}

/**
 * Who runs this command or console: with --user, the identity whose
 * password was given (from a file, standard input or a prompt; the login's
 * events name who tried); else the invoking user as root's admin@internal.
 */
async function principalFor(services: Services, options: Record<string, unknown>, osUser: string, channel: 'cli' | 'tui'): Promise<Principal> {
  const as = options.user;
  if (typeof as !== 'string') {
    if (options['user-password-file'] !== undefined || options['user-password-stdin']) throw new UsageError('--user-password-file: only goes with --user NAME@DOMAIN');
    return { user: osUser, channel };
  }
  const { readPassword } = await import('./cli/user.ts');
  const password = await readPassword({
    file: options['user-password-file'], stdin: options['user-password-stdin'], interactive: Boolean(process.stdin.isTTY),
    names: { file: '--user-password-file', stdin: '--user-password-stdin' },
  }, `the password of ${as}`, false);
  const identity = await createCore(services, { user: osUser, channel }).users.login(as, password);
  return { user: identity, channel, identity };
}

/** How long the console waits for the host, libvirt and VM data before it draws a frame without them. */
const FIRST_FRAME_WAIT_MS = 500;

async function openConsole(config: Config, options: Record<string, unknown> = {}): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write(
      'hostdeck: the console needs a terminal (standard input and output must be a TTY).\n' +
      'For scripts and pipes use the CLI instead, e.g. `hostdeck host info --json`; `hostdeck --help` lists every command.\n',
    );
    return 2;
  }
  // Open the state DB and start reading the host and libvirt before the UI
  // modules load, so the data is there by the first frame.
  const services = new Services(config, 'tui');
  void services.db;
  trace('state db open');
  const [{ createStores }, { fqdnAfter }, { createCore }] = await Promise.all([import('./store/host.ts'), import('./host/system.ts'), import('./core/index.ts')]);
  // With --user the password is asked here, on the terminal, before the screen is taken over.
  const core = createCore(services, typeof options.user === 'string' ? await principalFor(services, options, config.user, 'tui') : { user: config.user, channel: 'tui' });
  // Programs (the event stream's and the version's virsh, `hostname -f`)
  // wait for the first frame, or 2 s at most: a process start costs the frame
  // more than the data is worth before it.
  let framed!: () => void;
  const firstFrame = new Promise<void>((r) => { framed = r; setTimeout(r, 2000).unref(); });
  fqdnAfter(firstFrame);
  services.virt.deferProcesses(firstFrame);
  void firstFrame.then(() => import('./app/heap.ts')).then((m) => m.settleHeap());
  // The VM counts are part of the first frame: the VM sampler's first tick
  // (in process through hostdeck's libvirt addon; a virsh where it is not
  // built) starts now, with the other reads.
  const stores = createStores(core, config.refreshMs);
  const firstData = Promise.all([stores.host.refresh(), stores.virt.refresh(), stores.mode.refresh(), stores.vms.refresh().finally(() => trace('vm data'))]);
  // Unattended registration with an engine (management_server= on the kernel
  // command line or in the unattended file), once, in the background.
  const startup = firstFrame.then(() => core.engine.unattended()).then(
    (o): { kind: 'success' | 'warning' | 'error'; text: string } | undefined => {
      if (o.status === 'registered') { void stores.mode.refresh(); return { kind: 'success', text: `Unattended registration: ${o.message}` }; }
      if (o.status === 'refused' || o.status === 'failed') return { kind: 'warning', text: `Unattended registration: ${o.message}` };
      return undefined;
    },
    (e: Error) => ({ kind: 'error' as const, text: `Unattended registration failed: ${e.message}` }),
  );
  const [{ runConsole }, { SCREENS, ACTIONS }] = await Promise.all([import('./app/run.tsx'), import('../screens/index.ts')]);
  trace('console modules loaded');
  // The first frame is drawn with the host, libvirt, VM and engine data in it (a frame of
  // placeholders would cost a whole render on the way to the real one); a
  // slow source only delays it by FIRST_FRAME_WAIT_MS, then it fills in.
  let waited: NodeJS.Timeout | undefined;
  await Promise.race([firstData, new Promise((r) => { waited = setTimeout(r, FIRST_FRAME_WAIT_MS); })]);
  clearTimeout(waited);
  trace('first data ready');
  return runConsole(core, stores, SCREENS, ACTIONS, [startup], framed);
}

// Run directly (tsx src/cli.tsx) rather than through src/main.ts.
if (process.argv[1] && /cli\.tsx$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => { process.stderr.write(`hostdeck: ${(e as Error).stack ?? String(e)}\n`); process.exitCode = 1; },
  );
}
