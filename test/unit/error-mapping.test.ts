// Every error the core throws falls in one of the categories each front end
// maps once: the CLI's exit status and the console's notice level read only
// the category, so a storage "busy", an engine "untrusted" and libvirt's own
// "not found" all get the same treatment as the core's own errors. The
// libvirt cases run against libvirt's test driver (test:///default).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { categoryOf, fieldErrorsOf, ForbiddenError, InvalidInputError, NotFoundError, WrongStateError, type ErrorCategory } from '../../src/domain/errors.ts';
import { ConnectionInputError, DomainError, DomainInputError, StorageError } from '../../src/host/storage/errors.ts';
import { EngineError, EngineInputError } from '../../src/host/engine/errors.ts';
import { NetValidationError } from '../../src/domain/net/validate.ts';
import { VirshError, virsh, virshArgs } from '../../src/virt/virsh.ts';
import { VirtConnection } from '../../src/virt/connection.ts';
import { exitCodeOf, toCommandError } from '../../src/cli/errors.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { VmInputError } from '../../src/core/vms.ts';

const field = { field: 'name', message: 'name: must not start with "-"' };

const CASES: { what: string; error: Error; category: ErrorCategory; exit: number }[] = [
  { what: 'core input', error: new InvalidInputError([field]), category: 'invalid', exit: 2 },
  { what: 'VM input', error: new VmInputError([field]), category: 'invalid', exit: 2 },
  { what: 'storage connection input', error: new ConnectionInputError([field]), category: 'invalid', exit: 2 },
  { what: 'storage domain input', error: new DomainInputError([field]), category: 'invalid', exit: 2 },
  { what: 'engine input', error: new EngineInputError([field]), category: 'invalid', exit: 2 },
  { what: 'network input', error: new NetValidationError([{ field: 'bond', message: 'needs two ports' }]), category: 'invalid', exit: 2 },
  { what: 'storage code invalid', error: new StorageError('invalid', 'portal: not an address'), category: 'invalid', exit: 2 },
  { what: 'not found', error: new NotFoundError('no VM named x'), category: 'not-found', exit: 2 },
  { what: 'storage connection missing', error: new StorageError('not-found', 'no storage connection nfs9'), category: 'not-found', exit: 2 },
  { what: 'storage domain missing', error: new DomainError('not-found', 'no storage domain d9'), category: 'not-found', exit: 2 },
  { what: 'wrong state', error: new WrongStateError('vm1 must be shut off'), category: 'state', exit: 1 },
  { what: 'storage busy', error: new StorageError('busy', '/mnt is busy'), category: 'state', exit: 1 },
  { what: 'storage exists', error: new StorageError('exists', 'exists already'), category: 'state', exit: 1 },
  { what: 'storage domain in use', error: new DomainError('in-use', 'used by vm1'), category: 'state', exit: 1 },
  { what: 'storage domain not connected', error: new DomainError('connection', 'not connected: connect it first'), category: 'state', exit: 1 },
  { what: 'engine already registered', error: new EngineError('state', 'already registered'), category: 'state', exit: 1 },
  { what: 'forbidden', error: new ForbiddenError('read-only mode: nothing may change'), category: 'forbidden', exit: 1 },
  { what: 'storage unreachable', error: new StorageError('unreachable', 'cannot reach the portal'), category: 'failed', exit: 1 },
  { what: 'engine certificate', error: new EngineError('tls', 'certificate mismatch'), category: 'failed', exit: 1 },
  { what: 'plain error', error: new Error('disk full'), category: 'failed', exit: 1 },
];

describe('one error hierarchy, mapped once per front end', () => {
  for (const c of CASES) {
    it(`${c.what}: category ${c.category}, CLI exit ${c.exit}`, () => {
      assert.equal(categoryOf(c.error), c.category);
      assert.equal(exitCodeOf(c.error), c.exit);
    });
  }

  it('the CLI prints one line per field error of any service, named by its option', () => {
    for (const e of [new VmInputError([field]), new ConnectionInputError([field]), new EngineInputError([field]), new DomainInputError([field])]) {
      const ce = toCommandError(e, (f) => `--${f.field}: ${f.message.replace(/^name: /, '')}`);
      assert.deepEqual(ce.lines, ['--name: must not start with "-"'], e.name);
      assert.equal(ce.code, 2);
    }
  });

  it('a form gets the field errors of any service input error, and none from other errors', () => {
    assert.deepEqual(fieldErrorsOf(new ConnectionInputError([field])), [field]);
    assert.deepEqual(fieldErrorsOf(new EngineInputError([field])), [field]);
    assert.equal(fieldErrorsOf(new StorageError('busy', 'busy')), undefined);
    assert.equal(fieldErrorsOf(new Error('x')), undefined);
  });

  it('the console shows a policy refusal as a warning and every other failure as an error, saying what was not done', () => {
    assert.deepEqual(errorNotice(new ForbiddenError('read-only mode'), 'Not staged'), ['warning', 'Not staged: read-only mode']);
    assert.deepEqual(errorNotice(new StorageError('busy', '/mnt is busy'), 'Not disconnected'), ['error', 'Not disconnected: /mnt is busy']);
    assert.deepEqual(errorNotice('gone'), ['error', 'gone']);
  });
});

describe('libvirt failures carry their category from libvirt itself (test driver)', () => {
  const conn = new VirtConnection('test:///default');
  after(() => conn.close());

  it('a domain libvirt does not have is not-found through the binding (CLI exit 2)', async () => {
    await assert.rejects(conn.domainGet('no-such-vm'), (e: unknown) => categoryOf(e) === 'not-found' && exitCodeOf(e) === 2);
  });

  it('virsh naming a pool libvirt does not have is not-found', async () => {
    await assert.rejects(virsh('test:///default', virshArgs('pool-info', { pool: 'no-such-pool' })), (e: unknown) => e instanceof VirshError && categoryOf(e) === 'not-found');
  });

  it('starting a running network is a wrong state, not a failure of the host', async () => {
    await assert.rejects(virsh('test:///default', virshArgs('net-start', { network: 'default' })), (e: unknown) => e instanceof VirshError && categoryOf(e) === 'state' && /already running/.test(e.message));
  });

  it('starting a running domain through the binding is a wrong state', async () => {
    await assert.rejects(conn.domainStart('test'), (e: unknown) => categoryOf(e) === 'state' && exitCodeOf(e) === 1);
  });

  it('a failure libvirt names nothing about stays a plain failure (CLI exit 1)', async () => {
    await assert.rejects(virsh('test:///default', virshArgs('pool-define-as', { name: 'bad', type: 'no-such-type' })), (e: unknown) => categoryOf(e) === 'failed' && exitCodeOf(e) === 1);
  });
});
