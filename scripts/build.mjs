#!/usr/bin/env node
// Bundles the hostdeck binary with esbuild so the first frame comes fast.
// Native addons stay external; heavy optional modules are split into chunks
// loaded on first use.
import { build } from 'esbuild';
import { rmSync, chmodSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
// --outdir DIR (inside the project, so node_modules resolve) and --no-minify
// (readable names in CPU profiles) are for profiling builds.
const argv = process.argv.slice(2);
const outdir = argv.includes('--outdir') ? argv[argv.indexOf('--outdir') + 1] : `${root}dist`;
const minify = !argv.includes('--no-minify');
rmSync(outdir, { recursive: true, force: true });

// ink and its helpers measure text with src/ui/string-width.ts (string-width
// with a fast path for one-column text); that module itself gets the real one.
const fastStringWidth = {
  name: 'fast-string-width',
  setup(b) {
    const own = `${root}src/ui/string-width.ts`;
    b.onResolve({ filter: /^string-width$/ }, (a) => (a.importer === own ? undefined : { path: own }));
  },
};
const result = await build({
  entryPoints: { hostdeck: `${root}src/main.ts` },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  jsx: 'automatic',
  minifyWhitespace: minify,
  minifySyntax: minify,
  minifyIdentifiers: minify,
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
  plugins: [fastStringWidth],
  metafile: argv.includes('--meta'),
  logLevel: 'warning',
});
chmodSync(`${outdir}/hostdeck.mjs`, 0o755);
// --meta: what went into which file (esbuild's metafile, for size work).
if (result.metafile) writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile));
