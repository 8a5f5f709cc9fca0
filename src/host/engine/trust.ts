// The engine CA: what get-pki-trust returned, its fingerprint and subject as
// the operator compares them, and the approval check (an engine-signed VDSM
// certificate under /etc/pki/vdsm/certs, as cockpit-ovirt looks for it).
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from './errors.ts';

export interface CaInfo {
  /** The first certificate of the answer, as PEM (what is stored). */
  pem: string;
  /** SHA-1 over the DER bytes, colon-separated upper-case hex. */
  fingerprint: string;
  /** Subject as one line, e.g. "C=US, O=example.com, CN=engine.example.com.12345". */
  subject: string;
  issuer: string;
  validTo: string;
  isCa: boolean;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

function oneLine(dn: string): string {
  return dn.split('\n').map((s) => s.trim()).filter(Boolean).join(', ');
}

/** Parse the answer of get-pki-trust; anything but a PEM certificate is a protocol error. */
export function parseCa(text: string): CaInfo {
  const m = PEM_CERT.exec(text);
  if (!m) throw new EngineError('protocol', 'get-pki-trust did not return a PEM certificate; is this an oVirt engine?');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(m[0]);
  } catch (e) {
    throw new EngineError('protocol', `get-pki-trust returned a certificate that cannot be read: ${(e as Error).message}`);
  }
  return { pem: `${m[0]}\n`, fingerprint: cert.fingerprint, subject: oneLine(cert.subject), issuer: oneLine(cert.issuer), validTo: cert.validTo, isCa: cert.ca };
}

/** Fingerprint of a stored CA file, or undefined when absent or unreadable. */
export function readCa(file: string): CaInfo | undefined {
  try {
    return parseCa(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export type CertificateState = 'absent' | 'signed-by-engine' | 'other-issuer' | 'unreadable';

/**
 * Whether the engine has deployed this host: its VDSM certificate exists and
 * is signed by the engine CA (host deploy runs only after the administrator
 * approved the host).
 */
export function vdsmCertificateState(vdsmCertsDir: string, caPem: string | undefined): CertificateState {
  let text: string;
  try {
    text = readFileSync(join(vdsmCertsDir, 'vdsmcert.pem'), 'utf8');
  } catch {
    return 'absent';
  }
  try {
    const cert = new X509Certificate(text);
    if (!caPem) return 'other-issuer';
    const ca = new X509Certificate(caPem);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey) ? 'signed-by-engine' : 'other-issuer';
  } catch {
    return 'unreadable';
  }
}
