// The preflight and health checks (the Diagnostics screen, `hostdeck diagnose`):
// a read use case. Each check reads the host (src/host/diagnostics), judges by
// its pure rule (src/domain/diagnostics.ts) and has a time limit, so one that
// hangs (a DNS server, a hung mount) says "cannot tell" instead of holding up
// the others. The reading code loads on first use (not in the first frame).
import { hostname } from 'node:os';
import { InvalidInputError } from '../domain/errors.ts';
import type { CheckResult } from '../domain/diagnostics.ts';
import type { MtuPathResult } from '../domain/net/test-targets.ts';
import type { CoreContext } from './index.ts';
import { createHostUseCases } from './host.ts';

export type { CheckResult, MtuPathResult };

/** The unit the host service runs as (scripts/systemd once the package ships it). */
export const HOST_SERVICE_UNIT = 'hostdeck.service';
/** Each check's time limit; a check's programs have their own, shorter one. */
export const CHECK_LIMIT_MS = 8000;

export interface DiagnosticsUseCases {
  /** Every check, in parallel, each within its time limit; onResult sees each as it ends. */
  run(onResult?: (r: CheckResult) => void): Promise<CheckResult[]>;
  /** The MTU path test: ping `target` with don't-fragment at `mtu` (default: the MTU of the interface the route to it uses). */
  mtuPath(target: string, mtu?: number): Promise<MtuPathResult>;
}

interface Check { id: string; title: string; run: () => Promise<CheckResult | CheckResult[]> }

export function createDiagnosticsUseCases(ctx: CoreContext, limitMs = CHECK_LIMIT_MS): DiagnosticsUseCases {
  const host = createHostUseCases(ctx);

  const checks = async (): Promise<Check[]> => {
    const [rules, files, programs, system] = await Promise.all([
      import('../domain/diagnostics.ts'), import('../host/diagnostics/files.ts'), import('../host/diagnostics/programs.ts'), import('../host/system.ts'),
    ]);
    const [{ parseCpuinfo }, { parseMeminfo }, { readFile }] = await Promise.all([import('../host/parse.ts'), import('../domain/host-io.ts'), import('node:fs/promises')]);
    const text = (p: string) => readFile(p, 'utf8').catch(() => '');
    const domains = async () => {
      const { storageDomainRepo } = await import('../manager/repos/storage-domains.ts');
      return storageDomainRepo(ctx.infra.db).all();
    };
    const disk = (path: string) => files.pathUsage(path).then((u) => rules.diskCheck(path, u), (e: Error) => rules.diskCheck(path, undefined, e.message));
    const name = hostname();
    return [
      { id: 'virtualization', title: 'Virtualization (KVM)', run: async () => rules.virtualizationCheck(await system.virtCapability(parseCpuinfo(await text('/proc/cpuinfo')).flags)) },
      { id: 'cpu-flags', title: 'CPU flags', run: async () => {
        const [{ hostClusterOf, hostCpuFacts }, { managerRepo }, { cpuProblem }] = await Promise.all([import('./manager.ts'), import('../manager/repos/manager-model.ts'), import('../domain/vm-devices.ts')]);
        const c = hostClusterOf(managerRepo(ctx.infra.db));
        return rules.cpuFlagsCheck(c, c ? cpuProblem(c.cpuType, await hostCpuFacts(ctx)) : undefined);
      } },
      { id: 'memory', title: 'Memory and swap', run: async () => rules.memoryCheck(parseMeminfo(await text('/proc/meminfo'))) },
      { id: 'disk', title: 'Disk space', run: async () => {
        // File domains live in a directory under their mount; block domains are volume groups (no path to statfs).
        const rows = await domains().catch(() => []);
        const paths = ['/', '/var', ...rows.filter((d) => d.device === null && d.path.startsWith('/')).map((d) => d.path)];
        return Promise.all(paths.map(disk));
      } },
      { id: 'nic', title: 'NIC link', run: async () => {
        const nics = await files.readNics();
        return nics.length ? nics.map(rules.nicCheck) : [rules.noNicCheck()];
      } },
      { id: 'time', title: 'Time synchronised', run: async () => rules.timeCheck(await programs.readTimeSource()) },
      { id: 'dns', title: `Name ${name} resolves both ways`, run: async () => {
        const fwd = await programs.resolveName(name);
        const addr = Array.isArray(fwd) ? fwd.find((a) => !/^127\./.test(a) && a !== '::1') : undefined;
        return rules.dnsCheck(name, fwd, addr ? await programs.reverseName(addr) : undefined);
      } },
      { id: 'cert', title: 'Engine/API certificate', run: async () => {
        const [{ engineState }, { enginePaths }, { join }] = await Promise.all([import('../host/engine/state.ts'), import('../host/engine/paths.ts'), import('node:path')]);
        const st = engineState(ctx.infra);
        if (st.mode !== 'registered') return rules.noCertCheck(`no engine or API certificate is configured (${st.summary})`);
        const p = enginePaths();
        const now = new Date();
        const ca = rules.certCheck('engine CA', p.caFile, await files.certValidity(p.caFile), now);
        // The host's own certificate exists once the engine has deployed the host.
        if (st.state !== 'approved') return [ca];
        const vdsm = join(p.vdsmCertsDir, 'vdsmcert.pem');
        return [ca, rules.certCheck('host (vdsm)', vdsm, await files.certValidity(vdsm), now)];
      } },
      { id: 'libvirt', title: 'libvirtd running', run: async () => rules.libvirtCheck(await host.checkLibvirt()) },
      { id: 'service', title: `Host service ${HOST_SERVICE_UNIT}`, run: async () => rules.serviceCheck(HOST_SERVICE_UNIT, await programs.unitState(HOST_SERVICE_UNIT)) },
      { id: 'storage-domains', title: 'Storage domains reachable', run: async () => rules.storageDomainsCheck(await domains()) },
    ];
  };

  const within = async (c: Check, timedOut: (id: string, title: string, ms: number) => CheckResult, failed: (e: Error) => CheckResult): Promise<CheckResult[]> => {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<CheckResult>((resolve) => { timer = setTimeout(() => resolve(timedOut(c.id, c.title, limitMs)), limitMs); });
    try {
      const r = await Promise.race([c.run().catch(failed), limit]);
      return Array.isArray(r) ? r : [r];
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    run: (onResult) => ctx.door.act('host.diagnose', { id: 'host' }, { message: 'Run the health checks' }, async () => {
      const { timedOutCheck } = await import('../domain/diagnostics.ts');
      const list = await checks();
      const out = await Promise.all(list.map(async (c) => {
        const rs = await within(c, timedOutCheck, (e) => ({ id: c.id, title: c.title, status: 'unknown', detail: e.message }));
        for (const x of rs) onResult?.(x);
        return rs;
      }));
      return out.flat();
    }),

    async mtuPath(target, mtu) {
      const { targetError, mtuError } = await import('../domain/net/test-targets.ts');
      const errors = [targetError('target', target), mtu === undefined ? undefined : mtuError('mtu', mtu)].filter((e) => e !== undefined);
      if (errors.length) throw new InvalidInputError(errors.map((e) => ({ field: e.field, message: `${e.field}: ${e.message}` })));
      return ctx.door.act('network.mtu-test', { id: 'host' }, { message: `Test the MTU path to ${target}` }, async () => {
        const [{ testMtuPath }, runner] = await Promise.all([import('../host/net/tools.ts'), import('../exec/runner.ts')]);
        return testMtuPath(runner, target, mtu ?? (await routeMtu(runner, target)));
      });
    },
  };
}

/** The MTU of the interface the route to `target` leaves by (ip route get). */
async function routeMtu(runner: typeof import('../exec/runner.ts'), target: string): Promise<number> {
  const { isIP } = await import('node:net');
  // ip takes an address; a name is looked up first. After ip's `to` keyword a value is never read as an option.
  const address = isIP(target) ? target : await import('node:dns/promises').then((d) => d.lookup(target)).then((a) => a.address, () => target);
  const r = await runner.run('ip', ['-o', 'route', 'get', 'to', address.replace(/%.*$/, '')], { timeoutMs: 4000 });
  const dev = /\bdev (\S+)/.exec(r.stdout)?.[1];
  const explicit = /\bmtu (\d+)/.exec(r.stdout)?.[1];
  if (explicit) return Number(explicit);
  const { readFile } = await import('node:fs/promises');
  const mtu = dev && /^[\w.@:-]+$/.test(dev) ? Number((await readFile(`/sys/class/net/${dev}/mtu`, 'utf8').catch(() => '')).trim()) : 0;
  if (!mtu) throw new InvalidInputError([{ field: 'mtu', message: `mtu: no route to ${target} tells the MTU (${(r.stderr || r.stdout).trim() || 'ip route get said nothing'}); give --mtu-size` }]);
  return mtu;
}
