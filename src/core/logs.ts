// The log viewer (`hostdeck logs`, the console's Logs screen): the journal
// where journald runs, else the files under /var/log, plus hostdeck's own log
// and each VM's libvirt log. Only those sources are ever read (a file name is
// resolved inside /var/log, links followed); files are read from the end in
// blocks, never whole. The reading code loads on first use.
import { InvalidInputError, NotFoundError } from '../domain/errors.ts';
import type { LogQuery, LogQueryInput, LogSourceRef } from '../domain/logs.ts';
import type { CoreContext } from './index.ts';

export interface LogLine {
  /** Byte offset in its file (files only). */
  offset?: number;
  /** Milliseconds since the epoch, where the line says. */
  time?: number;
  priority?: number;
  text: string;
}

export interface LogSourceInfo {
  /** What `--source` takes: journal, hostdeck, vm:NAME or a name under /var/log. */
  id: string;
  kind: LogSourceRef['kind'];
  /** The file read (not for the journal). */
  path?: string;
  bytes?: number;
}

export interface LogPage {
  source: string;
  path?: string;
  lines: LogLine[];
  /** Give as `before` to read the page above; undefined when this is the first. */
  previous?: number;
  /** Give as `after` to read the page below (files). */
  next?: number;
  /** The page reaches the end of the log: follow() continues it. */
  atEnd: boolean;
}

export interface LogSearch { source: string; count: number; matches: LogLine[]; bytes: number }

export interface LogReadInput extends LogQueryInput {
  /** A page's `previous`: the page ending there. */
  before?: number;
  /** A page's `next`: the page starting there (files). */
  after?: number;
  /** Jump: the page starting at the first line at or after this time (as --since takes it). */
  at?: string;
}

export interface LogUseCases {
  sources(): Promise<LogSourceInfo[]>;
  /** The last page of the source (or the one before/after a page, or from a time), filtered; refused with the field and rule. */
  read(input: LogReadInput): Promise<LogPage>;
  /** Every line of a file source matching `pattern`, streamed through the file: the count and the first `limit` with offsets. */
  search(input: LogQueryInput & { pattern: string; limit?: number }): Promise<LogSearch>;
  /** New lines of the source as they are written, after `page` (which must reach the end). Returns the stop function. */
  follow(input: LogQueryInput, page: LogPage, onLines: (lines: LogLine[]) => void): Promise<() => void>;
}

/** Where the sources are (tests point them at a tree of their own). */
export interface LogPaths { logDir?: string; vmLogDir?: string; journalSocket?: string }

interface Resolved { ref: LogSourceRef; id: string; path?: string }

export function createLogUseCases(ctx: CoreContext, paths: LogPaths = {}): LogUseCases {
  const load = async () => {
    const [domain, tail, journal, files] = await Promise.all([
      import('../domain/logs.ts'), import('../host/logs/tail.ts'), import('../host/logs/journal.ts'), import('../host/logs/sources.ts'),
    ]);
    return { domain, tail, journal, files, logDir: paths.logDir ?? domain.LOG_DIR, vmLogDir: paths.vmLogDir ?? domain.VM_LOG_DIR };
  };
  type Lib = Awaited<ReturnType<typeof load>>;

  const validate = (lib: Lib, input: LogQueryInput): LogQuery => {
    const v = lib.domain.validateLogQuery(input, Date.now());
    if (!v.ok) throw new InvalidInputError(v.errors);
    return v.value;
  };
  const whenValue = (lib: Lib, field: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const t = lib.domain.parseSince(v, Date.now());
    if (t === undefined) throw new InvalidInputError([{ field, message: `${field}: ${lib.domain.SINCE_RULE} (got ${JSON.stringify(v.slice(0, 60))})` }]);
    return t;
  };
  const offsetValue = (field: string, v: number | undefined) => {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw new InvalidInputError([{ field, message: `${field}: must be a page's offset (a whole number, 0 or more)` }]);
    return v;
  };

  /** The source asked for, or the host's main log; a file must exist inside its directory. */
  const resolve = async (lib: Lib, ref: LogSourceRef | undefined): Promise<Resolved> => {
    if (!ref) {
      if (await lib.journal.journaldRuns(paths.journalSocket)) return { ref: { kind: 'journal' }, id: 'journal' };
      for (const name of ['syslog', 'messages']) {
        const path = await lib.files.resolveLogFile(lib.logDir, name);
        if (path) return { ref: { kind: 'file', name }, id: name, path };
      }
      return { ref: { kind: 'hostdeck' }, id: 'hostdeck', path: ctx.infra.config.logFile };
    }
    const id = lib.domain.sourceId(ref);
    if (ref.kind === 'journal') {
      if (!(await lib.journal.journaldRuns(paths.journalSocket))) throw new NotFoundError(`source: systemd-journald does not run on this host; read a file under ${lib.logDir} instead (hostdeck logs --sources)`);
      return { ref, id };
    }
    if (ref.kind === 'hostdeck') return { ref, id, path: ctx.infra.config.logFile };
    const [dir, name] = ref.kind === 'vm' ? [lib.vmLogDir, `${ref.name}.log`] : [lib.logDir, ref.name];
    const path = await lib.files.resolveLogFile(dir, name);
    if (!path) throw new NotFoundError(`source: ${ref.kind === 'vm' ? `no libvirt log for VM ${ref.name} in ${dir}` : `no log file ${name} in ${dir}`} (hostdeck logs --sources lists them)`);
    return { ref, id, path };
  };

  const fileOf = async (r: Resolved): Promise<string> => {
    const { stat } = await import('node:fs/promises');
    if (!(await stat(r.path!).catch(() => undefined))?.isFile()) throw new NotFoundError(`source: ${r.path} does not exist yet`);
    return r.path!;
  };

  /** Every read of a log passes the door as one action (a read: no event, allowed in read-only mode). */
  const reading = <T>(r: Resolved, what: string, fn: () => Promise<T>): Promise<T> =>
    ctx.door.act('log.read', { id: r.id }, { message: `${what} the log ${r.id}` }, fn);

  const fileLine = (lib: Lib, l: { offset: number; text: string }): LogLine => {
    const time = lib.domain.lineTime(l.text);
    return { offset: l.offset, ...(time !== undefined ? { time } : {}), priority: lib.domain.linePriority(l.text), text: l.text };
  };

  return {
    async sources() {
      const lib = await load();
      const { readdir, stat } = await import('node:fs/promises');
      const out: LogSourceInfo[] = [];
      if (await lib.journal.journaldRuns(paths.journalSocket)) out.push({ id: 'journal', kind: 'journal' });
      const own = await stat(ctx.infra.config.logFile).catch(() => undefined);
      out.push({ id: 'hostdeck', kind: 'hostdeck', path: ctx.infra.config.logFile, ...(own ? { bytes: own.size } : {}) });
      for (const f of await lib.files.listLogFiles(lib.logDir)) out.push({ id: f.name, kind: 'file', path: f.path, bytes: f.bytes });
      for (const n of (await readdir(lib.vmLogDir).catch(() => [] as string[])).filter((x) => x.endsWith('.log')).sort()) {
        const ref = lib.domain.parseSource(`vm:${n.slice(0, -4)}`);
        const path = ref ? await lib.files.resolveLogFile(lib.vmLogDir, n) : undefined;
        if (ref && path) out.push({ id: lib.domain.sourceId(ref), kind: 'vm', path });
      }
      return out;
    },

    async read(input) {
      const lib = await load();
      const q = validate(lib, input);
      const at = whenValue(lib, 'at', input.at);
      const before = offsetValue('before', input.before);
      const after = offsetValue('after', input.after);
      const r = await resolve(lib, q.source);
      return reading(r, 'Read', async (): Promise<LogPage> => {
        if (r.ref.kind === 'journal') {
          const jq = { unit: q.unit, priority: q.priority, since: at ?? q.since, grep: q.grep };
          if (at !== undefined) {
            // From a time: the entries of the hour that follows it, the first page of them.
            const lines = (await lib.journal.readJournal({ ...jq, until: at + 3_600_000 })).slice(0, q.lines);
            return { source: r.id, lines, atEnd: false, previous: undefined };
          }
          // The journal pages back by asking for more entries: `before` counts those shown below.
          const shown = before ?? 0;
          const all = await lib.journal.readJournal({ ...jq, lines: q.lines + shown });
          const lines = all.slice(0, Math.max(0, all.length - shown));
          return { source: r.id, lines, atEnd: shown === 0, previous: all.length >= q.lines + shown ? shown + q.lines : undefined };
        }
        const path = await fileOf(r);
        const filter = lib.domain.fileLineFilter(q);
        const floor = q.since !== undefined ? await lib.tail.offsetAtTime(path, q.since, lib.domain.lineTime) : 0;
        let page;
        if (at !== undefined || after !== undefined) {
          const from = Math.max(floor, after ?? await lib.tail.offsetAtTime(path, at!, lib.domain.lineTime));
          page = await lib.tail.readFrom(path, { from, lines: q.lines, filter });
        } else {
          page = await lib.tail.readBefore(path, { lines: q.lines, before, floor, filter });
        }
        return {
          source: r.id, path, lines: page.lines.map((l) => fileLine(lib, l)),
          previous: page.start > floor ? page.start : undefined, next: page.end, atEnd: page.end >= page.size,
        };
      });
    },

    async search(input) {
      const lib = await load();
      const q = validate(lib, input);
      const re = lib.domain.parseGrep(input.pattern);
      if (!re) throw new InvalidInputError([{ field: 'pattern', message: `pattern: ${lib.domain.GREP_RULE} (got ${JSON.stringify(input.pattern.slice(0, 60))})` }]);
      const limit = input.limit ?? q.lines;
      const r = await resolve(lib, q.source);
      return reading(r, 'Search', async (): Promise<LogSearch> => {
        if (r.ref.kind === 'journal') {
          const lines = await lib.journal.readJournal({ unit: q.unit, priority: q.priority, since: q.since, grep: re });
          return { source: r.id, count: lines.length, matches: lines.slice(0, limit), bytes: 0 };
        }
        const path = await fileOf(r);
        const from = q.since !== undefined ? await lib.tail.offsetAtTime(path, q.since, lib.domain.lineTime) : 0;
        const s = await lib.tail.searchFile(path, re, { from, limit, filter: lib.domain.fileLineFilter({ priority: q.priority, since: q.since }) });
        return { source: r.id, count: s.count, matches: s.matches.map((l) => fileLine(lib, l)), bytes: s.bytes };
      });
    },

    async follow(input, page, onLines) {
      const lib = await load();
      const q = validate(lib, input);
      const r = await resolve(lib, q.source);
      return reading(r, 'Follow', async () => {
        if (r.ref.kind === 'journal') return lib.journal.followJournal({ unit: q.unit, priority: q.priority, grep: q.grep }, (l) => onLines([l]));
        const path = await fileOf(r);
        return lib.tail.followFile(path, page.next ?? 0, (ls) => onLines(ls.map((l) => fileLine(lib, l))), { filter: lib.domain.fileLineFilter(q) });
      });
    },
  };
}
