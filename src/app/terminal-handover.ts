// Handing the console's terminal to an interactive program (a VM's serial
// console, a shell) and taking it back: ink lets go of the terminal, the
// program runs with it, and what the terminal answered late is dropped.
import type { Shell } from './types.ts';

/**
 * The program may ask the terminal for the cursor position; replies that
 * arrive after it has ended ("ESC[12;1R") must not reach the console as keys
 * (the R would be Reboot). Read and drop them briefly before the console
 * takes the terminal back.
 */
export async function drainTerminalReplies(ms = 300): Promise<void> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return;
  // Paused-mode reads only: ink re-attaches its own 'readable' listener when it resumes.
  stdin.setRawMode(true);
  try {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      while (stdin.read() !== null) { /* dropped */ }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    stdin.setRawMode(false);
  }
}

/**
 * Stop the read the console may still have pending on the terminal (as
 * net.Socket's own pause does): the program gets every key, and a shell that
 * makes itself the terminal's foreground process group (job control) does not
 * make that read fail with EIO. The console's next read starts it again.
 */
function stopReadingTerminal(): () => void {
  const stdin = process.stdin;
  // Ink's listener would read again as soon as a key is buffered.
  const listeners = stdin.listeners('readable') as ((...a: unknown[]) => void)[];
  stdin.removeAllListeners('readable');
  const handle = (stdin as unknown as { _handle?: { reading?: boolean; readStop?: () => number } })._handle;
  if (handle?.reading && handle.readStop) {
    handle.readStop();
    handle.reading = false;
  }
  return () => {
    for (const l of listeners) if (!stdin.listeners('readable').includes(l)) stdin.on('readable', l);
  };
}

/** Suspend the console, say `banner`, run `fn` on the terminal, and come back to the same screen. */
export function handTerminalOver<T>(shell: Shell, banner: string, fn: () => Promise<T>): Promise<T> {
  return shell.suspend(async () => {
    const listenAgain = stopReadingTerminal();
    process.stdout.write(`\r\n${banner}\r\n`);
    try {
      return await fn();
    } finally {
      await drainTerminalReplies();
      listenAgain();
    }
  });
}

/** The shell from the palette: the login shell of $SHELL (else /bin/sh) until it exits. */
export async function openHostShell(shell: Shell): Promise<void> {
  // The palette closes first: the screen's key handlers it re-enables take the terminal's input again.
  await new Promise((r) => setTimeout(r, 0));
  try {
    const code = await handTerminalOver(shell, 'A shell on this host; exit (or Ctrl-D) comes back to hostdeck.', () => shell.core.host.shell());
    if (code !== 0) shell.notify('info', `The shell ended with code ${code}`);
  } catch (e) {
    shell.notify('error', `Shell: ${(e as Error).message}`);
  }
}
