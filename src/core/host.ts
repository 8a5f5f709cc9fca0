// This host's facts as the dashboard, the header and `hostdeck host info`
// show them: identity, resources, network, and the libvirt connection's state.
import { filesystems, hostOverview, managementIp, readFqdn, type HostOverview } from '../host/system.ts';
import { readCpuTemperatures } from '../host/temperatures.ts';
import type { CpuTemperatures } from '../domain/host-io.ts';
import type { FsUsage } from '../host/parse.ts';
import { countByState, type ConnectionStatus, type VirtVersion } from '../virt/types.ts';
import { runInteractive } from '../exec/runner.ts';
import type { CoreContext } from './index.ts';

export { managementIp, type CpuTemperatures, type FsUsage, type HostOverview };
export type { ConnectionStatus };

export interface HostInfo extends HostOverview {
  fqdn: string;
  managementIp?: string;
  libvirt: {
    uri: string;
    state: ConnectionStatus['state'];
    error?: string;
    version?: VirtVersion;
    /** Undefined when the VM list could not be read. */
    vms?: ReturnType<typeof countByState>;
  };
}

export interface HostUseCases {
  overview(): Promise<HostOverview>;
  /** Everything `hostdeck host info` prints: the overview, the FQDN, and libvirt with its VM counts. */
  info(): Promise<HostInfo>;
  /** The libvirt connection's state now (no round trip). */
  libvirtStatus(): ConnectionStatus;
  /** A cheap round trip that notices a daemon that went away; resolves to the state after it. */
  checkLibvirt(): Promise<ConnectionStatus>;
  /** Connection state changes, as they happen. */
  onLibvirtStatus(fn: (s: ConnectionStatus) => void): () => void;
  /** The main local file systems with df's figures, each device once (statfs: no process, never a network mount). */
  filesystems(): Promise<FsUsage[]>;
  /** The CPU's temperatures where the hardware reports them (hwmon files), else undefined. */
  temperatures(): Promise<CpuTemperatures | undefined>;
  /** Hand the terminal to a shell ($SHELL when it is an absolute path, else /bin/sh); resolves with its exit code. */
  shell(): Promise<number>;
}

export function createHostUseCases(ctx: CoreContext): HostUseCases {
  const virt = () => ctx.infra.virt;
  return {
    overview: () => hostOverview(),
    info: () => ctx.door.act('host.show', { id: 'host' }, { message: "Show this host's facts" }, async () => {
      const [h, fqdn, doms, version] = await Promise.all([hostOverview(), readFqdn(), virt().domainList().catch((e: Error) => e), virt().readVersion().catch(() => undefined)]);
      const st = { ...virt().getStatus(), version };
      return {
        ...h, fqdn, managementIp: managementIp(h),
        libvirt: { uri: st.uri, state: st.state, error: st.error, version: st.version, vms: doms instanceof Error ? undefined : countByState(doms) },
      };
    }),
    libvirtStatus: () => virt().getStatus(),
    async checkLibvirt() {
      try {
        await virt().hostname();
      } catch {
        // Disconnected: the status says why; the connection keeps its own backoff.
      }
      return virt().getStatus();
    },
    onLibvirtStatus: (fn) => virt().onStatus(fn),
    filesystems: () => filesystems(),
    temperatures: () => readCpuTemperatures(),
    shell: () => {
      const sh = process.env.SHELL?.startsWith('/') ? process.env.SHELL : '/bin/sh';
      return ctx.door.act('host.shell', { id: 'host' }, { message: `Open a shell (${sh})` }, () => runInteractive(sh, []));
    },
  };
}
