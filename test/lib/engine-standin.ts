// oVirt engine stand-in built from the published host-register protocol
// (version 1, as the engine's RegisterServlet serves it). No oVirt engine runs
// on these machines, so the registration is tested against this: an HTTPS
// server on loopback with a CA of its own (made with openssl at test time),
// serving get-version, get-pki-trust, get-ssh-trust and register at
// /ovirt-engine/services/host-register, recording every request it receives,
// and able to answer errors the way the engine does (HTTP 400 with a text).
// The standalone manager will serve the same protocol later; these tests are
// meant to run against it too (see `target` in the contract tests).
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type StandinCommand = 'get-version' | 'get-pki-trust' | 'get-ssh-trust' | 'register';

export interface StandinAnswer {
  status: number;
  body: string;
  contentType?: string;
}

export interface StandinBehaviour {
  /** What get-version answers (the engine: "1"). */
  version?: string;
  /** Answer this instead of the normal one (e.g. 400 with the engine's message). */
  answers?: Partial<Record<StandinCommand, StandinAnswer>>;
  /** Accept the request and never answer (timeouts). */
  hang?: StandinCommand[];
  /** get-pki-trust hands out a different CA than the one that signed the HTTPS certificate. */
  presentForeignCa?: boolean;
}

export interface StandinRequest {
  command: string;
  version: string | null;
  /** Every query parameter except version and command, exactly as received. */
  params: Record<string, string>;
  /** Parameter names in the order they were sent. */
  names: string[];
  rawQuery: string;
}

export interface Pki {
  dir: string;
  caPem: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  /** A second, unrelated CA (for the certificate-mismatch case). */
  foreignCaPem: string;
  /** A client-side certificate signed by the CA, as host deploy would leave in /etc/pki/vdsm/certs. */
  hostCertPem: string;
  caFingerprint: string;
  caSubject: string;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

let pkiCache: Pki | undefined;

/** A CA, a server certificate for 127.0.0.1 / ::1 / localhost and a host certificate; made once per test process. */
export function standinPki(): Pki {
  if (pkiCache) return pkiCache;
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-engine-pki-'));
  const days = '30';
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', days,
    '-subj', '/C=US/O=standin.test/CN=engine-standin.test.12345', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/C=US/O=standin.test/CN=localhost'], dir);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', days, '-extfile', 'server.ext'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'host.key', '-out', 'host.csr', '-subj', '/O=standin.test/CN=node1.standin.test'], dir);
  openssl(['x509', '-req', '-in', 'host.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'host.pem', '-days', days], dir);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'foreign.key', '-out', 'foreign.pem', '-days', days, '-subj', '/O=elsewhere.test/CN=foreign-ca'], dir);
  const caPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
  const x = new X509Certificate(caPem);
  pkiCache = {
    dir,
    caPem,
    caKey: readFileSync(join(dir, 'ca.key'), 'utf8'),
    serverCert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    serverKey: readFileSync(join(dir, 'server.key'), 'utf8'),
    foreignCaPem: readFileSync(join(dir, 'foreign.pem'), 'utf8'),
    hostCertPem: readFileSync(join(dir, 'host.pem'), 'utf8'),
    caFingerprint: x.fingerprint,
    caSubject: x.subject.split('\n').join(', '),
  };
  return pkiCache;
}

/** An OpenSSH "ssh-rsa" public key line, as the engine's get-ssh-trust returns its key. */
export function makeSshPublicKey(comment = 'ovirt-engine'): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const mpint = (b64u: string) => {
    let b = Buffer.from(b64u, 'base64url');
    if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const str = (s: string) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(s.length);
    return Buffer.concat([len, Buffer.from(s)]);
  };
  const blob = Buffer.concat([str('ssh-rsa'), mpint(jwk.e), mpint(jwk.n)]);
  return `ssh-rsa ${blob.toString('base64')} ${comment}`;
}

export interface EngineStandin {
  host: string;
  port: number;
  /** HOST:PORT as an operator types it. */
  address: string;
  pki: Pki;
  sshPublicKey: string;
  requests: StandinRequest[];
  behaviour: StandinBehaviour;
  /** The requests of one command. */
  received: (command: StandinCommand) => StandinRequest[];
  close: () => Promise<void>;
}

/** The engine's error page: its servlet container wraps the message in HTML. */
export function engineErrorPage(status: number, message: string): StandinAnswer {
  return {
    status,
    contentType: 'text/html;charset=UTF-8',
    body: `<html><head><title>Error</title></head><body><h1>HTTP Status ${status}</h1><p>${message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p></body></html>`,
  };
}

export async function startEngineStandin(behaviour: StandinBehaviour = {}): Promise<EngineStandin> {
  const pki = standinPki();
  const sshPublicKey = makeSshPublicKey();
  const requests: StandinRequest[] = [];
  const state = { behaviour };
  const server = https.createServer({ key: pki.serverKey, cert: pki.serverCert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://standin');
    const send = (a: StandinAnswer) => {
      res.writeHead(a.status, { 'Content-Type': a.contentType ?? 'text/plain' });
      res.end(a.body);
    };
    if (url.pathname !== '/ovirt-engine/services/host-register') return send({ status: 404, body: 'Not Found' });
    const params: Record<string, string> = {};
    const names: string[] = [];
    for (const [k, v] of url.searchParams) {
      if (k === 'version' || k === 'command') continue;
      params[k] = v;
      names.push(k);
    }
    const command = url.searchParams.get('command') ?? '';
    const version = url.searchParams.get('version');
    requests.push({ command, version, params, names, rawQuery: url.search.slice(1) });
    const b = state.behaviour;
    if (version !== '1') return send(engineErrorPage(400, `Invalid registration protocol version ${version ?? 0}`));
    if (b.hang?.includes(command as StandinCommand)) return; // never answers
    const override = b.answers?.[command as StandinCommand];
    if (override) return send(override);
    switch (command) {
      case 'get-version':
        return send({ status: 200, body: b.version ?? '1' });
      case 'get-pki-trust':
        return send({ status: 200, contentType: 'application/x-x509-ca-cert', body: b.presentForeignCa ? pki.foreignCaPem : pki.caPem });
      case 'get-ssh-trust':
        return send({ status: 200, body: `${sshPublicKey}\n` });
      case 'register':
        if (!params.uniqueId) return send(engineErrorPage(400, 'Unique id was not provided'));
        return send({ status: 200, body: 'OK\n' });
      default:
        return send(engineErrorPage(400, 'Invalid command'));
    }
  });
  const sockets = new Set<import('node:stream').Duplex>();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    address: `127.0.0.1:${port}`,
    pki,
    sshPublicKey,
    requests,
    get behaviour() { return state.behaviour; },
    set behaviour(b: StandinBehaviour) { state.behaviour = b; },
    received: (c) => requests.filter((r) => r.command === c),
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Remove the generated PKI directory (call from an after() hook if desired). */
export function removeStandinPki(): void {
  if (pkiCache) rmSync(pkiCache.dir, { recursive: true, force: true });
  pkiCache = undefined;
}

export interface HostRoot {
  /** Root prefix: enginePaths(root) points every file under it. */
  root: string;
  /** The DMI system UUID as the firmware reports it (upper case). */
  dmiUuid: string;
  /** This host's SSH host RSA public key line. */
  hostKey: string;
  /** Every regular file under the root with its content, for before/after comparisons. */
  snapshot: () => Record<string, string>;
  cleanup: () => void;
}

/** A host's files in a temp dir: passwd (root, alice), DMI UUID, SSH host keys; nothing of oVirt's yet. */
export function makeHostRoot(opts: { dmiUuid?: string; vdsmId?: string; passwd?: string } = {}): HostRoot {
  const root = mkdtempSync(join(tmpdir(), 'hostdeck-engine-root-'));
  const dmiUuid = opts.dmiUuid ?? '4C4C4544-0042-3510-8052-B4C04F4E3132';
  const hostKey = makeSshPublicKey('root@node1');
  const w = (rel: string, text: string, mode = 0o644) => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text, { mode });
  };
  w('etc/passwd', opts.passwd ?? 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\n');
  w('sys/class/dmi/id/product_uuid', `${dmiUuid}\n`, 0o400);
  w('etc/ssh/ssh_host_rsa_key.pub', `${hostKey}\n`);
  mkdirSync(join(root, 'root'), { recursive: true, mode: 0o700 });
  mkdirSync(join(root, 'home/alice'), { recursive: true, mode: 0o755 });
  if (opts.vdsmId) w('etc/vdsm/vdsm.id', opts.vdsmId);
  const snapshot = () => {
    const out: Record<string, string> = {};
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else out[p.slice(root.length)] = readFileSync(p, 'utf8');
      }
    };
    walk(root);
    return out;
  };
  return { root, dmiUuid, hostKey, snapshot, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
