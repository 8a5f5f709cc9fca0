// The connection's long-running read-write virsh for pool, volume and
// network commands, on the test driver (one process keeps one copy of the
// fixture, so what a command made the next one sees): its tables read as
// those of a virsh started per command, a thin overlay volume made over it
// is listed at once with its backing image and compat 1.1, and while it
// waits for no command it does not keep the process alive (a CLI ends).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VirshSession } from '../../src/virt/virsh-session.ts';
import { virsh as virshOnce, virshArgs } from '../../src/virt/virsh.ts';
import { parsePoolList, parseVolList } from '../../src/virt/storage.ts';
import { volumeCreateOverlay } from '../../src/virt/pools.ts';
import { parseXml, textOf } from '../../src/virt/xml/xml.ts';

const URI = 'test:///default';
/** Handles that keep this process alive because of a child process. */
const childHandles = () => process.getActiveResourcesInfo().filter((r) => r === 'ProcessWrap' || r === 'PipeWrap').length;

describe('virsh session for storage commands (test driver)', () => {
  it('reads pool and volume tables as a virsh per command does, makes an overlay volume listed at once, and does not hold the process while idle', async () => {
    const held = childHandles();
    const s = new VirshSession(URI, { readOnly: false, headers: true });
    try {
      const pools = parsePoolList(await s.command(virshArgs('pool-list', {}, ['--all', '--details'])));
      assert.equal(childHandles(), held, 'an idle session holds no handle');
      assert.deepEqual(pools.map((p) => [p.name, p.state]), [['default-pool', 'running']]);
      assert.deepEqual(pools, parsePoolList(await virshOnce(URI, virshArgs('pool-list', {}, ['--all', '--details']))));

      const run = (args: Parameters<typeof s.command>[0]) => s.command(args);
      await volumeCreateOverlay(run, 'default-pool', 'thin-1.qcow2', { path: '/default-pool/base.img', format: 'raw', sizeBytes: 1048576 });
      const vols = parseVolList(await s.command(virshArgs('vol-list', { pool: 'default-pool' }, ['--details'])));
      assert.deepEqual(vols.map((v) => v.name), ['thin-1.qcow2']);
      const xml = parseXml(await s.command(virshArgs('vol-dumpxml', { pool: 'default-pool', vol: 'thin-1.qcow2' })));
      assert.equal(textOf(xml, 'backingStore/path'), '/default-pool/base.img');
      assert.equal(textOf(xml, 'target/compat'), '1.1');
      assert.equal(textOf(xml, 'capacity'), '1048576');
      assert.equal(s.starts, 1, 'one virsh answered every command');
    } finally {
      s.close();
    }
  });
});
