/**
 * The browser assets, served from memory. The bundle (`npm run build`) embeds them at build time;
 * from the sources (tests, `tsx`) they are built with esbuild on first use, by the same script.
 */
export type Assets = ReadonlyMap<string, { body: string; type: string }>;

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

let cached: Promise<Assets> | null = null;

export function loadAssets(): Promise<Assets> {
  cached ??= (async () => {
    let raw = (await import('./embedded-assets.ts')).embedded;
    if (raw === null) {
      // Development only: the bundle never reaches this branch (esbuild is a dev dependency).
      const script = new URL('../../scripts/web-client.mjs', import.meta.url).href;
      const mod = (await import(script)) as { buildWebClient: () => Promise<Record<string, string>> };
      raw = await mod.buildWebClient();
    }
    return new Map(Object.entries(raw).map(([name, body]) => [name, { body, type: TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream' }]));
  })();
  return cached;
}
