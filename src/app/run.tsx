// Starts the full-screen console: alternate screen, root height = rows,
// crash handling that restores the terminal and names the log file.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { render } from 'ink';
import type { Core } from '../core/index.ts';
import type { Stores } from '../store/host.ts';
import { App, type StartupNotice } from './App.tsx';
import type { PaletteAction, ScreenDef } from './types.ts';
import { trace } from '../trace.ts';
import { firstFrameDrawn } from './first-frame-hooks.ts';
import { asciiOnly, asciiStream } from '../ui/ascii-terminal.ts';

function logLine(file: string, text: string): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${new Date().toISOString()} ${text}\n`);
    return true;
  } catch {
    return false;
  }
}

/** Show the cursor and reset attributes; leave the alternate screen only when ink could not. */
function restoreTerminal(leaveAltScreen: boolean): void {
  try {
    if (process.stdin.isTTY) process.stdin.setRawMode?.(false);
    process.stdout.write(`\x1b[?1000l\x1b[?1002l\x1b[?1006l\x1b[0m\x1b[?25h${leaveAltScreen ? '\x1b[?1049l' : ''}`);
  } catch {
    /* terminal already gone */
  }
}

export async function runConsole(core: Core, stores: Stores, screens: readonly ScreenDef[], actions: readonly PaletteAction[] = [], startupNotices: readonly Promise<StartupNotice | undefined>[] = [], onFirstFrame?: () => void): Promise<number> {
  const config = core.config;
  const benchFile = process.env.HOSTDECK_BENCH_FILE;
  let crashed = false;

  const crash = (err: unknown) => {
    if (crashed) return;
    crashed = true;
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    const logged = logLine(config.logFile, `crash: ${text}`);
    let unmounted = false;
    try { instance.unmount(); unmounted = true; } catch { /* ignore */ }
    // Let ink finish its last writes (leaving the alternate screen, erasing
    // its frame) before the message is written, so nothing overwrites it.
    let said = false;
    const say = () => {
      if (said) return;
      said = true;
      restoreTerminal(!unmounted);
      process.stderr.write(`hostdeck crashed: ${err instanceof Error ? err.message : String(err)}\n${logged ? `The error and its stack are in ${config.logFile}` : `Could not write the log file ${config.logFile}; the stack was:\n${text}`}\n`);
      process.exit(70);
    };
    instance.waitUntilExit().then(() => setTimeout(say, 100), () => setTimeout(say, 100));
    setTimeout(say, 1000);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  if (process.env.HOSTDECK_CRASH_TEST === '1') setTimeout(() => { throw new Error('crash requested by HOSTDECK_CRASH_TEST'); }, 300);

  logLine(config.logFile, `console start uri=${config.uri} db=${config.dbPath} user=${config.user}`);

  const instance = render(
    <App core={core} stores={stores} screens={screens} actions={actions} initialTheme={config.theme} readOnly={config.readOnly} startupNotices={startupNotices}
      onFirstData={() => { trace('first complete frame'); if (benchFile) { const c = process.cpuUsage(); writeFileSync(benchFile, `${Date.now()} ${Math.round((c.user + c.system) / 1000)}\n`); } firstFrameDrawn(); onFirstFrame?.(); }} />,
    // interactive: a TTY is required above; ink would otherwise turn itself off when CI=true is set.
    { interactive: true, alternateScreen: true, exitOnCtrlC: false, patchConsole: true, maxFps: 30, incrementalRendering: true,
      // A serial line or a locale without UTF-8: what ink draws reaches the terminal as ASCII.
      ...(asciiOnly() ? { stdout: asciiStream(process.stdout) } : {}) },
  );
  trace('first render call done');
  try {
    await instance.waitUntilExit();
  } catch (err) {
    crash(err);
  }
  stores.stop();
  await core.close();
  if (benchFile) appendFileSync(benchFile, `${process.resourceUsage().maxRSS}\n`);
  return 0;
}
