// The log viewer's rules: what a source, unit, priority and line count may be,
// the journalctl arguments (every user value an option's value, so none can
// be read as an option of its own), a journal entry as a line, and the time
// and priority read from a file line as hostdeck, libvirt and QEMU write them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileLineFilter, linePriority, lineTime, parsePriority, parseSource, validateLogQuery } from '../../src/domain/logs.ts';
import { journalArgs, journalLine } from '../../src/host/logs/journal.ts';

describe('log query rules', () => {
  it('sources: journal, hostdeck, vm:NAME and names under /var/log; nothing that leaves it', () => {
    assert.deepEqual(parseSource('libvirt/libvirtd.log'), { kind: 'file', name: 'libvirt/libvirtd.log' });
    assert.deepEqual(parseSource('vm:web1'), { kind: 'vm', name: 'web1' });
    for (const bad of ['../shadow', 'a/../../etc/passwd', '/etc/passwd', '-n', 'vm:', 'vm:a/b', 'vm:-x', 'a//b', './x']) assert.equal(parseSource(bad), undefined, bad);
  });

  it('priorities by name or number; every bad field is named with its rule at once', () => {
    assert.deepEqual(['err', 'WARNING', '0', '7'].map(parsePriority), [3, 4, 0, 7]);
    const v = validateLogQuery({ unit: '-f', priority: 'loud', since: 'soon', grep: '[', lines: '0' }, Date.now());
    assert.equal(v.ok, false);
    assert.deepEqual(!v.ok && v.errors.map((e) => e.field), ['unit', 'priority', 'since', 'grep', 'lines']);
  });
});

describe('journalctl', () => {
  it('user values are option values (--unit=…), never words of their own', () => {
    const since = Date.parse('2026-12-07T10:00:00Z');
    assert.deepEqual(journalArgs({ unit: 'libvirtd.service', priority: 3, since, grep: /disk|net/i, lines: 20 }, true), [
      '--no-pager', '--quiet', '--output=json', '--lines=20', '--unit=libvirtd.service', '--priority=3', `--since=@${since / 1000}`, '--grep=disk|net', '--case-sensitive=false', '--follow',
    ]);
  });

  it('an entry becomes "TIME IDENT[PID]: MESSAGE", a message given as bytes decoded', () => {
    const e = { __REALTIME_TIMESTAMP: '1796637600000000', SYSLOG_IDENTIFIER: 'libvirtd', _PID: '812', PRIORITY: '3', MESSAGE: [...Buffer.from('café down')] };
    assert.deepEqual(journalLine(JSON.stringify(e)), { time: 1796637600000, priority: 3, text: `${new Date(1796637600000).toISOString()} libvirtd[812]: café down` });
    assert.equal(journalLine('not json'), undefined);
  });
});

describe('file lines', () => {
  it('times as hostdeck, libvirt and QEMU write them; none on a continued line', () => {
    assert.equal(lineTime('2026-12-07T14:41:34.888Z storage: ran'), Date.parse('2026-12-07T14:41:34.888Z'));
    assert.equal(lineTime('2026-12-07 14:28:55.239+0000: shutting down'), Date.parse('2026-12-07T14:28:55.239Z'));
    assert.equal(lineTime('2026-12-07T14:28:53.836710Z qemu-system-x86_64: terminating'), Date.parse('2026-12-07T14:28:53.836Z'));
    assert.equal(lineTime('-msg timestamp=on'), undefined);
  });

  it('priority from the level word near the start; none is info; the filter keeps the severe ones', () => {
    assert.deepEqual(['2026-12-07 10:00:00.000+0000: 812: error : virNetSocket', 'x warning : y', 'plain line'].map(linePriority), [3, 4, 6]);
    const keep = fileLineFilter({ priority: 4 })!;
    assert.deepEqual(['a error : b', 'a warning : b', 'a info : b', 'plain'].map(keep), [true, true, false, false]);
  });
});
