// Component-test harness on ink: like ink-testing-library, but the fake
// stdout has both columns and rows (and can be resized), so full-screen
// layouts render as they do in a terminal.
import { EventEmitter } from 'node:events';
import type { ReactElement } from 'react';
import { render } from 'ink';

class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  constructor(public columns: number, public rows: number) { super(); }
  write = (frame: string) => { this.frames.push(frame); return true; };
  lastFrame = () => this.frames[this.frames.length - 1] ?? '';
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => { this.data = data; this.emit('readable'); this.emit('data', data); };
  read = () => { const d = this.data; this.data = null; return d; };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export const KEYS = {
  up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D', enter: '\r', escape: '\x1b', tab: '\t', backspace: '\x7f', pageDown: '\x1b[6~', pageUp: '\x1b[5~', ctrlC: '\x03',
} as const;

// eslint-disable-next-line no-control-regex -- ANSI escapes start with ESC
const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

export function renderTui(tree: ReactElement, size: { columns: number; rows: number } = { columns: 100, rows: 30 }) {
  const stdout = new FakeStdout(size.columns, size.rows);
  const stderr = new FakeStdout(size.columns, size.rows);
  const stdin = new FakeStdin();
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const frame = () => strip(stdout.lastFrame());
  // ink attaches its stdin listener in an effect after the first commit; input
  // written before that is lost, as in a real terminal before start-up.
  const mountedAt = Date.now();
  const settle = async () => { const wait = 150 - (Date.now() - mountedAt); if (wait > 0) await new Promise((r) => setTimeout(r, wait)); };
  return {
    frame,
    /** Send raw input (a character, or a KEYS value); a short pause lets ink dispatch it. */
    async press(...inputs: string[]) {
      await settle();
      for (const i of inputs) {
        stdin.write(i);
        await new Promise((r) => setTimeout(r, i === KEYS.escape ? 60 : 15));
      }
    },
    async type(text: string) {
      for (const ch of text) await this.press(ch);
    },
    resize(columns: number, rows: number) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
    },
    // Returns as soon as the frame shows it: the limit only says when to give up, so it is generous for a loaded machine (CI runs test files side by side).
    async waitFor(what: string | RegExp | ((frame: string) => boolean), timeoutMs = 20_000): Promise<string> {
      const test = typeof what === 'function' ? what : typeof what === 'string' ? (s: string) => s.includes(what) : (s: string) => what.test(s);
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (test(frame())) return frame();
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`timed out waiting for ${String(what)}; last frame:\n${frame()}`);
    },
    unmount() { instance.unmount(); instance.cleanup(); },
    instance,
  };
}

/**
 * From the VM list, the detail of the VM named exactly `name`: the list's
 * filter (which it keeps between visits) cleared first, then set to that name.
 */
export async function openVmFromList(ui: ReturnType<typeof renderTui>, name: string): Promise<string> {
  await ui.waitFor(/\d+ VMs ·/, 10_000);
  await ui.press('/', KEYS.escape);
  await ui.press('/');
  await ui.type(`^${name}$`);
  await ui.press(KEYS.enter);
  await ui.waitFor(/1 of \d+ VMs/);
  await ui.press(KEYS.enter);
  return ui.waitFor(new RegExp(`vm +${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`), 10_000);
}

