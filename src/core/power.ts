// Rebooting and powering off this host, and restarting its services. The plan
// (src/domain/power.ts) is what the confirm shows; run() takes the VMs down
// one by one through their own evented actions, puts the standalone manager's
// host into maintenance, and only then runs the power command: a VM that
// cannot be saved or stopped stops everything before the host goes down.
import { WrongStateError } from '../domain/errors.ts';
import {
  actionWord, parsePowerOptions, powerCommands, powerPlan, restartByHand, RESTARTABLE_SERVICES,
  parseRestartService, type PowerAction, type PowerPlan,
} from '../domain/power.ts';
import { runOk } from '../exec/runner.ts';
import { systemdRunning } from '../host/diagnostics/programs.ts';
import { systemdRunDir } from '../host/systemd-root.ts';
import { engineState } from '../host/engine/state.ts';
import { managerRepo } from '../manager/repos/manager-model.ts';
import { isRunning } from './manager-vms.ts';
import type { CoreContext } from './index.ts';
import type { ManagerUseCases } from './manager.ts';
import type { VmUseCases } from './vms.ts';

export interface PowerRequest {
  vms?: string;
  timeoutSec?: string | number;
}

export interface PowerDeps {
  vms: VmUseCases;
  manager: () => Promise<ManagerUseCases>;
}

export interface PowerResult {
  plan: PowerPlan;
  /** What happened to each VM. */
  vms: { name: string; result: 'shut down' | 'forced off' | 'saved' }[];
}

export function createPowerUseCases(ctx: CoreContext, deps: PowerDeps) {
  const virt = () => ctx.infra.virt;
  const systemd = () => systemdRunning(systemdRunDir());

  async function plan(action: PowerAction, req: PowerRequest = {}): Promise<PowerPlan> {
    const options = parsePowerOptions(req);
    const list = await virt().domainList().then((d) => d, (e: Error) => e);
    const vms = list instanceof Error ? undefined : list.filter(isRunning).map((d) => ({ name: d.name, state: d.state })).sort((a, b) => a.name.localeCompare(b.name));
    const enterMaintenance = engineState(ctx.infra).mode === 'standalone' && !managerRepo(ctx.infra.db).hostInMaintenance();
    return powerPlan(action, options, { ...(vms ? { vms } : { libvirtError: (list as Error).message }), enterMaintenance, systemd: await systemd() });
  }

  /** One VM down as the plan says; a failure names the VM and why. */
  async function takeDown(p: PowerPlan, name: string): Promise<PowerResult['vms'][number]> {
    try {
      if (p.options.vms === 'save') {
        await deps.vms.save(name);
        return { name, result: 'saved' };
      }
      try {
        await deps.vms.shutdown(name, { timeoutMs: p.options.timeoutSec * 1000 });
        return { name, result: 'shut down' };
      } catch {
        // Still running after the timeout (or ACPI refused): forced off, as the plan said.
        if (!isRunning({ state: await virt().domainState(name) })) return { name, result: 'shut down' };
        await deps.vms.forceOff(name);
        return { name, result: 'forced off' };
      }
    } catch (e) {
      throw new WrongStateError(`the host was not ${p.action === 'reboot' ? 'rebooted' : 'powered off'}: VM ${name} could not be ${p.options.vms === 'save' ? 'saved' : 'stopped'}: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * Take the VMs down, enter maintenance, then reboot or power off. Each step
   * is its own event under this action's; the power command is the last.
   * `onStep` hears each step as it is done (the host may be gone before run returns).
   */
  function run(action: PowerAction, req: PowerRequest = {}, onStep: (text: string) => void = () => {}): Promise<PowerResult> {
    const options = parsePowerOptions(req);
    const word = actionWord(action);
    const req2 = { message: `${word[0]!.toUpperCase()}${word.slice(1)} this host (VMs: ${options.vms}, timeout ${options.timeoutSec} s)` };
    const go = async (): Promise<PowerResult> => {
      const p = await plan(action, req);
      const done: PowerResult['vms'] = [];
      for (const v of p.vms) {
        const r = await takeDown(p, v.name);
        done.push(r);
        onStep(`${r.name}: ${r.result}`);
      }
      if (p.enterMaintenance) {
        await (await deps.manager()).host.maintenance();
        onStep('this host is in maintenance');
      }
      for (const c of powerCommands(action, p.systemd)) {
        onStep(`running ${[c.command, ...c.args].join(' ')}`);
        await runOk(c.command, c.args, { timeoutMs: 60_000 });
      }
      return { plan: p, vms: done };
    };
    return action === 'reboot' ? ctx.door.act('host.reboot', { id: 'host' }, req2, go) : ctx.door.act('host.poweroff', { id: 'host' }, req2, go);
  }

  async function restartService(name: string): Promise<{ service: string; unit: string }> {
    const service = parseRestartService(name);
    const unit = RESTARTABLE_SERVICES[service];
    return ctx.door.act('host.service-restart', { id: service }, { message: `Restart ${service} (${unit})` }, async () => {
      if (!(await systemd())) throw new WrongStateError(`systemd does not run on this host, so hostdeck cannot restart ${service}: ${restartByHand(service)}`);
      await runOk('systemctl', ['restart', unit], { timeoutMs: 120_000 });
      return { service, unit };
    });
  }

  return { plan, run, restartService };
}

export type PowerUseCases = ReturnType<typeof createPowerUseCases>;
