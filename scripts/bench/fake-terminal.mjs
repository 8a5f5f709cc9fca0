// A terminal stand-in for the key-press-to-frame figures: ink renders into
// FakeStdout (each write is a frame: counted, timed, its text kept with
// `keepText`, for a bench that checks what screen it is on) and reads
// keys from FakeStdin, with the size and TTY flags of a real terminal.
import { EventEmitter } from 'node:events';

export class FakeStdout extends EventEmitter {
  columns = 120; rows = 40; isTTY = true; writes = 0; last = 0; text = '';
  constructor({ keepText = false } = {}) { super(); this.keepText = keepText; }
  write = (d) => { this.writes++; this.last = performance.now(); if (this.keepText) this.text += d; this.emit('frame'); return true; };
}

export class FakeStdin extends EventEmitter {
  isTTY = true; data = null;
  write(d) { this.data = d; this.emit('readable'); this.emit('data', d); }
  read = () => { const d = this.data; this.data = null; return d; };
  setEncoding() {} setRawMode() {} resume() {} pause() {} ref() {} unref() {}
}
