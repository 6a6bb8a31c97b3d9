/**
 * The browser assets embedded in the bundle. From the sources this is null (they are built on first
 * use); `scripts/build.mjs` replaces this module's content with the built assets.
 */
export const embedded: Record<string, string> | null = null;
