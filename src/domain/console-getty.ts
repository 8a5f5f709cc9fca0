// hostdeck in place of the login prompt on the console (tty1) and the serial
// line (ttyS0): a systemd drop-in per getty unit that starts hostdeck there.
// Rules only: which units, where their drop-ins go, and what they say.
import { InvalidInputError } from './errors.ts';

export const CONSOLE_TTYS = {
  tty1: { unit: 'getty@tty1.service', term: 'linux', baud: undefined },
  ttyS0: { unit: 'serial-getty@ttyS0.service', term: 'vt220', baud: 115200 },
} as const;
export type ConsoleTty = keyof typeof CONSOLE_TTYS;

/** The drop-in's file name; the marker line tells hostdeck's own file from another. */
export const DROP_IN_NAME = 'hostdeck-console.conf';
export const DROP_IN_MARKER = '# Written by `hostdeck host console-getty enable`; `disable` takes it away.';
/** In the drop-in when enable made its directory: disable removes the directory again. */
export const MADE_DIR_MARKER = '# hostdeck made this directory.';

export function parseConsoleTtys(text: string | undefined): ConsoleTty[] {
  const names = (text ?? 'tty1,ttyS0').split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !Object.hasOwn(CONSOLE_TTYS, n));
  if (bad.length || !names.length) {
    throw new InvalidInputError([{ field: 'tty', message: `tty: must be a comma-separated list of ${Object.keys(CONSOLE_TTYS).join(', ')} (got ${JSON.stringify(text ?? '')})` }]);
  }
  return [...new Set(names)] as ConsoleTty[];
}

export const dropInDir = (systemdDir: string, tty: ConsoleTty): string => `${systemdDir}/${CONSOLE_TTYS[tty].unit}.d`;
export const dropInPath = (systemdDir: string, tty: ConsoleTty): string => `${dropInDir(systemdDir, tty)}/${DROP_IN_NAME}`;

/** The drop-in: the getty's ExecStart replaced by hostdeck on the same terminal, restarted when it exits. */
export function dropInText(tty: ConsoleTty, bin: string, madeDir: boolean): string {
  const t = CONSOLE_TTYS[tty];
  return [
    DROP_IN_MARKER,
    ...(madeDir ? [MADE_DIR_MARKER] : []),
    '[Service]',
    'ExecStart=',
    ...(t.baud ? [`ExecStartPre=-/bin/stty -F /dev/${tty} ${t.baud} sane`] : []),
    `ExecStart=-${bin}`,
    'StandardInput=tty',
    'StandardOutput=tty',
    `TTYPath=/dev/${tty}`,
    'TTYReset=yes',
    'TTYVHangup=yes',
    `Environment=TERM=${t.term}`,
    'Restart=always',
    '',
  ].join('\n');
}
