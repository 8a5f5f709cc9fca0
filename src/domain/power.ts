// Rebooting or powering off the host, as rules: the options checked, what
// happens to each running VM, and the steps in the order they run. The confirm
// (console and CLI) shows the plan; the use case (src/core/power.ts) runs it.
import { InvalidInputError, type FieldError } from './errors.ts';

export const POWER_ACTIONS = ['reboot', 'poweroff'] as const;
export type PowerAction = (typeof POWER_ACTIONS)[number];

/** What becomes of the running VMs: shut down (ACPI, forced off after the timeout) or saved (memory to disk; the next start resumes it). */
export const VM_POLICIES = ['shutdown', 'save'] as const;
export type VmPolicy = (typeof VM_POLICIES)[number];

export const POWER_TIMEOUT_SEC = { min: 1, max: 3600, default: 120 } as const;

export interface PowerOptions {
  vms: VmPolicy;
  /** Seconds each VM has to shut down on ACPI before it is forced off. */
  timeoutSec: number;
}

/** Checks the options as the front ends give them (strings from a flag or a form field). */
export function parsePowerOptions(input: { vms?: string; timeoutSec?: string | number }): PowerOptions {
  const errors: FieldError[] = [];
  const vms = input.vms ?? 'shutdown';
  if (!(VM_POLICIES as readonly string[]).includes(vms)) errors.push({ field: 'vms', message: `vms: must be one of ${VM_POLICIES.join(', ')} (got ${JSON.stringify(vms)})` });
  const raw = input.timeoutSec ?? POWER_TIMEOUT_SEC.default;
  const text = String(raw).trim();
  const t = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(t >= POWER_TIMEOUT_SEC.min && t <= POWER_TIMEOUT_SEC.max)) {
    errors.push({ field: 'timeout', message: `timeout: must be a whole number of seconds from ${POWER_TIMEOUT_SEC.min} to ${POWER_TIMEOUT_SEC.max} (got ${JSON.stringify(String(raw))})` });
  }
  if (errors.length) throw new InvalidInputError(errors);
  return { vms: vms as VmPolicy, timeoutSec: t };
}

export interface PowerVm {
  name: string;
  state: string;
}

export interface PowerFacts {
  /** The running (or paused) VMs; undefined when libvirt could not list them. */
  vms?: PowerVm[];
  libvirtError?: string;
  /** This host is its own standalone manager and not yet in maintenance. */
  enterMaintenance: boolean;
  /** systemd runs as init (it stops the services in order). */
  systemd: boolean;
}

export interface PowerPlan {
  action: PowerAction;
  options: PowerOptions;
  /** Each running VM and what happens to it, in words. */
  vms: (PowerVm & { fate: string })[];
  enterMaintenance: boolean;
  systemd: boolean;
  /** The steps, in the order they run (the confirm's text). */
  steps: string[];
  /** What the confirm must say before anything else (libvirt unreachable). */
  warnings: string[];
}

export const actionWord = (a: PowerAction): string => (a === 'reboot' ? 'reboot' : 'power off');

export function vmFate(policy: VmPolicy, timeoutSec: number): string {
  return policy === 'save'
    ? 'saved (memory written to disk; its next start resumes it)'
    : `shut down (ACPI), forced off after ${timeoutSec} s`;
}

export function powerPlan(action: PowerAction, options: PowerOptions, facts: PowerFacts): PowerPlan {
  const vms = (facts.vms ?? []).map((v) => ({ ...v, fate: vmFate(options.vms, options.timeoutSec) }));
  const warnings = facts.vms === undefined
    ? [`libvirt cannot be reached (${facts.libvirtError ?? 'no answer'}): the VMs cannot be listed; any still running go down with the host`]
    : [];
  const steps = [
    ...vms.map((v) => `${v.name}: ${v.fate}`),
    ...(facts.enterMaintenance ? ['this host goes into maintenance (it is the standalone manager)'] : []),
    facts.systemd
      ? `systemd stops the services and the host ${action === 'reboot' ? 'reboots' : 'powers off'} (systemctl ${action})`
      : `no systemd here: file systems are synced and the kernel ${action === 'reboot' ? 'reboots' : 'powers off'} at once (${action} -f); other services are not stopped first`,
  ];
  return { action, options, vms, enterMaintenance: facts.enterMaintenance, systemd: facts.systemd, steps, warnings };
}

/** The confirm's text: what will happen, in order. */
export function planText(p: PowerPlan): string {
  const head = `${actionWord(p.action)[0]!.toUpperCase()}${actionWord(p.action).slice(1)} this host?`;
  const vms = p.vms.length ? `Running VMs (${p.vms.length}): ${p.vms.map((v) => v.name).join(', ')}.` : 'No VM runs.';
  return [head, ...p.warnings, vms, ...p.steps.map((s, i) => `${i + 1}. ${s}`)].join('\n');
}

/** The programs that take the host down, in order (argument arrays for the runner). */
export function powerCommands(action: PowerAction, systemd: boolean): { command: string; args: string[] }[] {
  if (systemd) return [{ command: 'systemctl', args: [action] }];
  // Without systemd no manager stops the services: the VMs are already down,
  // the file systems are flushed, and the kernel is asked directly.
  return [{ command: 'sync', args: [] }, { command: action, args: ['-f'] }];
}

/** The services hostdeck restarts, by the name the front ends use, with their systemd units. */
export const RESTARTABLE_SERVICES = { libvirtd: 'libvirtd.service', hostdeck: 'hostdeck.service' } as const;
export type RestartableService = keyof typeof RESTARTABLE_SERVICES;

export function parseRestartService(name: string): RestartableService {
  if (Object.hasOwn(RESTARTABLE_SERVICES, name)) return name as RestartableService;
  throw new InvalidInputError([{ field: 'service', message: `service: must be one of ${Object.keys(RESTARTABLE_SERVICES).join(', ')} (got ${JSON.stringify(name)})` }]);
}

/** Without systemd, how an operator restarts the service by hand (the refusal says it). */
export function restartByHand(s: RestartableService): string {
  return s === 'libvirtd'
    ? 'restart it by hand: stop the running libvirtd (kill its pid from /run/libvirtd.pid) and start `libvirtd --daemon`'
    : 'restart it by hand: `hostdeck service stop`, then start `hostdeck serve` again under your init system';
}
