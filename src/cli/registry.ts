// CLI commands are data: noun, verb, options, and a run function. Later
// capabilities add nouns by appending to the list in src/cli/commands.ts.
import type { Core } from '../core/index.ts';
import type { OptionSpecs, ParsedOptions } from './args.ts';

export interface CommandContext {
  /** The use cases, for this run's principal (the invoking user, channel cli). */
  core: Core;
  options: ParsedOptions;
  positionals: string[];
  json: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether standard input is a terminal (prompts are allowed). */
  interactive: boolean;
  /** Read one line from standard input (prompts); undefined at end of input. */
  prompt: (question: string) => Promise<string | undefined>;
  /** Aborted when nobody reads standard output any more (a pipe closed early): a command that streams stops. */
  outputClosed?: AbortSignal;
}

/**
 * Until the user stops a streaming command: Ctrl-C, SIGTERM, or the reader of
 * its output gone. `stop` is the signal; `done` removes the signal handlers.
 */
export function untilStopped(ctx: CommandContext): { stop: AbortSignal; done: () => void } {
  const c = new AbortController();
  // The reason says what stopped it (the host service's stop event names it).
  const onInt = () => c.abort('SIGINT');
  const onTerm = () => c.abort('SIGTERM');
  const onClosed = () => c.abort('output closed');
  // Held until done(), not once: execa's exit handler re-raises a signal that finds no other
  // listener, which would kill a command still finishing after the first one.
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  ctx.outputClosed?.addEventListener('abort', onClosed, { once: true });
  if (ctx.outputClosed?.aborted) onClosed();
  return {
    stop: c.signal,
    done: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      ctx.outputClosed?.removeEventListener('abort', onClosed);
    },
  };
}

/** Wait `ms`, or less when `stop` fires first. */
export function pause(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stop.aborted) { resolve(); return; }
    const t = setTimeout(done, ms);
    function done() { clearTimeout(t); stop.removeEventListener('abort', done); resolve(); }
    stop.addEventListener('abort', done, { once: true });
  });
}

export interface Command {
  noun: string;
  verb: string;
  summary: string;
  /** Extra usage text after the options, e.g. positional arguments. */
  usage?: string;
  options?: OptionSpecs;
  /** Returns the process exit code (0 only on success). */
  run: (ctx: CommandContext) => Promise<number>;
}

/** What the exit status says (the mapping from errors: src/cli/errors.ts). */
export const EXIT_STATUS_HELP = 'Exit status: 0 on success, 1 when the action could not be done (wrong state, refused, failed), 2 for invalid input (a value that breaks a rule, or names an object that does not exist), 4 when permission is denied (the identity given by --user holds no role granting the permit the action needs there; the message names the permit).';

/**
 * Error shown on stderr with exit code `code`. Its lines are hostdeck's own
 * line breaks: each is printed with its control characters escaped, so a
 * value quoted in it cannot start a line of its own or drive the terminal.
 */
export class CommandError extends Error {
  readonly lines: readonly string[];
  constructor(message: string | readonly string[], public readonly code = 1) {
    const lines = typeof message === 'string' ? [message] : message;
    super(lines.join('\n'));
    this.lines = lines;
    this.name = 'CommandError';
  }
}

/**
 * A problem that does not end the command (a warning, a step that failed) on
 * stderr as the CLI prints its errors: every line of it starts "hostdeck: ",
 * so a message that spans lines still says on each whose it is.
 */
export function problem(ctx: Pick<CommandContext, 'err'>, text: string): void {
  for (const line of text.split('\n')) ctx.err(`hostdeck: ${line}`);
}

/** Print a value as JSON or as an aligned table. */
export function printTable(ctx: CommandContext, rows: Record<string, unknown>[], columns: string[], jsonValue: unknown = rows): void {
  if (ctx.json) {
    ctx.out(JSON.stringify(jsonValue, null, 2));
    return;
  }
  const widths = tableWidths(rows, columns);
  ctx.out(tableHeader(columns, widths));
  for (const r of rows) ctx.out(tableLine(r, columns, widths));
}

const cell = (v: unknown) => (v === null || v === undefined ? '-' : String(v));

/** Each column's width: its header's or its longest value's. */
export function tableWidths(rows: Record<string, unknown>[], columns: string[]): number[] {
  return columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
}

export function tableHeader(columns: string[], widths: number[]): string {
  return columns.map((c, i) => c.toUpperCase().padEnd(widths[i]!)).join('  ').trimEnd();
}

/** One row, its cells padded to `widths` (a longer value pushes the rest along). */
export function tableLine(row: Record<string, unknown>, columns: string[], widths: number[]): string {
  return columns.map((c, i) => cell(row[c]).padEnd(widths[i]!)).join('  ').trimEnd();
}
