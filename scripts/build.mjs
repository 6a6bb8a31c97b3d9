// Bundles the CLI into dist/. Code splitting keeps each command in its own chunk, so
// `cairn --version` loads only the entry and `cairn status` never loads the writers.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { buildWebClient } from './web-client.mjs';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
// A digest of the sources and the lock file: caches key on it (src/model/version.ts), so a rebuild
// with unchanged version number never reuses entries another build parsed.
async function sourceDigest() {
  const hash = createHash('sha256');
  const files = (await readdir(new URL('../src', import.meta.url), { recursive: true })).filter((f) => /\.(tsx?|css|svg|html)$/.test(f)).sort();
  for (const f of files) hash.update(f).update('\0').update(await readFile(new URL(`../src/${f}`, import.meta.url))).update('\0');
  hash.update(await readFile(new URL('../package-lock.json', import.meta.url)));
  return hash.digest('hex').slice(0, 12);
}
const buildId = await sourceDigest();
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
// The dashboard's browser code, embedded in the `serve` chunk only (served from memory, never a CDN).
const webAssets = await buildWebClient();
const define = { CAIRN_VERSION: JSON.stringify(pkg.version), CAIRN_BUILD: JSON.stringify(buildId) };
await build({
  entryPoints: { cairn: 'src/cli/bin.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies (yaml) call require() for Node built-ins; give ESM chunks a real require.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cairnRequire } from 'node:module';\nconst require = __cairnRequire(import.meta.url);" },
  define,
  plugins: [
    {
      name: 'embed-web-assets',
      setup(b) {
        b.onLoad({ filter: /src[\\/]web[\\/]embedded-assets\.ts$/ }, () => ({ contents: `export const embedded = ${JSON.stringify(webAssets)};`, loader: 'js' }));
      },
    },
  ],
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  // yaml stays a runtime dependency, required only when a frontmatter needs the full parser.
  external: ['yaml'],
  // jsonc-parser's "main" is a UMD build that requires its own files at run time; bundle its ESM build.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // Smaller code parses faster at startup; identifiers are kept so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
// The executable: a small CommonJS launcher (src/cli/launch.ts) that answers an unchanged tree's
// status from the answer cache before Node's ESM loader starts, else imports dist/cairn.mjs.
await build({
  entryPoints: { cairn: 'src/cli/launch.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  define,
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
