// iSCSI through open-iscsi's iscsiadm (always via the runner, argv only):
// discovery (sendtargets, not stored), login with or without CHAP and mutual
// CHAP, logout, node.startup, and the sessions the kernel has. Secrets reach
// iscsiadm as arguments of one short `-o update` call whose record marks them
// redacted (they are never on the command line of a long-lived process, and
// the node record holding them is deleted at disconnect and after a failed
// login). An existing session is success; a failed login leaves no session
// and no node record behind that was not there before.
import { formatPortal, type IscsiParams } from '../../domain/storage/connection.ts';
import type { RunResult } from '../../exec/runner.ts';
import { StorageError } from './errors.ts';
import type { HostFs, Runner } from './fs.ts';

/** open-iscsi exit codes (include/iscsi_err.h). */
export const ISCSI_ERR = {
  SUCCESS: 0, SESS_NOT_FOUND: 2, TRANS: 4, IDBM: 6, LOGIN: 8, ISCSID_NOTCONN: 20, NO_OBJS_FOUND: 21, SESS_EXISTS: 15,
  LOGIN_AUTH_FAILED: 24, TRANS_TIMEOUT: 7, PDU_TIMEOUT: 12, ISCSID_COMM_ERR: 12, INVALID_REQUEST: 9, ACCESS: 5, INTERNAL: 3,
} as const;

export interface DiscoveredTarget {
  /** ADDR:PORT as iscsiadm prints it ([IPv6]:PORT). */
  portal: string;
  address: string;
  port: number;
  tpgt: number;
  target: string;
}

export interface IscsiSession {
  id: number;
  transport: string;
  address: string;
  port: number;
  tpgt: number;
  target: string;
}

const PORTAL_LINE = /^(\[[0-9A-Fa-f:.]+\]|[^\s,[\]]+):(\d+),(-?\d+)\s+(\S+)/;

function splitPortal(addr: string): string {
  return addr.startsWith('[') ? addr.slice(1, -1) : addr;
}

/** `iscsiadm -m discovery -t sendtargets` and `iscsiadm -m node` output: "ADDR:PORT,TPGT TARGET" per line. */
export function parseDiscovery(text: string): DiscoveredTarget[] {
  const out: DiscoveredTarget[] = [];
  for (const line of text.split('\n')) {
    const m = PORTAL_LINE.exec(line.trim());
    if (!m) continue;
    const address = splitPortal(m[1]!);
    out.push({ portal: `${m[1]}:${m[2]}`, address, port: Number(m[2]), tpgt: Number(m[3]), target: m[4]! });
  }
  return out;
}

/** `iscsiadm -m session`: "tcp: [1] 192.0.2.10:3260,1 iqn... (non-flash)". */
export function parseSessions(text: string): IscsiSession[] {
  const out: IscsiSession[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+):\s+\[(\d+)\]\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const p = parseDiscovery(m[3]!)[0];
    if (!p) continue;
    out.push({ id: Number(m[2]), transport: m[1]!, address: p.address, port: p.port, tpgt: p.tpgt, target: p.target });
  }
  return out;
}

const tail = (r: RunResult) => (r.stderr || r.stdout).trim().split('\n').filter(Boolean).slice(-2).join(' | ');

/** iscsiadm failures in words an operator can act on. */
export function explainIscsi(r: RunResult, what: string): StorageError {
  const t = `${r.stderr}\n${r.stdout}`;
  if (r.spawnError) return new StorageError('missing-tool', `iscsiadm: ${r.spawnError} (install open-iscsi)`);
  if (r.timedOut) return new StorageError('timeout', `${what}: iscsiadm did not finish in time (the portal does not answer)`);
  if (r.exitCode === ISCSI_ERR.ISCSID_NOTCONN || /can ?not connect to iSCSI daemon/i.test(t)) {
    return new StorageError('daemon', `${what}: the iSCSI daemon (iscsid) is not running; start it (systemctl start iscsid) and try again`);
  }
  if (r.exitCode === ISCSI_ERR.LOGIN_AUTH_FAILED || /authorization failure|authentication fail/i.test(t)) {
    return new StorageError('auth', `${what}: the target refused the login (CHAP authentication failed): check the CHAP user name and secret, and that this host's initiator name is allowed`);
  }
  if (r.exitCode === ISCSI_ERR.TRANS || r.exitCode === ISCSI_ERR.TRANS_TIMEOUT || /connection refused|No route to host|Network is unreachable|connect to .* failed|timed out/i.test(t)) {
    return new StorageError('unreachable', `${what}: cannot reach the portal: ${tail(r)}`);
  }
  if (/target not found|no records found|does not exist/i.test(t) || r.exitCode === ISCSI_ERR.NO_OBJS_FOUND) {
    return new StorageError('not-found', `${what}: the portal does not offer that target: ${tail(r)}`);
  }
  return new StorageError('failed', `${what} failed (iscsiadm exit ${r.exitCode}): ${tail(r)}`);
}

export interface IscsiSecrets {
  chapSecret?: string;
  mutualSecret?: string;
}

/** CHAP for sendtargets discovery (discovery.sendtargets.auth.*). */
export interface DiscoveryAuth {
  user: string;
  secret: string;
}

export interface IscsiOps {
  /** Sendtargets discovery; with auth, CHAP through a discovery record that is deleted again whatever happens. */
  discover(address: string, port: number, auth?: DiscoveryAuth): Promise<DiscoveredTarget[]>;
  sessions(): Promise<IscsiSession[]>;
  findSession(p: IscsiParams): Promise<IscsiSession | undefined>;
  nodeExists(p: IscsiParams): Promise<boolean>;
  login(p: IscsiParams, secrets: IscsiSecrets, persistent: boolean): Promise<{ already: boolean }>;
  logout(p: IscsiParams): Promise<{ wasConnected: boolean }>;
  setStartup(p: IscsiParams, persistent: boolean): Promise<void>;
}

/** Directories open-iscsi keeps node records in (Debian: /etc/iscsi/nodes; others: /var/lib/iscsi/nodes). */
export const NODE_DIRS = ['/etc/iscsi/nodes', '/var/lib/iscsi/nodes'];

export function iscsiOps(runner: Runner, fs: HostFs, opts: { loginTimeoutMs?: number; nodeDirs?: string[]; sysfsRoot?: string } = {}): IscsiOps {
  const iscsiadm = (args: string[], o: { timeoutMs?: number; redact?: number[] } = {}) => runner.run('iscsiadm', args, { timeoutMs: o.timeoutMs ?? 60_000, redact: o.redact });
  const node = (p: IscsiParams) => ['-m', 'node', '-T', p.target, '-p', formatPortal(p.address, p.port)];
  const nodeDirs = opts.nodeDirs ?? NODE_DIRS;

  const sysfs = opts.sysfsRoot ?? '/sys';
  /**
   * Sessions from sysfs (no program start: the 100-cycle test and the status
   * poll stay cheap); iscsiadm -m session when sysfs has no iSCSI class
   * (iscsi_tcp not loaded means no sessions, but a recorded root may lack it).
   */
  const sessions = async (): Promise<IscsiSession[]> => {
    const base = `${sysfs}/class/iscsi_session`;
    if (!fs.remote && (await fs.isDir(base))) {
      const out: IscsiSession[] = [];
      for (const name of await fs.list(base)) {
        const sid = Number(name.replace(/^session/, ''));
        if (!Number.isInteger(sid)) continue;
        const target = ((await fs.read(`${base}/${name}/targetname`)) ?? '').trim();
        const conn = `${sysfs}/class/iscsi_connection/connection${sid}:0`;
        const address = ((await fs.read(`${conn}/persistent_address`)) ?? (await fs.read(`${conn}/address`)) ?? '').trim();
        const port = Number(((await fs.read(`${conn}/persistent_port`)) ?? (await fs.read(`${conn}/port`)) ?? '0').trim());
        const tpgt = Number(((await fs.read(`${base}/${name}/tpgt`)) ?? '1').trim());
        if (target) out.push({ id: sid, transport: 'tcp', address, port, tpgt, target });
      }
      return out;
    }
    if (fs.remote || !(await fs.isDir(`${sysfs}/class`))) {
      const r = await iscsiadm(['-m', 'session']);
      if (r.exitCode === ISCSI_ERR.NO_OBJS_FOUND) return [];
      if (r.exitCode !== 0) throw explainIscsi(r, 'listing iSCSI sessions');
      return parseSessions(r.stdout);
    }
    return [];
  };
  const same = (s: { address: string; port: number; target: string }, p: IscsiParams) =>
    s.target === p.target && s.port === p.port && s.address.toLowerCase() === p.address.toLowerCase();
  const findSession = async (p: IscsiParams) => (await sessions()).find((s) => same(s, p));

  const nodeExists = async (p: IscsiParams): Promise<boolean> => {
    for (const dir of nodeDirs) {
      const entries = await fs.list(`${dir}/${p.target}`);
      if (entries.some((e) => {
        const m = /^\[?([^\]]+?)\]?,(\d+),/.exec(e);
        return m !== null && m[1]!.toLowerCase() === p.address.toLowerCase() && Number(m[2]) === p.port;
      })) return true;
    }
    return false;
  };

  const update = async (p: IscsiParams, pairs: [string, string, boolean?][]): Promise<void> => {
    const args = [...node(p), '-o', 'update'];
    const redact: number[] = [];
    for (const [n, v, secret] of pairs) {
      args.push('-n', n, '-v', v);
      if (secret) redact.push(args.length - 1);
    }
    const r = await iscsiadm(args, { redact });
    if (r.exitCode !== 0) throw explainIscsi(r, 'updating the iSCSI node record');
  };

  const startupPair = (persistent: boolean): [string, string] => ['node.startup', persistent ? 'automatic' : 'manual'];

  return {
    async discover(address, port, auth) {
      const portal = formatPortal(address, port);
      // nonpersistent: list what the portal offers without creating node records.
      const sendTargets = async (argv: string[]): Promise<DiscoveredTarget[]> => {
        const r = await iscsiadm([...argv, '-o', 'nonpersistent'], { timeoutMs: 60_000 });
        if (r.exitCode === ISCSI_ERR.NO_OBJS_FOUND) return [];
        if (r.exitCode !== 0 || r.timedOut) throw explainIscsi(r, `discovery on ${portal}`);
        return parseDiscovery(r.stdout);
      };
      if (!auth) return sendTargets(['-m', 'discovery', '-t', 'sendtargets', '-p', portal]);
      // CHAP needs a discovery record to carry the credentials: made, used with
      // nonpersistent (no node records), and deleted again (with the secret) even when discovery fails.
      const rec = ['-m', 'discoverydb', '-t', 'sendtargets', '-p', portal];
      try {
        const created = await iscsiadm([...rec, '-o', 'new']);
        if (created.exitCode !== 0) throw explainIscsi(created, `discovery on ${portal}: creating the discovery record`);
        const args = [...rec, '-o', 'update', '-n', 'discovery.sendtargets.auth.authmethod', '-v', 'CHAP', '-n', 'discovery.sendtargets.auth.username', '-v', auth.user, '-n', 'discovery.sendtargets.auth.password', '-v', auth.secret];
        const u = await iscsiadm(args, { redact: [args.length - 1] });
        if (u.exitCode !== 0) throw explainIscsi(u, `discovery on ${portal}: storing the discovery CHAP user`);
        return await sendTargets([...rec, '--discover']);
      } finally {
        await iscsiadm([...rec, '-o', 'delete']);
      }
    },
    sessions,
    findSession,
    nodeExists,
    async login(p, secrets, persistent) {
      if (await findSession(p)) {
        // Already logged in: keep the session, only the reconnect-at-boot flag follows the connection.
        if (await nodeExists(p)) await update(p, [startupPair(persistent)]).catch(() => undefined);
        return { already: true };
      }
      const existed = await nodeExists(p);
      const what = `login to ${p.target} on ${formatPortal(p.address, p.port)}`;
      const cleanup = async () => {
        if (!existed) await iscsiadm([...node(p), '-o', 'delete']);
      };
      try {
        const created = await iscsiadm([...node(p), '-o', 'new']);
        if (created.exitCode !== 0) throw explainIscsi(created, 'creating the iSCSI node record');
        const pairs: [string, string, boolean?][] = [startupPair(persistent)];
        if (p.chapUser && secrets.chapSecret) {
          pairs.push(['node.session.auth.authmethod', 'CHAP'], ['node.session.auth.username', p.chapUser], ['node.session.auth.password', secrets.chapSecret, true]);
          if (p.mutualUser && secrets.mutualSecret) pairs.push(['node.session.auth.username_in', p.mutualUser], ['node.session.auth.password_in', secrets.mutualSecret, true]);
        } else {
          pairs.push(['node.session.auth.authmethod', 'None']);
        }
        await update(p, pairs);
        const r = await iscsiadm([...node(p), '--login'], { timeoutMs: opts.loginTimeoutMs ?? 60_000 });
        if (r.exitCode === ISCSI_ERR.SESS_EXISTS) return { already: true };
        if (r.exitCode !== 0 || r.timedOut) {
          // A login that timed out may still complete in iscsid: make sure no session stays.
          if (r.timedOut || r.exitCode !== ISCSI_ERR.LOGIN_AUTH_FAILED) await iscsiadm([...node(p), '--logout']);
          throw explainIscsi(r, what);
        }
        return { already: false };
      } catch (e) {
        await cleanup();
        throw e;
      }
    },
    async logout(p) {
      const r = await iscsiadm([...node(p), '--logout']);
      const wasConnected = r.exitCode === 0;
      if (r.exitCode !== 0 && r.exitCode !== ISCSI_ERR.NO_OBJS_FOUND && r.exitCode !== ISCSI_ERR.SESS_NOT_FOUND) throw explainIscsi(r, `logout from ${p.target}`);
      // vdsm removes the node record too: nothing (no secret) stays on the host for a disconnected target.
      const d = await iscsiadm([...node(p), '-o', 'delete']);
      if (d.exitCode !== 0 && d.exitCode !== ISCSI_ERR.NO_OBJS_FOUND) throw explainIscsi(d, `removing the node record of ${p.target}`);
      return { wasConnected };
    },
    async setStartup(p, persistent) {
      if (await nodeExists(p)) await update(p, [startupPair(persistent)]);
    },
  };
}
