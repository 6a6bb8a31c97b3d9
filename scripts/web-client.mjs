// Builds the dashboard's browser code (src/web/client/) into strings the server holds in memory:
// nothing is fetched from a CDN and nothing is written next to the project. Used by build.mjs for
// dist/ and, in development and tests, by src/web/assets.ts on first use.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';

const client = new URL('../src/web/client/', import.meta.url);

export const ENTRIES = ['app', 'auth', 'charts', 'search'];

export async function buildWebClient() {
  const result = await build({
    entryPoints: Object.fromEntries(ENTRIES.map((e) => [e, new URL(`${e}.${e === 'search' ? 'tsx' : 'ts'}`, client).pathname])),
    bundle: true,
    splitting: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: '/out',
    legalComments: 'none',
    logLevel: 'warning',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.css': 'css' },
  });
  const assets = {};
  for (const f of result.outputFiles) assets[f.path.slice(f.path.lastIndexOf('/') + 1)] = f.text;
  const css = await build({ entryPoints: [new URL('style.css', client).pathname], bundle: true, minify: true, write: false, outdir: '/out', logLevel: 'warning' });
  assets['style.css'] = css.outputFiles[0].text;
  assets['icon.svg'] = await readFile(new URL('icon.svg', client), 'utf8');
  return assets;
}
