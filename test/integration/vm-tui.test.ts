// The built console in a real pseudo-terminal (tmux) against the real
// libvirtd: a VM created with the wizard, started, forced off and deleted
// with its disk through keys alone; libvirt's own view checked after each.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ROOT, Terminal } from '../lib/tty.ts';
import { guestImage, waitForSerial } from '../lib/guest.ts';
import { domstate, makePool, poolVolumes, removeDomains, removePool, virsh, virshTry, LC_PREFIX, libvirtReady } from '../lib/lifecycle.ts';

const run = `${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const NAME = `${LC_PREFIX}tui-${run}`;
const POOL = `${LC_PREFIX}tuipool-${run}`;
const ISO = 'install.iso';

async function waitState(name: string, want: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await domstate(name)) !== want) {
    if (Date.now() > until) throw new Error(`${name} is ${await domstate(name)}, not ${want}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('VM lifecycle through the console keys', () => {
  let term: Terminal;
  before(async () => {
    assert.equal(process.getuid?.(), 0, 'the integration tier runs as root');
    const b = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
    assert.equal(b.status, 0, 'build failed');
    for (let i = 0; i < 30 && (await virshTry('uri')).code !== 0; i++) {
      spawnSync(join(ROOT, 'scripts/libvirt-up'), { stdio: 'inherit' });
      await new Promise((r) => setTimeout(r, 1000));
    }
    await guestImage();
    await makePool(POOL);
    // An ISO volume in the pool, for the wizard's ISO choices.
    const iso = Buffer.alloc(32769 + 2048);
    iso.write('CD001', 32769, 'latin1');
    writeFileSync(`/var/lib/${POOL}/${ISO}`, iso);
    await virsh('pool-refresh', POOL);
    term = Terminal.start({ columns: 120, rows: 40, env: { LIBVIRT_DEFAULT_URI: 'qemu:///system' } });
  });
  after(async () => {
    await libvirtReady(ROOT); // the cleanup needs the daemon, even if another test stopped it meanwhile
    term?.close();
    await removeDomains(NAME);
    await removePool(POOL);
  });

  /** Focus the field labelled `label` (moving down), then type into it. */
  async function setText(label: string, text: string) {
    await focus(label);
    await term.waitFor('Edit field');
    term.press('Enter');
    // Editing once the key bar has dropped the form's own keys.
    await term.waitFor((sc) => !sc.includes('Edit field'));
    term.press('C-u');
    term.type(text);
    term.press('Enter');
    await term.waitFor(new RegExp(`› ${label}\\s+${text.slice(0, 30).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    await term.waitFor('Edit field'); // committed: the form's own keys are back
  }
  /** The label of the focused field (› marks it). */
  const focusedLabel = (sc: string) => /^\s*› (\S.*?)\s{2,}/m.exec(sc)?.[1];
  /** Move down (one key at a time, each seen on screen) until `label` has the focus. */
  async function focus(label: string) {
    for (let i = 0; i < 14; i++) {
      const sc = term.screen();
      if (new RegExp(`^\\s*› ${label}\\b`, 'm').test(sc)) return;
      const cur = focusedLabel(sc);
      term.press('Down');
      await term.waitFor((x) => focusedLabel(x) !== cur, 5000);
    }
    await term.waitFor(`› ${label}`, 2000);
  }
  async function choose(label: string, value: string) {
    await focus(label);
    for (let i = 0; i < 40; i++) {
      const sc = term.screen();
      if (new RegExp(`› ${label}\\s+‹ ${value} ›`).test(sc)) return;
      const was = /‹ (.*?) ›/.exec(sc.split('\n').find((l) => l.includes(`› ${label}`)) ?? '')?.[1];
      term.press('Right');
      await term.waitFor((x) => /‹ (.*?) ›/.exec(x.split('\n').find((l) => l.includes(`› ${label}`)) ?? '')?.[1] !== was, 5000);
    }
    await term.waitFor(new RegExp(`› ${label}\\s+‹ ${value} ›`), 2000);
  }

  it('creates and starts a VM with the wizard, forces it off and deletes it with its disk', async () => {
    const img = await guestImage();
    await term.ready(20_000);
    term.press('v');
    await term.waitFor(/n New VM/);
    // A VM defined outside hostdeck (virsh) shows up in the list on its own.
    const outside = `${NAME}-virsh`;
    const xml = join(tmpdir(), `${outside}.xml`);
    writeFileSync(xml, `<domain type='qemu'><name>${outside}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>`);
    try {
      assert.equal((await virshTry('define', xml)).code, 0);
    } finally {
      rmSync(xml, { force: true });
    }
    await term.waitFor(new RegExp(`${outside}\\s+shutoff`), 10_000);
    await virshTry('undefine', outside);
    term.press('n');
    await term.waitFor('New virtual machine');
    await term.waitFor(/› Name/);
    await setText('Name', NAME);
    await setText('Memory', '128M');
    await focus('Disk');
    await term.waitFor(/› Disk\s+‹ new volume ›/);
    await choose('Storage pool', POOL);
    await setText('Size', '16M');
    await choose('Bus', 'sata');
    term.press('Down');
    await term.waitFor('No NIC: a adds one');
    // Boot from CD-ROM offers the ISO volumes of the pools as choices beside a typed path.
    await choose('Boot from', 'cdrom');
    await choose('ISO', `${POOL}/${ISO}`);
    await choose('ISO', 'a path \\(typed below\\)');
    await term.waitFor(/ISO path/);
    term.press('Up');
    await term.waitFor(/› Boot from/);
    await choose('Boot from', 'kernel');
    await setText('Kernel', img.kernel);
    await setText('Initrd', img.initrd);
    await setText('Command line', 'console=ttyS0');
    await choose('Graphics', 'none');
    term.press('Down');
    const screen = await term.waitFor('Ready: Enter (or c) creates it', 20_000);
    assert.match(screen, new RegExp(`disk 1\\s+new 16 MiB qcow2 volume ${NAME}.qcow2 on pool ${POOL}`));
    assert.equal(await domstate(NAME), 'absent', 'nothing is defined before the summary is accepted');
    term.press('c');
    await term.waitFor(`${NAME} created and started`, 180_000);
    assert.equal(await domstate(NAME), 'running');
    assert.deepEqual(await poolVolumes(POOL), [ISO, `${NAME}.qcow2`].sort());
    assert.match(await virsh('dumpxml', NAME), /<target dev='sda' bus='sata'\/>/);

    // Back in the VM list: select it with the filter, force it off, delete it with its disk.
    term.press('/');
    await term.waitFor('filter (regex');
    term.type(NAME);
    await term.waitFor(`filter (regex, ! inverts): ${NAME}`);
    term.press('Enter');
    await term.waitFor((sc) => !sc.includes('filter (regex'));
    await term.waitFor(new RegExp(`${NAME}\\s+running`), 30_000);
    // The serial console: the terminal goes to virsh console, the guest's shell answers, Ctrl-] comes back.
    await waitForSerial(NAME, img.marker, 90_000); // booted: its shell is on the serial console
    term.press('c');
    await term.waitFor(`Serial console of ${NAME}`, 20_000);
    await term.waitFor('Escape character', 20_000);
    // QEMU notices a new reader of the console pty within a second; until then keys are dropped: ask again.
    for (let i = 0; ; i++) {
      term.press('Enter');
      try { await term.waitFor('hostdeck-tiny#', 3000); break; } catch (e) { if (i >= 10) throw e; }
    }
    // A guest under TCG can drop characters typed while it is busy: type the line again until it answers.
    for (let i = 0; ; i++) {
      term.type('echo hostdeck-$((6*7))');
      term.press('Enter');
      try { await term.waitFor('hostdeck-42', 10_000); break; } catch (e) { if (i >= 4) throw e; }
    }
    term.press('C-]');
    await term.waitFor(new RegExp(`${NAME}\\s+running`), 20_000);
    term.press('F');
    await term.waitFor(`Force ${NAME} off now?`);
    term.press('y');
    await waitState(NAME, 'shut off');
    await term.waitFor(`${NAME} was forced off`);
    await term.waitFor(new RegExp(`${NAME}\\s+shutoff`), 30_000);
    term.press('C-d');
    await term.waitFor(`Delete ${NAME}`);
    await term.waitFor(`${POOL}/${NAME}.qcow2`);
    term.press('r');
    await term.waitFor(/REMOVE 1 disk/);
    term.press('y');
    await term.waitFor(`${NAME} deleted; removed ${POOL}/${NAME}.qcow2`, 60_000);
    assert.equal(await domstate(NAME), 'absent');
    assert.deepEqual(await poolVolumes(POOL), [ISO]);
  });
});
