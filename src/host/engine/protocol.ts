// Client of the oVirt engine's host-register service, protocol version 1
// (the engine's RegisterServlet; vdsm-tool register is the reference
// client). Every request is a GET to
//   https://ENGINE[:PORT]/ovirt-engine/services/host-register?version=1&command=...
// get-version and get-pki-trust run before any trust exists, so their TLS is
// not verified; every later request validates the engine's certificate
// against the CA the operator accepted.
import https from 'node:https';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { EngineError, humanizeNetworkError } from './errors.ts';

export const REGISTER_PATH = '/ovirt-engine/services/host-register';
export const PROTOCOL_VERSION = '1';
const MAX_BODY = 1024 * 1024;

export interface HostRegisterClientOptions {
  host: string;
  port: number;
  /** Milliseconds for each request (connect to end of body). */
  timeoutMs?: number;
  /** Name resolution (tests); node's default otherwise. */
  lookup?: LookupFunction;
}

/** The register command's parameters, named as the engine reads them. */
export interface RegisterParams {
  name: string;
  address: string;
  uniqueId: string;
  sshUser: string;
  sshPort: number;
  vdsPort: number;
  /** The host's own SSH host key fingerprint (OpenSSH SHA256:... form); omitted when unknown. */
  sshKeyFingerprint?: string;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** Text of an error page: the engine answers errors with its servlet container's HTML page around the message. */
export function errorText(a: HttpAnswer): string {
  let t = a.body;
  if (/html/i.test(a.contentType) || /^\s*<(!doctype|html)/i.test(t)) {
    const m = /<body[^>]*>([\s\S]*)<\/body>/i.exec(t);
    t = (m ? m[1]! : t).replace(/<(script|style)[\s\S]*?<\/\1>/gi, '').replace(/<[^>]+>/g, ' ')
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  }
  return t.replace(/\s+/g, ' ').trim();
}

export class HostRegisterClient {
  readonly timeoutMs: number;

  constructor(private readonly opts: HostRegisterClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 20_000;
  }

  /** The URL of one command (what is requested, for logs and messages). */
  url(command: string, params: Record<string, string> = {}): string {
    const q = new URLSearchParams({ version: PROTOCOL_VERSION, command, ...params });
    const h = isIP(this.opts.host) === 6 ? `[${this.opts.host}]` : this.opts.host;
    return `https://${h}:${this.opts.port}${REGISTER_PATH}?${q.toString()}`;
  }

  /** One GET. `ca` given: the server certificate must chain to it and match the host name. */
  request(command: string, params: Record<string, string> = {}, ca?: string): Promise<HttpAnswer> {
    const q = new URLSearchParams({ version: PROTOCOL_VERSION, command, ...params });
    const target = { host: this.opts.host, port: this.opts.port, verified: ca !== undefined };
    return new Promise<HttpAnswer>((resolve, reject) => {
      let settled = false;
      const fail = (e: EngineError) => { if (!settled) { settled = true; reject(e); } };
      const req = https.request({
        host: this.opts.host,
        port: this.opts.port,
        path: `${REGISTER_PATH}?${q.toString()}`,
        method: 'GET',
        headers: { Accept: 'text/plain, */*' },
        agent: false,
        servername: isIP(this.opts.host) ? undefined : this.opts.host,
        rejectUnauthorized: ca !== undefined,
        ca: ca !== undefined ? [ca] : undefined,
        lookup: this.opts.lookup,
      }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) { req.destroy(); fail(new EngineError('protocol', `${command}: the answer is larger than ${MAX_BODY} bytes; is this an oVirt engine?`)); return; }
          chunks.push(c);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (e: NodeJS.ErrnoException) => fail(humanizeNetworkError(e, target)));
      });
      req.setTimeout(this.timeoutMs, () => {
        const h = target.host.includes(':') ? `[${target.host}]` : target.host;
        fail(new EngineError('timeout', `${h}:${target.port}: no answer within ${this.timeoutMs < 1000 ? `${this.timeoutMs} ms` : `${Math.round(this.timeoutMs / 1000)} s`} (${command}); check that the engine is up and that no firewall drops the traffic`));
        req.destroy();
      });
      req.on('error', (e: NodeJS.ErrnoException) => fail(humanizeNetworkError(e, target)));
      req.end();
    });
  }

  /** A command that must answer 200; other statuses become an EngineError carrying the engine's text. */
  async command(command: string, params: Record<string, string> = {}, ca?: string): Promise<string> {
    const a = await this.request(command, params, ca);
    if (a.status === 200) return a.body;
    const text = errorText(a);
    if (a.status === 400) throw new EngineError('http', text ? `the engine refused ${command}: ${text}` : `the engine refused ${command} (HTTP 400 without a message)`, 400);
    if (a.status === 404) throw new EngineError('http', `HTTP 404 for ${REGISTER_PATH}: no oVirt host-register service at this address; is this an oVirt engine?`, 404);
    throw new EngineError('http', `the engine answered ${command} with HTTP ${a.status}${text ? `: ${text}` : ''}`, a.status);
  }

  /** get-version: the newest protocol version the engine speaks. */
  async getVersion(): Promise<string> {
    return (await this.command('get-version')).trim();
  }

  /** get-pki-trust: the engine CA as PEM (no verification is possible yet). */
  async getPkiTrust(): Promise<string> {
    return this.command('get-pki-trust');
  }

  /** get-ssh-trust: the engine's OpenSSH public key, over TLS verified against `ca`. */
  async getSshTrust(ca: string): Promise<string> {
    return (await this.command('get-ssh-trust', {}, ca)).trim();
  }

  /** register: answers OK; the host is then pending approval on the engine. */
  async register(p: RegisterParams, ca: string): Promise<string> {
    const params: Record<string, string> = {
      name: p.name,
      address: p.address,
      uniqueId: p.uniqueId,
      sshUser: p.sshUser,
      sshPort: String(p.sshPort),
      vdsPort: String(p.vdsPort),
    };
    if (p.sshKeyFingerprint) params.sshKeyFingerprint = p.sshKeyFingerprint;
    return (await this.command('register', params, ca)).trim();
  }
}
