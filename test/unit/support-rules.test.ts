// The support bundle's pure rules: which text is a secret (and which only
// looks like one), the inputs --output and --max-size, and how the size
// limit shares the room among the parts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isSecretKey, redactText } from '../../src/domain/redact.ts';
import { DEFAULT_BUNDLE_MAX_BYTES, validateBundleInput } from '../../src/domain/support.ts';
import { capFor } from '../../src/host/support/fit.ts';

const redact = (s: string) => redactText(s).text;

describe('redaction of the secrets a bundle could carry', () => {
  const cases: [string, string, string][] = [
    ['environment line', 'HOSTDECK_API_TOKEN=tok-s3cret FOO=bar', 'HOSTDECK_API_TOKEN=[REDACTED] FOO=bar'],
    ['iscsid.conf CHAP secret', 'node.session.auth.password = chapS3cretValue', 'node.session.auth.password = [REDACTED]'],
    ['JSON key', '{"chap_secret":"x1y2z3","name":"lun0"}', '{"chap_secret":"[REDACTED]","name":"lun0"}'],
    ['VNC passwd attribute', "<graphics type='vnc' port='5900' passwd='vncPW1' listen='0.0.0.0'/>", "<graphics type='vnc' port='5900' passwd='[REDACTED]' listen='0.0.0.0'/>"],
    ['SPICE passwd attribute', '<graphics type="spice" passwd="sp1ce" autoport="yes"/>', '<graphics type="spice" passwd="[REDACTED]" autoport="yes"/>'],
    ['nslcd bind password', 'bindpw ldapBindS3cret', 'bindpw [REDACTED]'],
    ['sssd bind password', 'ldap_default_authtok = s3cret', 'ldap_default_authtok = [REDACTED]'],
    ['option with its value', 'tool --password pw9 --name a', 'tool --password [REDACTED] --name a'],
    ['bearer token', 'Authorization: Bearer abcdefgh12345', 'Authorization: Bearer [REDACTED]'],
    ['QEMU secret object', '-object {"qom-type":"secret","id":"vnc0","data":"Zm9vYmFy","keyid":"masterKey0"}', '-object {"qom-type":"secret","id":"vnc0","data":"[REDACTED]","keyid":"masterKey0"}'],
  ];
  for (const [what, input, want] of cases) it(what, () => assert.equal(redact(input), want));

  it('a PEM private key keeps its armour lines and loses its body, the text around it stays', () => {
    const pem = 'before\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\nafter\n';
    assert.equal(redact(pem), 'before\n-----BEGIN OPENSSH PRIVATE KEY-----\n[REDACTED]\n-----END OPENSSH PRIVATE KEY-----\nafter\n');
  });

  it('a PEM block cut by the size limit (no END line) loses everything after BEGIN', () => {
    assert.equal(redact('x\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nMIIEpA'), 'x\n-----BEGIN RSA PRIVATE KEY-----\n[REDACTED]\n-----END RSA PRIVATE KEY-----');
  });

  it('leaves what only looks like a secret: lscpu and dmesg lines, certificates, a password prompt', () => {
    const text = [
      'Vulnerability Spec store bypass:         Vulnerable',
      '[    0.193372] Speculative Store Bypass: Vulnerable',
      "<cpu mode='host-passthrough'/>",
      'MPTCP token hash table entries: 32768',
      'Accepted password for root from 192.0.2.1 port 22 ssh2',
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    ].join('\n');
    assert.deepEqual(redactText(text), { text, count: 0 });
  });

  it('a secret with an option-like piece inside (-token-) does not take the next line with it', () => {
    assert.equal(redact('call Authorization: Bearer abc-token-44d1xyz\nldap config: bindpw s3\nnext: line'), 'call Authorization: Bearer [REDACTED]\nldap config: bindpw [REDACTED]\nnext: line');
    assert.equal(redact('password:\nthe next line'), 'password:\nthe next line');
  });

  it('counts what it replaced', () => {
    assert.equal(redactText('password=a\nsecret: b\nname=c').count, 2);
  });

  it('names of secrets: settings keys and columns', () => {
    for (const k of ['ldap.bind_password', 'chap_secret_sealed', 'api_token', 'bindpw', 'db_pass']) assert.equal(isSecretKey(k), true, k);
    for (const k of ['ldap.bind_dn', 'bypass', 'name', 'passthrough']) assert.equal(isSecretKey(k), false, k);
  });
});

describe('support bundle input', () => {
  it('defaults: no output (the core picks one), 50 MiB', () => {
    assert.deepEqual(validateBundleInput({}), { ok: true, value: { maxBytes: DEFAULT_BUNDLE_MAX_BYTES } });
  });

  it('takes an absolute .tar.gz path and a size in binary units', () => {
    assert.deepEqual(validateBundleInput({ output: '/var/tmp/b.tar.gz', maxSize: '200M' }), { ok: true, value: { output: '/var/tmp/b.tar.gz', maxBytes: 200 * 1024 ** 2 } });
    assert.deepEqual(validateBundleInput({ output: '/srv/x.tgz', maxSize: '1GiB' }), { ok: true, value: { output: '/srv/x.tgz', maxBytes: 1024 ** 3 } });
  });

  const refused: [string, { output?: string; maxSize?: string }, string][] = [
    ['a relative output', { output: 'b.tar.gz' }, 'output'],
    ['an output without .tar.gz', { output: '/var/tmp/b.zip' }, 'output'],
    ['an output naming a directory', { output: '/var/tmp/' }, 'output'],
    ['an output with a newline', { output: '/var/tmp/a\nb.tar.gz' }, 'output'],
    ['a size that is no size', { maxSize: 'lots' }, 'max-size'],
    ['a size under 1 MiB', { maxSize: '512K' }, 'max-size'],
    ['a size over 4 GiB', { maxSize: '5G' }, 'max-size'],
  ];
  for (const [what, input, field] of refused) {
    it(`refuses ${what}, naming ${field} and the rule`, () => {
      const v = validateBundleInput(input);
      assert.equal(v.ok, false);
      if (v.ok) return;
      assert.deepEqual(v.errors.map((e) => e.field), [field]);
      assert.match(v.errors[0]!.message, new RegExp(`^${field}: must be`));
    });
  }
});

describe('the size limit cuts the largest parts to one cap', () => {
  it('nothing to cut when the parts fit', () => assert.equal(capFor([10, 20, 30], 60), undefined));
  it('the small parts stay whole, the large share what is left', () => {
    const sizes = [10, 20, 1000, 5000];
    const cap = capFor(sizes, 530)!;
    assert.equal(cap, 250);
    assert.equal(sizes.reduce((s, n) => s + Math.min(n, cap), 0), 530);
  });
  it('no room: every part is cut to nothing', () => assert.equal(capFor([5, 6], 0), 0));
});
