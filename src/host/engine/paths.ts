// Every file the registration reads or writes, under one root prefix so tests
// (and a chroot) can point it at a directory of their own. The defaults are
// the real paths vdsm and the engine use.
import { join } from 'node:path';

export interface EnginePaths {
  /** The engine CA as PEM, where vdsm-tool register stores it. */
  caFile: string;
  /** The host's unique id as vdsm keeps it. */
  vdsmIdFile: string;
  /** Where host deploy puts the engine-signed VDSM certificate (vdsmcert.pem) and the CA (cacert.pem). */
  vdsmCertsDir: string;
  /** The kernel command line (unattended registration). */
  procCmdline: string;
  /** The DMI system UUID. */
  dmiProductUuid: string;
  /** User database, to find the SSH user's home directory and ids. */
  passwdFile: string;
  /** Directory of the host's SSH host keys (*.pub). */
  sshHostKeyDir: string;
  /** Optional file with the unattended registration values (same keys as the kernel arguments). */
  unattendedFile: string;
  /** Prefix applied to home directories read from passwdFile. */
  root: string;
}

/** Paths under `root` ('/' for the real host). HOSTDECK_ENGINE_ROOT overrides the default root. */
export function enginePaths(root: string = process.env.HOSTDECK_ENGINE_ROOT || '/'): EnginePaths {
  const p = (abs: string) => join(root, abs);
  return {
    caFile: p('/etc/pki/ovirt-engine/ca.pem'),
    vdsmIdFile: p('/etc/vdsm/vdsm.id'),
    vdsmCertsDir: p('/etc/pki/vdsm/certs'),
    procCmdline: p('/proc/cmdline'),
    dmiProductUuid: p('/sys/class/dmi/id/product_uuid'),
    passwdFile: p('/etc/passwd'),
    sshHostKeyDir: p('/etc/ssh'),
    unattendedFile: p('/etc/hostdeck/engine-register.conf'),
    root,
  };
}
