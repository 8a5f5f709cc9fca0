#!/usr/bin/env node
// Bundles the hostdeck binary with esbuild so the first frame comes fast.
// Native addons stay external; heavy optional modules are split into chunks
// loaded on first use.
import { build } from 'esbuild';
import { rmSync, chmodSync, readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  entryPoints: { hostdeck: `${root}src/main.ts` },
  outdir: `${root}dist`,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  jsx: 'automatic',
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: true,
  keepNames: false,
  sourcemap: 'linked',
  legalComments: 'none',
  external: ['better-sqlite3', '@unraid/libvirt'],
  alias: { 'react-devtools-core': `${root}scripts/lib/devtools-stub.mjs` },
  // The bundle never uses the global fetch: defining it away keeps yoga's
  // wasm loader from touching it, which would load undici at start-up.
  define: { 'process.env.NODE_ENV': '"production"', HOSTDECK_VERSION: JSON.stringify(pkg.version), fetch: 'undefined' },
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __hdCreateRequire } from 'node:module';\nconst require = __hdCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync(`${root}dist/hostdeck.mjs`, 0o755);
