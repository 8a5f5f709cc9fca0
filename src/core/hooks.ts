// Hooks around the core's actions (VDSM's hooks): before_<action> scripts
// run before it and may stop it (a VM's may rewrite the domain XML the VM
// starts with), after_<action> scripts run once it succeeded and cannot
// stop anything. Every action reaches them through `aroundHooks`; `list`
// is `hostdeck hooks list`. The file system and the runner are loaded on
// first use (the console's first frame does not pay for them).
import { PROPERTY_NAME } from '../domain/custom-properties.ts';
import type { EventLog } from '../manager/events.ts';
import { parseDomainXml } from '../virt/xml/parse.ts';
import { HOOK_POINTS, type HookAction, type HookPoint, type HookPointListing, type HookSettings } from '../domain/hooks.ts';
import type { CoreContext } from './index.ts';

export { HookError, HOOK_POINTS, type HookAction, type HookPoint, type HookPointListing, type HookScript, type HookSettings } from '../domain/hooks.ts';

export interface HookListing {
  enabled: boolean;
  root: string;
  timeoutS: number;
  points: HookPointListing[];
}

export interface HookUseCases {
  /** Every hook point with its scripts in the order they run, and why any does not run. */
  list(): Promise<HookListing>;
}

/** One action's hooks: what they are told and, for a VM, the domain XML they get. */
export interface HookedAction {
  action: HookAction;
  /** The object the action's events name: the hooks' warnings are filed under it. */
  object: { source: 'vm' | 'network' | 'host'; type: string; id: string };
  /** Variables besides HOSTDECK_HOOK_POINT (a VM's name, UUID and its custom properties); read only when a hook runs. */
  env: () => Promise<Record<string, string>>;
  /** The domain XML before-hooks get (and may rewrite when `rewrite` is set). */
  beforeXml?: () => Promise<string>;
  /** The domain XML after-hooks get, read once the action is done. */
  afterXml?: () => Promise<string | undefined>;
  /**
   * The action uses the before-hooks' XML: the whole domain (VM start) or the
   * device (NIC and disk hot-plug, as VDSM's before_*_hotplug hooks may edit
   * the device); it is checked, and handed to the action.
   */
  rewrite?: 'domain' | 'device';
}

const loadHost = () => Promise.all([import('../host/hooks/scan.ts'), import('../host/hooks/run.ts')]);

/**
 * Run `act` between its action's before- and after-hooks. A before-hook that
 * fails stops it (HookError: the action's failure event carries it); refused
 * scripts and failed after-hooks are warning events. `act` gets the domain
 * XML the before-hooks rewrote, when the action uses it and they changed it.
 */
export async function aroundHooks<T>(settings: HookSettings | undefined, events: () => EventLog, h: HookedAction, act: (rewritten?: string) => Promise<T>): Promise<T> {
  if (!settings?.enabled) return act();
  const [{ scanHooks }, { runHookPoint }] = await loadHost();
  const before: HookPoint = `before_${h.action}`;
  const after: HookPoint = `after_${h.action}`;
  const [pre, post] = await scanHooks(settings.root, [before, after]);
  const warn = (message: string) => events().record({ source: h.object.source, objectType: h.object.type, objectId: h.object.id, message, severity: 'warning' });
  const runnable = (l: HookPointListing) => {
    if (l.refused) warn(`${l.point} hooks refused: ${l.refused}`);
    for (const s of l.refused ? [] : l.scripts) if (s.refused?.warn) warn(`${l.point} hook ${s.name} refused: ${s.refused.reason}`);
    return !l.refused && l.scripts.some((s) => !s.refused);
  };
  const envOf = async (point: HookPoint) => ({ ...(await h.env()), HOSTDECK_HOOK_POINT: point });
  let rewritten: string | undefined;
  if (runnable(pre!)) {
    const xml = await h.beforeXml?.();
    const rules = h.rewrite && xml !== undefined ? await import('../virt/xml/rewrite.ts') : undefined;
    const checkXml = rules ? (h.rewrite === 'domain' ? rules.domainRewriteProblem : rules.deviceRewriteProblem).bind(null, xml!) : undefined;
    const xmlName = h.rewrite === 'device' ? 'device XML' : 'domain XML';
    rewritten = (await runHookPoint({ listing: pre!, env: await envOf(before), timeoutMs: settings.timeoutMs, domxml: xml, xmlName, checkXml, stopOnFailure: true })).rewritten;
  }
  const value = await act(h.rewrite ? rewritten : undefined);
  if (runnable(post!)) {
    const xml = await h.afterXml?.().catch(() => undefined);
    const r = await runHookPoint({ listing: post!, env: await envOf(after), timeoutMs: settings.timeoutMs, domxml: xml, stopOnFailure: false });
    for (const f of r.failures) warn(`${f.message} (the action itself succeeded)`);
  }
  return value;
}

/**
 * A VM action's hooks: the VM's name and UUID (and its custom properties,
 * each as a variable of its own name, as VDSM passes them) in the
 * environment; the domain XML as the action finds it (the definition it
 * starts from, for start), and as it is after it for the after-hooks.
 */
/** The VM actions that use their before-hooks' XML, and which XML that is. */
const REWRITES: Partial<Record<HookAction, HookedAction['rewrite']>> = { vm_start: 'domain', nic_hotplug: 'device', disk_hotplug: 'device' };

export function aroundVmHooks<T>(ctx: CoreContext, action: Extract<HookAction, `${'vm' | 'nic' | 'disk'}_${string}`>, name: string, act: (rewritten?: string) => Promise<T>,
  extra: { env?: Record<string, string>; deviceXml?: string } = {}): Promise<T> {
  const settings = ctx.infra.config.hooks;
  if (!settings?.enabled) return act();
  const virt = () => ctx.infra.virt;
  // Read once, when a hook is about to run: the before-hooks' XML, and where the UUID comes from.
  let domain: Promise<string> | undefined;
  const domainXml = () => (domain ??= virt().domainGetXml(name, { inactive: action === 'vm_start' }));
  // A device hot-plug's hooks get the device's XML, not the domain's: VDSM hands its before_/after_
  // nic_hotplug (disk_hotplug, ...) hooks the device element in _hook_domxml, as the device is what changes.
  const deviceXml = extra.deviceXml;
  const beforeXml = deviceXml === undefined ? domainXml : () => Promise.resolve(deviceXml);
  let uuid: Promise<string> | undefined;
  const env = async (): Promise<Record<string, string>> => {
    uuid ??= domainXml().then((xml) => parseDomainXml(xml).uuid);
    const id = await uuid;
    // The VM's custom properties, each as a variable of its own name (the names are checked when set).
    const { customPropertyRepo } = await import('../manager/repos/custom-properties.ts');
    const props = Object.fromEntries(Object.entries(customPropertyRepo(ctx.infra.db).values(id)).filter(([k]) => PROPERTY_NAME.test(k)));
    return { ...props, ...extra.env, HOSTDECK_VM_NAME: name, HOSTDECK_VM_UUID: id };
  };
  return aroundHooks(settings, () => ctx.infra.events, {
    action, object: { source: 'vm', type: 'vm', id: name }, env, rewrite: REWRITES[action],
    beforeXml,
    afterXml: deviceXml === undefined ? () => virt().domainGetXml(name) : beforeXml,
  }, act);
}

/**
 * Start a VM between its hooks, the one way every start does it (vm start, a
 * new VM started, a pool VM): with saved memory it resumes from it, which is
 * a restore to its hooks (VDSM's dehibernate) with no XML to rewrite;
 * otherwise between the start hooks, whose rewritten domain XML this run uses.
 */
export function startVmWithHooks(ctx: CoreContext, name: string, opts: { managedSave?: boolean } = {}): Promise<void> {
  const virt = ctx.infra.virt;
  if (opts.managedSave) return aroundVmHooks(ctx, 'vm_restore', name, () => virt.domainStart(name));
  return aroundVmHooks(ctx, 'vm_start', name, (xml) => (xml ? virt.domainStartWithXml(xml) : virt.domainStart(name)));
}

export function createHookUseCases(ctx: CoreContext): HookUseCases {
  return {
    list: () => ctx.door.act('hook.list', { id: '*' }, { message: 'List the hooks' }, async () => {
      const s = ctx.infra.config.hooks;
      const { scanHooks } = await import('../host/hooks/scan.ts');
      return { enabled: s.enabled, root: s.root, timeoutS: s.timeoutMs / 1000, points: await scanHooks(s.root, HOOK_POINTS) };
    }),
  };
}
