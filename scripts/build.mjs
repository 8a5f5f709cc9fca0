#!/usr/bin/env node
// Bundles the hostdeck binary with esbuild so the first frame comes fast.
// Native addons are loaded from their packages; heavy optional modules are split into chunks
// loaded on first use.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { rmSync, chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
// --outdir DIR (inside the project, so node_modules resolve) and --no-minify
// (readable names in CPU profiles) are for profiling builds.
const argv = process.argv.slice(2);
const outdir = argv.includes('--outdir') ? argv[argv.indexOf('--outdir') + 1] : `${root}dist`;
const minify = !argv.includes('--no-minify');
// --entry NAME=PATH (repeatable): one more entry bundled the same way (benchmarks
// that measure the shipped code, not the sources under tsx).
const entries = { hostdeck: `${root}src/main.ts` };
argv.forEach((a, i) => { if (a === '--entry') { const [name, path] = argv[i + 1].split('='); entries[name] = path.startsWith('/') ? path : `${root}${path}`; } });
rmSync(outdir, { recursive: true, force: true });
// Each start-up technique below can be turned off for a build
// (HOSTDECK_BUILD_NO_<NAME>=1) so scripts/bench/startup-techniques.bench.mjs
// can weigh it against the build with all of them on; README lists them.
const on = (name) => process.env[`HOSTDECK_BUILD_NO_${name}`] !== '1';
const VENDOR_SCRIPT = on('VENDOR_SCRIPT');

// @unraid/libvirt's JavaScript is bundled (minified, in the compile cache,
// and without the XML library it imports for helpers hostdeck does not use);
// only its native addon is loaded from the package, found the way Node finds
// the package itself.
const libvirtBinding = {
  name: 'libvirt-binding',
  setup(b) {
    // The package's index also re-exports XML helpers (and with them xml2js):
    // hostdeck takes the connection classes and the constants only.
    const dist = `${root}node_modules/@unraid/libvirt/dist`;
    b.onResolve({ filter: /^@unraid\/libvirt$/ }, () => ({ path: 'libvirt-entry', namespace: 'hostdeck' }));
    b.onLoad({ filter: /^libvirt-entry$/, namespace: 'hostdeck' }, () => ({
      contents: `export * from '${dist}/types.js';\nexport { Hypervisor } from '${dist}/hypervisor.js';\nexport { Domain } from '${dist}/domain.js';\n`,
      loader: 'js',
      resolveDir: dist,
    }));
    b.onLoad({ filter: /@unraid[\\/]libvirt[\\/]dist[\\/]hypervisor\.js$/ }, (a) => {
      const src = readFileSync(a.path, 'utf8');
      const call = "require('../build/Release/libvirt')";
      if (!src.includes(call)) throw new Error(`${a.path}: the native addon is no longer loaded by ${call}; update scripts/build.mjs`);
      return { contents: src.replace(call, "require(new URL('../build/Release/libvirt.node', import.meta.resolve('@unraid/libvirt')).pathname)"), loader: 'js' };
    });
  },
};

// ink and its helpers measure text with src/ui/string-width.ts (string-width
// with a fast path for one-column text); that module itself gets the real one.
const fastStringWidth = {
  name: 'fast-string-width',
  setup(b) {
    const own = `${root}src/ui/string-width.ts`;
    b.onResolve({ filter: /^string-width$/ }, (a) => (a.importer === own ? undefined : { path: own }));
  },
};
// The build's id (a hash of the bundle) names its compile cache directory
// (src/main.ts): written into the entry after the build, in place of a slot
// of the same length.
const BUILD_ID_SLOT = 'hdbuild-id-slot!';
// string-width builds its RGI_Emoji regex (a set of thousands of strings,
// some 20 ms) when it loads; the first frame never needs it (its text takes
// the one-column path above), so it is built on first use instead.
const lazyEmojiRegex = {
  name: 'lazy-emoji-regex',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, (a) => {
      const src = readFileSync(a.path, 'utf8');
      const decl = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
      if (!src.includes(decl) || (src.match(/rgiEmojiRegex\b/g) ?? []).length !== (src.match(/rgiEmojiRegex\.test\(/g) ?? []).length + 1) {
        throw new Error(`${a.path}: the RGI_Emoji regex is no longer declared and used as before; update scripts/build.mjs`);
      }
      return { contents: src.replace(decl, 'let rgiEmojiRegexBuilt;\nconst rgiEmojiRegex = { test: (s) => (rgiEmojiRegexBuilt ??= /^\\p{RGI_Emoji}$/v).test(s) };'), loader: 'js' };
    });
  },
};
// node:crypto is some 20 internal modules (~6 ms) that the console loads at
// start only because modules on its path import a function or two for later
// (an event's correlation id, a temporary file's name, a certificate check).
// hostdeck's own modules get these names as wrappers that load node:crypto
// on their first call; an import of a name not listed here fails the build.
const CRYPTO_FUNCTIONS = ['createCipheriv', 'createDecipheriv', 'createHash', 'randomBytes', 'randomUUID', 'scrypt', 'timingSafeEqual'];
const CRYPTO_CLASSES = ['X509Certificate'];
const lazyCrypto = {
  name: 'lazy-crypto',
  setup(b) {
    b.onResolve({ filter: /^(node:)?crypto$/ }, (a) => (a.importer.startsWith(`${root}src/`) || a.importer.startsWith(`${root}screens/`) ? { path: 'crypto', namespace: 'hostdeck-crypto' } : undefined));
    b.onLoad({ filter: /^crypto$/, namespace: 'hostdeck-crypto' }, () => ({
      contents: [
        "let c;\nconst real = () => (c ??= (process.getBuiltinModule?.('node:crypto') ?? require('node:crypto')));",
        ...CRYPTO_FUNCTIONS.map((n) => `export function ${n}(...a) { return real().${n}(...a); }`),
        // Called with new: returns the real class's instance.
        ...CRYPTO_CLASSES.map((n) => `export function ${n}(...a) { return new (real().${n})(...a); }`),
      ].join('\n'),
      loader: 'js',
    }));
  },
};
// better-sqlite3's JavaScript is bundled (one file through Node's CommonJS
// loader each, ~4 ms at start otherwise); its native addon is found as the
// package finds it, from the package's own directory.
const sqliteBinding = {
  name: 'sqlite-binding',
  setup(b) {
    b.onLoad({ filter: /[\\/]better-sqlite3[\\/]lib[\\/]binding\.js$/ }, (a) => {
      const src = readFileSync(a.path, 'utf8');
      if (!/path\.join\(__dirname, '\.\.', 'prebuilds'/.test(src)) throw new Error(`${a.path}: no longer finds its addon from __dirname; update scripts/build.mjs`);
      return { contents: `var __dirname = require('node:path').dirname(require.resolve('better-sqlite3'));\n${src}`, loader: 'js' };
    });
  },
};
// React's export names, which the vendor shims below re-export from the
// vendor script (a name missing here fails the build).
const requireHere = createRequire(import.meta.url);
const reactEntries = {
  react: Object.keys(requireHere(`${root}node_modules/react/cjs/react.production.js`)),
  'react/jsx-runtime': Object.keys(requireHere(`${root}node_modules/react/cjs/react-jsx-runtime.production.js`)),
};
// React, ink and yoga run from dist/vendor.cjs, one classic script that
// src/app/vendor-loader.ts runs through node:vm with a V8 code cache made
// after the first frame (Node's compile cache holds only what V8 compiled
// before a module ran; React and ink compile most of their functions while
// drawing). hostdeck's own imports of them read the loaded script's exports.
const inkNames = Object.keys(await import('ink'));
const VENDOR_LOADER = `${root}src/app/vendor-loader.ts`;
const vendorShims = {
  name: 'vendor-shims',
  setup(b) {
    // (Benchmark entries bundled beside the binary take the same copy as the console they drive.)
    b.onResolve({ filter: /^(ink|react|react\/jsx-runtime)$/ }, (a) => (['src/', 'screens/', 'scripts/bench/'].some((d) => a.importer.startsWith(`${root}${d}`)) ? { path: a.path, namespace: 'hostdeck-vendor' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'hostdeck-vendor' }, (a) => {
      const [key, names] = a.path === 'ink' ? ['ink', inkNames] : a.path === 'react' ? ['react', reactEntries.react] : ['jsxRuntime', reactEntries['react/jsx-runtime']];
      return {
        contents: `import { vendor } from ${JSON.stringify(VENDOR_LOADER)};\nconst m = vendor.${key};\n${key === 'ink' ? '' : 'export default m;\n'}export const { ${names.join(', ')} } = m;\n`,
        loader: 'js',
        resolveDir: root,
      };
    });
  },
};
// In the vendor script: yoga without its top-level await (a classic script
// has none): the enums at once, the layout engine once init() has run.
const vendorYoga = {
  name: 'vendor-yoga',
  setup(b) {
    b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: 'yoga', namespace: 'hostdeck-yoga' }));
    b.onLoad({ filter: /.*/, namespace: 'hostdeck-yoga' }, () => ({
      contents: "import { loadYoga } from 'yoga-layout/load';\nimport * as enums from 'yoga-layout/load';\nconst Yoga = { ...enums };\ndelete Yoga.loadYoga;\nexport default Yoga;\nexport async function init() { Object.assign(Yoga, await loadYoga()); }\n",
      loader: 'js',
      resolveDir: root,
    }));
    // ink's development-only (DEV=true) devtools import and package.json
    // read are top-level awaits: not in the bundle (esbuild refuses any
    // other top-level await in a classic script).
    b.onLoad({ filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (a) => {
      let src = readFileSync(a.path, 'utf8');
      for (const [tla, none] of [["await import('./devtools.js');", 'void 0;'], ['await loadPackageJson();', '{};']]) {
        if (!src.includes(tla)) throw new Error(`${a.path}: no longer has ${tla}; update scripts/build.mjs`);
        src = src.replace(tla, none);
      }
      return { contents: src, loader: 'js', resolveDir: dirname(a.path) };
    });
  },
};
// The layout engine's WebAssembly comes as base64, decoded by atob and a
// loop over every byte (~6 ms); Buffer decodes it natively.
const yogaBase64 = {
  name: 'yoga-base64',
  setup(b) {
    // The layout engine's WebAssembly comes as base64, decoded by atob and a
    // loop over every byte (~6 ms); Buffer decodes it natively.
    b.onLoad({ filter: /[\\/]node_modules[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (a) => {
      const src = readFileSync(a.path, 'utf8');
      const decode = 'var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c';
      if (!src.includes(decode)) throw new Error(`${a.path}: no longer decodes its WebAssembly so; update scripts/build.mjs`);
      return { contents: src.replace(decode, "var d=new Uint8Array(Buffer.from(a.slice(37),'base64'))"), loader: 'js', resolveDir: dirname(a.path) };
    });
  },
};
// Intl.Segmenter: every bundled module (ink, string-width, wrap-ansi,
// slice-ansi, cli-truncate, ansi-tokenize) builds one when it loads, and the
// first one loads ICU's break rules (some 20 ms). src/ui/segmenter.ts answers
// frame text without ICU and builds the real one on first need.
const SEGMENTER = `${root}src/ui/segmenter-global.ts`;
const common = {
  entryPoints: entries,
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
  alias: { 'react-devtools-core': `${root}scripts/lib/devtools-stub.mjs` },
  // The bundle never uses the global fetch: defining it away keeps yoga's
  // wasm loader from touching it, which would load undici at start-up.
  define: { 'process.env.NODE_ENV': '"production"', HOSTDECK_VERSION: JSON.stringify(pkg.version), HOSTDECK_BUILD_ID: JSON.stringify(BUILD_ID_SLOT), fetch: 'undefined', ...(on('SEGMENTER') ? { 'Intl.Segmenter': 'HostdeckGraphemeSegmenter' } : {}) },
  inject: on('SEGMENTER') ? [SEGMENTER] : [],
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __hdCreateRequire } from 'node:module';\nconst require = __hdCreateRequire(import.meta.url);",
  },
  metafile: argv.includes('--meta'),
  logLevel: 'warning',
};
const patches = [[fastStringWidth, 'FAST_STRING_WIDTH'], [lazyEmojiRegex, 'LAZY_EMOJI_REGEX'], [yogaBase64, 'YOGA_BASE64']]
  .filter(([, name]) => on(name)).map(([plugin]) => plugin);
const appPlugins = [...(VENDOR_SCRIPT ? [vendorShims] : []), ...patches, ...(on('LAZY_CRYPTO') ? [lazyCrypto] : []), libvirtBinding, sqliteBinding];

// Start-up chunks. esbuild puts each module in the chunk of the set of entry
// points (the binary and every import() target) that reach it, so the modules
// the console loads before its first frame were spread over some 70 small
// files, each costing Node's loader about a millisecond (resolve, stat, read,
// link) whatever its size. A first pass finds the start-up modules; in the
// second every lazily loaded module of hostdeck's also imports them (through
// a barrel: no code runs twice, they are loaded by then), so they share one
// entry set and land in a few chunks. CLI_START: what the CLI and the console
// load at once (src/cli.tsx and its static imports); CONSOLE_START: what the
// console adds before its first frame (the roots src/cli.tsx imports for it).
const CONSOLE_ROOTS = ['src/store/host.ts', 'src/host/system.ts', 'src/core/index.ts', 'src/app/run.tsx', 'screens/index.ts'];
async function startupBarrels() {
  const { metafile } = await build({ ...common, write: false, metafile: true, logLevel: 'silent', plugins: appPlugins });
  const staticClosure = (roots) => {
    const seen = new Set();
    const todo = [...roots];
    while (todo.length) {
      const f = todo.pop();
      if (seen.has(f) || !metafile.inputs[f]) continue;
      seen.add(f);
      for (const i of metafile.inputs[f].imports) if (i.kind === 'import-statement' && !i.external) todo.push(i.path);
    }
    return seen;
  };
  const dynamicOfCli = new Set(metafile.inputs['src/cli.tsx'].imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path));
  for (const r of CONSOLE_ROOTS) if (!dynamicOfCli.has(r)) throw new Error(`src/cli.tsx no longer imports ${r} on its own; update CONSOLE_ROOTS in scripts/build.mjs`);
  const cli = staticClosure(['src/cli.tsx']);
  const consoleOnly = [...staticClosure(CONSOLE_ROOTS)].filter((f) => !cli.has(f));
  // The lazily loaded modules of hostdeck's own: every import() target under src/ and screens/.
  const lazy = new Set(Object.values(metafile.inputs).flatMap((i) => i.imports).filter((i) => i.kind === 'dynamic-import' && /^(src|screens)\//.test(i.path)).map((i) => i.path));
  lazy.delete('src/cli.tsx');
  // A module the CLI loads at once never takes the console's barrel: that would put the console's modules on the CLI's path.
  const consoleSide = (f) => !cli.has(f) && (consoleOnly.includes(f) || /^(screens|src\/app|src\/ui|src\/store)\//.test(f));
  // hostdeck's own files only: a package's module marked free of side effects would be dropped from a bare import.
  const own = (f) => /^(src|screens)\//.test(f);
  return { cli: [...cli].filter(own), consoleOnly: consoleOnly.filter(own), lazy, consoleSide };
}
const startupChunks = (barrels) => ({
  name: 'startup-chunks',
  setup(b) {
    const files = { cli: barrels.cli, console: barrels.consoleOnly };
    b.onResolve({ filter: /^hostdeck-start:/ }, (a) => ({ path: a.path.slice('hostdeck-start:'.length), namespace: 'hostdeck-start' }));
    b.onLoad({ filter: /.*/, namespace: 'hostdeck-start' }, (a) => ({
      contents: files[a.path].map((f) => `import ${JSON.stringify(`${root}${f}`)};`).join('\n'),
      loader: 'js',
      resolveDir: root,
    }));
    b.onLoad({ filter: /\.tsx?$/ }, (a) => {
      const rel = a.path.startsWith(root) ? a.path.slice(root.length) : undefined;
      if (!rel || !barrels.lazy.has(rel)) return undefined;
      const extra = ['hostdeck-start:cli', ...(barrels.consoleSide(rel) ? ['hostdeck-start:console'] : [])];
      return { contents: `${readFileSync(a.path, 'utf8')}\n${extra.map((x) => `import ${JSON.stringify(x)};`).join('\n')}\n`, loader: rel.endsWith('.tsx') ? 'tsx' : 'ts' };
    });
  },
});
const result = await build({ ...common, plugins: [...appPlugins, ...(on('STARTUP_CHUNKS') ? [startupChunks(await startupBarrels())] : [])] });
if (VENDOR_SCRIPT) await build({
  ...common,
  entryPoints: { vendor: 'hostdeck-vendor-entry' },
  splitting: false,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  banner: {},
  metafile: false,
  plugins: [{
    name: 'vendor-entry',
    setup(b) {
      b.onResolve({ filter: /^hostdeck-vendor-entry$/ }, () => ({ path: 'entry', namespace: 'hostdeck-vendor-entry' }));
      b.onLoad({ filter: /.*/, namespace: 'hostdeck-vendor-entry' }, () => ({
        contents: "export * as ink from 'ink';\nexport { default as react } from 'react';\nexport { default as jsxRuntime } from 'react/jsx-runtime';\nexport { init as yogaInit } from 'yoga-layout';\n",
        loader: 'js',
        resolveDir: root,
      }));
    },
  }, vendorYoga, ...patches],
});
const bundleFiles = readdirSync(outdir).filter((f) => f.endsWith('.mjs') || f.endsWith('.cjs')).sort();
for (const f of on('SEGMENTER') ? bundleFiles : []) {
  if (readFileSync(`${outdir}/${f}`, 'utf8').includes('Intl.Segmenter')) throw new Error(`${f}: names Intl.Segmenter, which the define should have replaced (see SEGMENTER)`);
}
const buildHash = createHash('sha256');
for (const f of bundleFiles) buildHash.update(`${f}\0`).update(readFileSync(`${outdir}/${f}`)).update('\0');
const buildId = buildHash.digest('hex').slice(0, BUILD_ID_SLOT.length);
for (const name of Object.keys(entries)) {
  const file = `${outdir}/${name}.mjs`;
  const text = readFileSync(file, 'utf8');
  if (text.includes(BUILD_ID_SLOT)) writeFileSync(file, text.replaceAll(BUILD_ID_SLOT, buildId));
}
chmodSync(`${outdir}/hostdeck.mjs`, 0o755);
// --meta: what went into which file (esbuild's metafile, for size work).
if (result.metafile) writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile));
