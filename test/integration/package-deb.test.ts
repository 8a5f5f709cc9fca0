// hostdeck's Debian package (scripts/package), installed with the real dpkg
// into this machine's Debian 12 root seen through a throw-away overlay (a
// private mount namespace and a chroot: the package's dependencies are
// installed there, hostdeck is not, and nothing reaches the real root; no
// systemd runs in it, so the maintainer scripts leave units alone):
// `hostdeck --version` and `hostdeck host info` run from /usr/bin on the
// package's own Node; the man page and the bash completion come from the
// CLI's commands; the units start what the package carries. Upgrading over a
// state database of an older schema keeps its events and migrates it;
// removing keeps the database, purging deletes it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { MIGRATIONS } from '../../src/manager/migrations/index.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const OLD = '0.0.1~old';
const DB = '/var/lib/hostdeck/hostdeck.db';

/**
 * The mounts of the overlay root, then `script` run by /bin/sh chrooted into
 * it. Each call is a new private mount namespace over the same upper
 * directory: what one call installed, the next one sees; the namespace's
 * mounts go with its last process.
 */
const SETUP = `set -e
d="$1"; shift
mount -t overlay overlay -o "lowerdir=/,upperdir=$d/upper,workdir=$d/work" "$d/root"
mount --rbind /dev "$d/root/dev"
mount -t proc proc "$d/root/proc"
mount -t sysfs sysfs "$d/root/sys"
mount -t tmpfs tmpfs "$d/root/run"
mount -t tmpfs tmpfs "$d/root/tmp"
mkdir -p "$d/root/run/pkg"
mount --bind "$d/pkg" "$d/root/run/pkg"
exec chroot "$d/root" /bin/sh -c "$1"`;

describe('the Debian package, installed into a throw-away overlay of this Debian 12 root', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-deb-'));
  const chroot = (script: string) => spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', SETUP, 'overlay-root', dir, script], { encoding: 'utf8', timeout: 300_000 });
  const sh = (script: string): string => {
    const r = chroot(script);
    if (r.status !== 0) throw new Error(`${script} exited ${r.status}:\n${r.stdout}${r.stderr}`);
    return r.stdout;
  };

  before(() => {
    for (const d of ['upper', 'work', 'root', 'pkg']) mkdirSync(join(dir, d));
    // The package as `npm run package` builds it (uncompressed: quicker to unpack), and the same repacked
    // as an older version to upgrade from.
    const deb = execFileSync(join(ROOT, 'scripts/package'), ['--out', join(dir, 'pkg'), '--compress', 'none'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!;
    copyFileSync(deb, join(dir, 'pkg/new.deb'));
    execFileSync('dpkg-deb', ['-R', deb, join(dir, 'old')]);
    execFileSync('sed', ['-i', `s/^Version: .*/Version: ${OLD}/`, join(dir, 'old/DEBIAN/control')]);
    execFileSync('dpkg-deb', ['--root-owner-group', '-Znone', '--build', join(dir, 'old'), join(dir, 'pkg/old.deb')], { stdio: 'ignore' });
    rmSync(join(dir, 'old'), { recursive: true });
    // A state database of an older schema (the last three migrations not yet applied) with an event in it.
    const db = openDatabase(join(dir, 'pkg/old.db'), { migrations: MIGRATIONS.slice(0, -3) });
    new EventLog(db, { user: 'admin', channel: 'cli' }).record({ severity: 'info', source: 'host', message: 'written by an older hostdeck' });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Whatever hostdeck state this machine has stays out of the overlay's view.
    sh('rm -rf /var/lib/hostdeck');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('installs: hostdeck --version and host info run from /usr/bin on the package\'s own Node; its state database is made', () => {
    assert.notEqual(chroot('test -e /usr/bin/hostdeck').status, 0, 'not installed before');
    sh('dpkg -i /run/pkg/old.deb');
    assert.equal(sh('hostdeck --version').trim(), `hostdeck ${VERSION}`);
    assert.match(sh('hostdeck host info'), /^hostname\s+\S+/m);
    sh(`test -f ${DB}`);
    assert.equal(sh("dpkg-query -W -f='${Status} ${Version}' hostdeck"), `install ok installed ${OLD}`);
    // The program runs on the Node the package carries, not on one of the host's.
    assert.match(sh('cat /usr/bin/hostdeck'), /^exec \/usr\/lib\/hostdeck\/bin\/node \/usr\/lib\/hostdeck\/dist\/hostdeck\.mjs "\$@"$/m);
    assert.match(sh('/usr/lib/hostdeck/bin/node --version'), /^v(2[2-9]|[3-9]\d)\./);
    // The units start what the package installed.
    for (const unit of ['hostdeck.service', 'hostdeck-storage-reconnect.service']) {
      const exec = sh(`grep '^ExecStart=' /lib/systemd/system/${unit}`).trim().replace(/^ExecStart=/, '').split(' ');
      assert.deepEqual(exec.slice(0, 2), ['/usr/lib/hostdeck/bin/node', '/usr/lib/hostdeck/dist/hostdeck.mjs'], unit);
      sh(`test -x ${exec[0]} && test -f ${exec[1]}`);
    }
  });

  it('carries a man page and a bash completion made from the commands', () => {
    assert.match(sh('man -w hostdeck'), /\/usr\/share\/man\/man1\/hostdeck\.1\.gz/);
    const page = sh('MANWIDTH=100 man -P cat hostdeck 2>&1');
    assert.match(page, /^NAME\s+hostdeck - the console of a KVM virtualization host/m);
    assert.match(page, /hostdeck vm snapshot create/);
    assert.match(page, /^EXIT STATUS/m);
    /** What bash offers after `words` at the end of the line (the completion function as bash calls it). */
    const complete = (words: string) => sh(`bash -c '. /usr/share/bash-completion/completions/hostdeck; COMP_WORDS=(${words} ""); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _hostdeck; echo "\${COMPREPLY[*]}"'`).trim();
    assert.equal(complete('hostdeck vm snapshot'), 'create list revert delete');
    assert.equal(complete('hostdeck events list --severity'), 'info warning error alert');
    assert.match(complete('hostdeck --db /x vm'), /\bstart\b.*\bsnapshot\b/);
  });

  it('upgrades over an older state database: the upgrade migrates it, its events kept', () => {
    sh(`cp /run/pkg/old.db ${DB} && rm -f ${DB}-wal ${DB}-shm`);
    sh('dpkg -i /run/pkg/new.deb');
    assert.equal(sh("dpkg-query -W -f='${Version}' hostdeck"), VERSION);
    // Read before any hostdeck command runs: the upgrade itself applied what the older database lacked.
    const applied = sh(`/usr/lib/hostdeck/bin/node -e 'const D = require("/usr/lib/hostdeck/node_modules/better-sqlite3"); console.log(new D(process.argv[1], { readonly: true }).prepare("SELECT id FROM schema_migrations ORDER BY id").pluck().all().join(" "))' ${DB}`);
    assert.equal(applied.trim(), MIGRATIONS.map((m) => m.id).sort().join(' '));
    const events = JSON.parse(sh('hostdeck events list --json')) as { message: string }[];
    assert.ok(events.some((e) => e.message === 'written by an older hostdeck'), 'the older database\'s event is still there');
  });

  it('removing keeps the state database; purging deletes it', () => {
    sh('dpkg -r hostdeck');
    assert.notEqual(chroot('test -e /usr/bin/hostdeck').status, 0, 'removed');
    sh(`test -f ${DB}`);
    sh('dpkg -P hostdeck');
    assert.notEqual(chroot('test -e /var/lib/hostdeck').status, 0, 'purged');
  });
});
