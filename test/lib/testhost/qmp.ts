// A minimal QMP client over a socket QEMU connected to (line-delimited JSON).
import type { Socket } from 'node:net';

interface Pending { resolve: (v: unknown) => void; reject: (e: Error) => void }

export class Qmp {
  private buf = '';
  private next = 1;
  private pending = new Map<number, Pending>();
  private greeted: Promise<void>;
  private closed = false;
  readonly events: { event: string; data?: unknown }[] = [];

  constructor(private readonly sock: Socket) {
    let onGreeting!: () => void;
    this.greeted = new Promise((res) => { onGreeting = res; });
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      this.buf += chunk;
      let i: number;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, i).trim();
        this.buf = this.buf.slice(i + 1);
        if (!line) continue;
        let msg: { QMP?: unknown; id?: number; return?: unknown; error?: { desc?: string }; event?: string; data?: unknown };
        try { msg = JSON.parse(line) as typeof msg; } catch { continue; }
        if (msg.QMP) { onGreeting(); continue; }
        if (msg.event) { this.events.push({ event: msg.event, data: msg.data }); continue; }
        if (typeof msg.id === 'number') {
          const p = this.pending.get(msg.id);
          this.pending.delete(msg.id);
          if (!p) continue;
          if (msg.error) p.reject(new Error(`QMP: ${msg.error.desc ?? JSON.stringify(msg.error)}`));
          else p.resolve(msg.return);
        }
      }
    });
    const fail = (): void => {
      this.closed = true;
      for (const p of this.pending.values()) p.reject(new Error('QMP connection closed'));
      this.pending.clear();
    };
    sock.on('close', fail);
    sock.on('error', fail);
  }

  async start(): Promise<void> {
    await this.greeted;
    await this.execute('qmp_capabilities');
  }

  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('QMP connection closed'));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.sock.write(`${JSON.stringify({ execute: command, arguments: args, id })}\n`);
    });
  }

  close(): void { this.sock.destroy(); }
}
