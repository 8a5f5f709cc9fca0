import { hostOverview, managementIp, readFqdn } from '../host/system.ts';
import { formatDuration } from '../host/parse.ts';
import { formatBytes } from '../domain/size.ts';
import { countByState } from '../virt/types.ts';
import type { Command } from './registry.ts';

export const hostCommands: Command[] = [
  {
    noun: 'host',
    verb: 'info',
    summary: "This host's identity, resources, network and libvirt state (what the dashboard shows)",
    async run(ctx) {
      const [h0, fqdn, doms, version] = await Promise.all([hostOverview(), readFqdn(), ctx.services.virt.domainList().catch((e: Error) => e), ctx.services.virt.readVersion().catch(() => undefined)]);
      const h = { ...h0, fqdn };
      const st = { ...ctx.services.virt.getStatus(), version };
      const libvirt = {
        uri: st.uri, state: st.state, error: st.error, version: st.version,
        vms: doms instanceof Error ? undefined : countByState(doms),
      };
      if (ctx.json) {
        ctx.out(JSON.stringify({ ...h, managementIp: managementIp(h), libvirt }, null, 2));
        return 0;
      }
      const rows: [string, string][] = [
        ['hostname', `${h.hostname}${h.fqdn !== h.hostname ? ` (${h.fqdn})` : ''}`],
        ['os', `${h.os}, kernel ${h.kernel}`],
        ['uptime', formatDuration(h.uptimeSec)],
        ['cpu', `${h.cpu.model}: ${h.cpu.sockets} socket(s), ${h.cpu.cores} cores, ${h.cpu.threads} threads`],
        ['virtualization', h.virt.usable ? 'KVM usable' : `emulation only (TCG): ${h.virt.reason ?? ''}`],
        ['memory', `${formatBytes(h.memory.usedKiB * 1024)} used of ${formatBytes(h.memory.totalKiB * 1024)}`],
        ['load', h.load.map((l) => l.toFixed(2)).join(' ')],
        ['management', h.management ? `${h.management.iface} ${h.management.addresses.map((a) => `${a.address}/${a.prefix}`).join(' ')}` : 'none'],
        ['gateway', h.gateway ?? h.gateway6 ?? 'none'],
        ['dns', h.dns.join(' ') || 'none'],
        ['libvirt', `${st.uri} ${st.state}${st.version?.library ? ` (${st.version.library}${st.version.hypervisor ? `, ${st.version.hypervisor}` : ''})` : ''}${st.error ? `: ${st.error}` : ''}`],
      ];
      if (libvirt.vms) rows.push(['vms', `${libvirt.vms.total} total, ${libvirt.vms.running} running, ${libvirt.vms.paused} paused, ${libvirt.vms.shutoff} shut off`]);
      for (const f of h.filesystems) rows.push([`fs ${f.mount}`, `${formatBytes(f.usedKiB * 1024)} used of ${formatBytes(f.sizeKiB * 1024)} (${f.type})`]);
      for (const [k, v] of rows) ctx.out(`${k.padEnd(16)} ${v}`);
      return 0;
    },
  },
];
