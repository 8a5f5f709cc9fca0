// Which URI opens libvirt read-only through the binding (the daemon's
// read-only socket), and which URIs are refused rather than opened read-write.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readOnlyUri } from '../../src/virt/read-only-uri.ts';

const RUN = '/run/libvirt';
const only = (...paths: string[]) => (p: string) => paths.includes(p);

describe('readOnlyUri', () => {
  test('the local system daemon is reached on its read-only socket, the modular daemon\'s where it runs', () => {
    assert.deepEqual(readOnlyUri('qemu:///system', RUN, only('/run/libvirt/libvirt-sock-ro')), { uri: 'qemu+unix:///system?socket=/run/libvirt/libvirt-sock-ro' });
    assert.deepEqual(readOnlyUri('qemu+unix:///system', RUN, only('/run/libvirt/virtqemud-sock-ro', '/run/libvirt/libvirt-sock-ro')), { uri: 'qemu+unix:///system?socket=/run/libvirt/virtqemud-sock-ro' });
  });

  test('other parameters are kept; a socket of the URI\'s own is replaced by the read-only one', () => {
    assert.deepEqual(readOnlyUri('qemu:///system?socket=/run/libvirt/libvirt-sock&mode=legacy', RUN, only('/run/libvirt/libvirt-sock-ro')), { uri: 'qemu+unix:///system?mode=legacy&socket=/run/libvirt/libvirt-sock-ro' });
  });

  test('the in-process test driver is opened as it is', () => {
    assert.deepEqual(readOnlyUri('test:///default', RUN, only()), { uri: 'test:///default' });
  });

  test('URIs without a local read-only socket are refused with the reason, never opened read-write', () => {
    const refused = (uri: string, why: RegExp) => {
      const r = readOnlyUri(uri, RUN, only('/run/libvirt/libvirt-sock-ro'));
      assert.ok('error' in r, uri);
      assert.match(r.error, why, uri);
      assert.match(r.error, /registered with an engine/, uri);
    };
    refused('qemu+ssh://root@node2/system', /only a local libvirtd/);
    refused('qemu+tcp://node2/system', /only a local libvirtd/);
    refused('qemu:///session', /only the system daemon/);
    assert.match((readOnlyUri('qemu:///system', RUN, only()) as { error: string }).error, /no read-only socket in \/run\/libvirt/);
  });
});
