/**
 * Turns on Node's on-disk compile cache (Node ≥ 22.1) as the first thing the executable evaluates,
 * so the command chunks imported later load from cached bytecode; on older Node the call does not
 * exist and nothing changes. CAIRN_NO_CACHE=1 turns it off with every other cache.
 */
import * as nodeModule from 'node:module';

const enable = (nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
if (typeof enable === 'function' && !process.env.CAIRN_NO_CACHE) {
  try {
    enable();
  } catch {
    // A cache folder that cannot be created only costs time.
  }
}
