import { formatDuration } from '../domain/duration.ts';
import { formatBytes } from '../domain/size.ts';
import { fsUsedText } from '../domain/fs-usage.ts';
import type { Command } from './registry.ts';

export const hostCommands: Command[] = [
  {
    noun: 'host',
    verb: 'info',
    summary: "This host's identity, resources, network and libvirt state (what the dashboard shows)",
    async run(ctx) {
      const h = await ctx.core.host.info();
      if (ctx.json) {
        // Both gateways always have their key: null says "none", as the human output does.
        ctx.out(JSON.stringify({ ...h, gateway: h.gateway ?? null, gateway6: h.gateway6 ?? null }, null, 2));
        return 0;
      }
      const st = h.libvirt;
      const rows: [string, string][] = [
        ['hostname', `${h.hostname}${h.fqdn !== h.hostname ? ` (${h.fqdn})` : ''}`],
        ['os', `${h.os}, kernel ${h.kernel}`],
        ['uptime', formatDuration(h.uptimeSec)],
        ['cpu', `${h.cpu.model}: ${h.cpu.sockets} socket(s), ${h.cpu.cores} cores, ${h.cpu.threads} threads`],
        ['virtualization', h.virt.usable ? 'KVM usable' : `emulation only (TCG): ${h.virt.reason ?? ''}`],
        ['memory', `${formatBytes(h.memory.usedKiB * 1024)} used of ${formatBytes(h.memory.totalKiB * 1024)}`],
        ['load', h.load.map((l) => l.toFixed(2)).join(' ')],
        ['management', h.management ? `${h.management.iface} ${h.management.addresses.map((a) => `${a.address}/${a.prefix}`).join(' ')}` : 'none'],
        ['gateway', h.gateway ?? 'none'],
        ['gateway6', h.gateway6 ?? 'none'],
        ['dns', h.dns.join(' ') || 'none'],
        ['libvirt', `${st.uri} ${st.state}${st.version?.library ? ` (${st.version.library}${st.version.hypervisor ? `, ${st.version.hypervisor}` : ''})` : ''}${st.error ? `: ${st.error}` : ''}`],
      ];
      if (st.vms) rows.push(['vms', `${st.vms.total} total, ${st.vms.running} running, ${st.vms.paused} paused, ${st.vms.shutoff} shut off`]);
      for (const f of h.filesystems) rows.push([`fs ${f.mount}`, `${fsUsedText(f)} (${f.type})`]);
      for (const [k, v] of rows) ctx.out(`${k.padEnd(16)} ${v}`);
      return 0;
    },
  },
];
