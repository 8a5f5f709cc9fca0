// The host monitor's process list rules: /proc/PID/stat parsed (a name with
// spaces and parentheses), top's CPU %, and a VM's QEMU named after its VM.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpuPercent, isQemu, parseCmdline, parsePasswd, parseProcStat, processCommand, qemuGuestName, topProcesses, type ProcessRow } from '../../src/domain/processes.ts';

describe('process list rules', () => {
  it('reads utime+stime, start time and RSS after a name holding spaces and parentheses', () => {
    // Fields after the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) cutime cstime priority nice threads itreal starttime(22) vsize rss(24)
    const st = parseProcStat('4242 (my (odd) prog) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 987654 1000000 2048 18446744073709551615 0 0');
    assert.deepEqual(st, { comm: 'my (odd) prog', ticks: 300, start: 987654, rssPages: 2048 });
    assert.equal(parseProcStat('garbage'), undefined);
  });

  it('CPU % is of one core over the time between two samples, none for a first sample', () => {
    assert.equal(cpuPercent(100, 150, 1), 50);
    assert.equal(cpuPercent(100, 300, 1), 200, 'two busy cores');
    assert.equal(cpuPercent(undefined, 300, 1), 0);
    assert.equal(cpuPercent(300, 100, 1), 0, 'a reused PID does not go negative');
  });

  it("names a QEMU after its VM from libvirt's -name guest=NAME (a doubled comma is the name's)", () => {
    const argv = parseCmdline('/usr/bin/qemu-system-x86_64\0-name\0guest=web,,1,debug-threads=on\0-S\0');
    assert.equal(qemuGuestName(argv), 'web,1');
    assert.equal(qemuGuestName(['qemu-kvm', '-name', 'db2', '-m', '1024']), 'db2', 'older libvirt: -name NAME');
    assert.equal(qemuGuestName(['qemu-system-x86_64', '-m', '1024']), undefined);
    assert.ok(isQemu('qemu-system-x86') && isQemu('qemu-kvm') && isQemu('kvm') && !isQemu('kvmd') && !isQemu('node') && !isQemu('qemu-img'));
    assert.ok(isQemu('MainThread', ['/usr/bin/qemu-system-aarch64', '-name', 'x']), 'a renamed main thread: the program name says it');
    assert.equal(processCommand('qemu-system-x86', argv, 'web,1'), 'qemu: web,1');
  });

  it('shows a command by its program base name, a kernel thread by its name in brackets', () => {
    assert.equal(processCommand('libvirtd', ['/usr/sbin/libvirtd', '--timeout', '120']), 'libvirtd --timeout 120');
    assert.equal(processCommand('kworker/0:1', []), '[kworker/0:1]');
    assert.equal(processCommand('npm exec', ['npm exec tsc      ']), 'npm exec tsc');
  });

  it('orders the busiest and the largest, and counts every process', () => {
    const row = (pid: number, cpu: number, rss: number): ProcessRow => ({ pid, user: 'root', cpuPercent: cpu, rssBytes: rss, command: String(pid) });
    const t = topProcesses([row(1, 5, 100), row(2, 50, 10), row(3, 0, 1000), row(4, 50, 20)], 2);
    assert.deepEqual(t.byCpu.map((r) => r.pid), [4, 2]);
    assert.deepEqual(t.byMemory.map((r) => r.pid), [3, 1]);
    assert.equal(t.total, 4);
    assert.deepEqual([...parsePasswd('root:x:0:0:root:/root:/bin/bash\nlibvirt-qemu:x:64055:108::/var/lib/libvirt:/usr/sbin/nologin\n').entries()], [[0, 'root'], [64055, 'libvirt-qemu']]);
  });
});
