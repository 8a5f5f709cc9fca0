// The sampler's virsh writes its standard output into a file; each command's
// text is cut out of it between virsh's prompt with the echoed command line
// and the echoed `echo --err <marker>` line (recorded from virsh 9.0 on the
// test driver). The prompt may be missing where the file was emptied while
// virsh wrote it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cutCommandOutput } from '../../src/virt/virsh-session.ts';
import { parseDomstats } from '../../src/virt/stats.ts';

const body = "Domain: 'vm-0438'\n  state.state=3\n  state.reason=0\n\nDomain: 'vm-0995'\n  state.state=1\n  state.reason=0\n\n";
const a = { line: 'domstats --nowait', marker: '@@hostdeck-7-1@@' };
const b = { line: 'dominfo vm-0995', marker: '@@hostdeck-7-2@@' };

describe('virsh session output file', () => {
  it('cuts two queued commands apart and leaves the next prompt for later', () => {
    const second = 'Name:           vm-0995\nState:          running\n\n';
    const out = Buffer.from(`virsh # ${a.line}\n${body}virsh # echo --err ${a.marker}-err\nvirsh # ${b.line}\n${second}virsh # echo --err ${b.marker}-err\nvirsh # `);
    const first = cutCommandOutput(out, 0, a);
    assert.equal(first.text, body);
    assert.deepEqual(parseDomstats(first.text).map((d) => [d.name, d.state]), [['vm-0438', 'paused'], ['vm-0995', 'running']]);
    const next = cutCommandOutput(out, first.next, b);
    assert.equal(next.text, second);
    assert.equal(out.toString('utf8', next.next), 'virsh # ', 'the prompt of the command not sent yet stays unread');
  });

  it('a missing prompt (file emptied while virsh wrote it) and an empty answer', () => {
    const out = Buffer.from(`${a.line}\nvirsh # echo --err ${a.marker}-err\n`);
    const r = cutCommandOutput(out, 0, a);
    assert.equal(r.text, '');
    assert.equal(r.next, out.length);
    const withBody = cutCommandOutput(Buffer.from(`${a.line}\n${body}virsh # echo --err ${a.marker}-err\n`), 0, a);
    assert.equal(withBody.text, body);
  });

  it('non-ASCII names survive (bytes are decoded once per command)', () => {
    const named = "Domain: 'prüf-vm'\n  state.state=1\n  state.reason=0\n\n";
    const r = cutCommandOutput(Buffer.from(`virsh # ${a.line}\n${named}virsh # echo --err ${a.marker}-err\n`), 0, a);
    assert.equal(parseDomstats(r.text)[0]?.name, 'prüf-vm');
  });
});
