// hostdeck host reboot|poweroff|restart: the host's power and its services.
// The plan (what happens to each running VM, maintenance, the command that
// takes the host down) is shown and confirmed before anything runs.
import { planText, POWER_ACTIONS, POWER_TIMEOUT_SEC, VM_POLICIES, type PowerAction } from '../domain/power.ts';
import { guard, optionMessageBy, str } from './manager.ts';
import { confirm, positional, tooMany } from './storage-domain.ts';
import type { FieldError } from '../domain/errors.ts';
import type { Command, CommandContext } from './registry.ts';

const OPTION = { vms: ['vms', '--vms'], timeout: ['timeout', '--timeout'], service: ['service', 'SERVICE'] } as const;
const message = (e: FieldError) => optionMessageBy(OPTION, e);

const powerCommand = (action: PowerAction): Command => ({
  noun: 'host', verb: action,
  summary: action === 'reboot'
    ? 'Reboot this host: its running VMs shut down (forced after --timeout) or saved first, maintenance first when it is the standalone manager'
    : 'Power this host off: its running VMs shut down (forced after --timeout) or saved first, maintenance first when it is the standalone manager',
  options: {
    vms: { type: 'string', description: 'What becomes of the running VMs: shutdown (ACPI, forced off after --timeout) or save (memory to disk, resumed on their next start)', choices: [...VM_POLICIES], value: 'POLICY' },
    timeout: { type: 'string', description: `Seconds each VM has to shut down before it is forced off (${POWER_TIMEOUT_SEC.min}-${POWER_TIMEOUT_SEC.max}, default ${POWER_TIMEOUT_SEC.default})`, value: 'SECONDS' },
    yes: { type: 'boolean', description: 'Do not ask for confirmation' },
  },
  async run(ctx: CommandContext) {
    tooMany(ctx, 0);
    const req = { ...(str(ctx, 'vms') !== undefined ? { vms: str(ctx, 'vms') } : {}), ...(str(ctx, 'timeout') !== undefined ? { timeoutSec: str(ctx, 'timeout') } : {}) };
    const plan = await guard(() => ctx.core.power.plan(action, req), message);
    if (!ctx.json || !ctx.options.yes) ctx.err(planText(plan));
    if (!(await confirm(ctx, action === 'reboot' ? 'Reboot now?' : 'Power off now?'))) { ctx.err('Nothing was done.'); return 1; }
    // Each step as it is done, on stderr: the host may go down before the result is printed.
    const r = await guard(() => ctx.core.power.run(action, req, (step) => ctx.err(step)), message);
    if (ctx.json) ctx.out(JSON.stringify(r, null, 2));
    else ctx.out(action === 'reboot' ? 'The host is rebooting.' : 'The host is powering off.');
    return 0;
  },
});

const gettyVerb = (verb: 'enable' | 'disable'): Command => ({
  noun: 'host', verb: `console-getty ${verb}`,
  summary: verb === 'enable'
    ? 'Start hostdeck instead of the login prompt on tty1 and ttyS0 (115200, TERM=vt220): a systemd drop-in per getty unit'
    : 'Give the login prompt back on tty1 and ttyS0: the drop-ins go, and one that was there before comes back',
  options: { tty: { type: 'string', description: 'The terminals: tty1, ttyS0 or both, comma-separated (default both)', value: 'TTYS' } },
  async run(ctx) {
    tooMany(ctx, 0);
    const r = await guard(() => (verb === 'enable' ? ctx.core.consoleGetty.enable(str(ctx, 'tty')) : ctx.core.consoleGetty.disable(str(ctx, 'tty'))), (e) => optionMessageBy({ tty: ['tty', '--tty'] }, e));
    if (ctx.json) ctx.out(JSON.stringify(r, null, 2));
    else {
      for (const s of r) ctx.out(`${s.tty.padEnd(6)} ${s.enabled ? 'hostdeck' : 'login prompt'} (${s.unit})`);
      ctx.out('It takes effect when the getty starts again: at the next boot, or systemctl restart on the unit.');
    }
    return 0;
  },
});

export const hostPowerCommands: Command[] = [
  gettyVerb('enable'),
  gettyVerb('disable'),
  {
    noun: 'host', verb: 'console-getty status', summary: 'Whether hostdeck replaces the login prompt on tty1 and ttyS0',
    async run(ctx) {
      tooMany(ctx, 0);
      const r = await guard(() => ctx.core.consoleGetty.status());
      if (ctx.json) ctx.out(JSON.stringify(r, null, 2));
      else for (const s of r) ctx.out(`${s.tty.padEnd(6)} ${s.enabled ? 'hostdeck' : 'login prompt'} (${s.file})`);
      return 0;
    },
  },
  ...POWER_ACTIONS.map(powerCommand),
  {
    noun: 'host', verb: 'restart', usage: 'SERVICE',
    summary: 'Restart libvirtd or hostdeck (the host service) through systemd; without systemd it says how to by hand',
    async run(ctx) {
      tooMany(ctx, 1);
      const name = positional(ctx, 0, 'SERVICE', 'libvirtd or hostdeck');
      const r = await guard(() => ctx.core.power.restartService(name), message);
      if (ctx.json) ctx.out(JSON.stringify(r, null, 2));
      else ctx.out(`${r.service} (${r.unit}) restarted.`);
      return 0;
    },
  },
];
