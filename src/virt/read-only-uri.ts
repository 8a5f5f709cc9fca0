// The URI that opens libvirt read-only through @unraid/libvirt. The binding
// only has virConnectOpen (no virConnectOpenReadOnly), so read-only comes from
// the daemon instead: a client on libvirtd's read-only socket gets a
// read-only connection whatever it asks for (the daemon forces VIR_CONNECT_RO,
// as for `virsh -r`), and every write fails with libvirt's "operation
// forbidden: read only access prevents ...". Only a local daemon's system
// socket can be named this way; other URIs cannot be opened read-only by the
// binding and are refused rather than opened read-write.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** libvirt's run directory for the system daemons (LOCALSTATEDIR/run/libvirt). */
export const LIBVIRT_RUN_DIR = '/run/libvirt';

export type ReadOnlyUri = { uri: string } | { error: string };

/**
 * `qemu:///system` -> `qemu+unix:///system?socket=/run/libvirt/libvirt-sock-ro`
 * (the modular daemon's `virtqemud-sock-ro` where that one runs). The test
 * driver (`test:///...`) runs inside this process and holds no real VM: it
 * is opened as it is.
 */
export function readOnlyUri(uri: string, runDir: string = LIBVIRT_RUN_DIR, exists: (path: string) => boolean = existsSync): ReadOnlyUri {
  const m = /^([a-z0-9]+)(?:\+([a-z0-9]+))?:\/\/([^/?]*)(\/[^?]*)(?:\?(.*))?$/i.exec(uri);
  if (!m) return { error: `cannot open ${uri} read-only: not a libvirt URI hostdeck understands` };
  const [, driver, transport, host, path, query] = m as unknown as [string, string, string | undefined, string, string, string | undefined];
  if (driver === 'test') return { uri };
  const refuse = (why: string) => ({ error: `cannot open ${uri} read-only: ${why}; while this host is registered with an engine hostdeck opens libvirt only read-only` });
  if (host || (transport && transport !== 'unix')) return refuse('only a local libvirtd\'s read-only socket gives a read-only connection here');
  if (path !== '/system') return refuse(`only the system daemon has a read-only socket (this URI's path is ${path})`);
  const socket = [join(runDir, `virt${driver}d-sock-ro`), join(runDir, 'libvirt-sock-ro')].find(exists);
  if (!socket) return refuse(`no read-only socket in ${runDir} (is libvirtd running?)`);
  const params = (query ?? '').split('&').filter((p) => p && !/^socket=/i.test(p));
  return { uri: `${driver}+unix:///system?${[...params, `socket=${socket}`].join('&')}` };
}
