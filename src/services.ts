// Services are built once per process (in src/cli.tsx) and handed to the
// TUI and the CLI. Everything is opened lazily so the first frame is fast.
import type { Config } from './config.ts';
import { explainLocked, openDatabase, type Db } from './manager/db.ts';
import { EventLog, type Channel } from './manager/events.ts';
import { VirtConnection } from './virt/connection.ts';
import { vmLockReader } from './host/engine/state.ts';

export class Services {
  private _db?: Db;
  private _events?: EventLog;
  private _virt?: VirtConnection;
  private readonly closers: (() => void)[] = [];

  constructor(public readonly config: Config, public readonly channel: Channel) {}

  get db(): Db {
    return (this._db ??= openDatabase(this.config.dbPath));
  }

  get events(): EventLog {
    return (this._events ??= new EventLog(this.db, { user: this.config.user, channel: this.channel }));
  }

  get virt(): VirtConnection {
    // While an engine owns this host's VMs the connection itself is read-only, not only the door.
    return (this._virt ??= new VirtConnection(this.config.uri, { readOnly: vmLockReader(this) }));
  }

  /** A statement that waited out the busy timeout, as an error naming this database and what has it open; any other error unchanged. */
  explainError(err: unknown): unknown {
    return explainLocked(err, this._db ?? this.config.dbPath);
  }

  /** Run `fn` when these services close, before the connections go (a timer that reads the state DB stops first). */
  onClose(fn: () => void): void {
    this.closers.push(fn);
  }

  async close(): Promise<void> {
    for (const fn of this.closers.splice(0)) fn();
    await this._virt?.close();
    this._db?.close();
  }
}
