// `hostdeck host console-getty enable|disable|status`: hostdeck instead of the
// login prompt on tty1 and ttyS0, through systemd drop-ins (refused without
// systemd, saying so). Enable keeps a drop-in of the same name that was there
// (PATH.hostdeck-prev) and disable puts it back, so the units end as they were.
import { WrongStateError } from '../domain/errors.ts';
import { CONSOLE_TTYS, DROP_IN_MARKER, MADE_DIR_MARKER, dropInDir, dropInPath, dropInText, parseConsoleTtys, type ConsoleTty } from '../domain/console-getty.ts';
import { run as runProgram } from '../exec/runner.ts';
import { Target } from '../host/net/target.ts';
import { PREVIOUS_SUFFIX, replaceConfigFile } from '../host/system/config-file.ts';
import { systemdRoot, systemdRunDir } from '../host/systemd-root.ts';
import type { CoreContext } from './index.ts';

export interface ConsoleGettyState {
  tty: ConsoleTty;
  unit: string;
  file: string;
  enabled: boolean;
}


export function createConsoleGettyUseCases(ctx: CoreContext, target: Target = new Target({ run: runProgram })) {
  const root = systemdRoot();
  const unitDir = `${root}/etc/systemd/system`;
  const exists = async (p: string) => (await target.run('test', ['-e', p])).exitCode === 0;
  const ours = async (p: string) => (await exists(p)) && (await target.readFile(p) ?? '').startsWith(DROP_IN_MARKER);
  const needSystemd = async (what: string) => {
    if ((await target.run('test', ['-d', systemdRunDir()])).exitCode !== 0) {
      throw new WrongStateError(`systemd does not run on this host, so hostdeck cannot ${what} the getty override (it is a systemd drop-in for ${Object.values(CONSOLE_TTYS).map((t) => t.unit).join(' and ')})`);
    }
  };
  /** The program the getty starts: this hostdeck (the package's /usr/bin/hostdeck). */
  const bin = () => process.env.HOSTDECK_BIN ?? '/usr/bin/hostdeck';

  async function status(): Promise<ConsoleGettyState[]> {
    return Promise.all((Object.keys(CONSOLE_TTYS) as ConsoleTty[]).map(async (tty) => ({ tty, unit: CONSOLE_TTYS[tty].unit, file: dropInPath(unitDir, tty), enabled: await ours(dropInPath(unitDir, tty)) })));
  }

  function enable(ttyList?: string): Promise<ConsoleGettyState[]> {
    const ttys = parseConsoleTtys(ttyList);
    return ctx.door.act('host.console-getty-enable', { id: ttys.join(',') }, { message: `Start hostdeck instead of the login prompt on ${ttys.join(', ')}` }, async () => {
      await needSystemd('enable');
      const already = [];
      for (const tty of ttys) if (await ours(dropInPath(unitDir, tty))) already.push(tty);
      if (already.length) throw new WrongStateError(`hostdeck already replaces the login prompt on ${already.join(', ')} (hostdeck host console-getty disable first)`);
      for (const tty of ttys) {
        const madeDir = !(await exists(dropInDir(unitDir, tty)));
        await replaceConfigFile(target, dropInPath(unitDir, tty), dropInText(tty, bin(), madeDir), { mode: '0644' });
      }
      await target.ok('systemctl', ['daemon-reload']);
      return status();
    });
  }

  function disable(ttyList?: string): Promise<ConsoleGettyState[]> {
    const ttys = parseConsoleTtys(ttyList);
    return ctx.door.act('host.console-getty-disable', { id: ttys.join(',') }, { message: `Give the login prompt back on ${ttys.join(', ')}` }, async () => {
      await needSystemd('disable');
      for (const tty of ttys) {
        const file = dropInPath(unitDir, tty);
        if (!(await ours(file))) continue;
        const madeDir = (await target.readFile(file) ?? '').includes(MADE_DIR_MARKER);
        // The drop-in of the same name that enable found is put back as it was; else the file goes.
        if (await exists(`${file}${PREVIOUS_SUFFIX}`)) await target.ok('mv', ['-f', '--', `${file}${PREVIOUS_SUFFIX}`, file]);
        else await target.ok('rm', ['-f', '--', file]);
        if (madeDir) await target.run('rmdir', ['--', dropInDir(unitDir, tty)]);
      }
      await target.ok('systemctl', ['daemon-reload']);
      return status();
    });
  }

  return { status, enable, disable };
}

export type ConsoleGettyUseCases = ReturnType<typeof createConsoleGettyUseCases>;
