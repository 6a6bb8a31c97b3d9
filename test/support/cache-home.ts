/**
 * Every test process (and every `cairn` child it spawns) gets a private cache folder: the parse
 * cache and the kept status answers of the thousands of temp projects the suite creates must not
 * pile up in the developer's own `~/.cache/cairn`. Only the micromark oracle's answers
 * (test/markdown/oracle.test.ts) stay in the real user cache, on purpose: computing them takes
 * minutes, and they depend on the corpus and library versions, not on the code under test.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const userCacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
// Named by the vitest main process's pid: the config and the globalSetup may load this module
// separately, and must agree on the folder.
const testCacheHome = join(tmpdir(), `cairn-test-cache-${process.pid}`);
mkdirSync(testCacheHome, { recursive: true });

/** The environment vitest gives each test worker. */
export const testEnv = { XDG_CACHE_HOME: testCacheHome, CAIRN_TEST_USER_CACHE: userCacheHome };

/** vitest globalSetup: the private folder goes when the run ends. */
export default function setup(): () => void {
  return () => rmSync(testCacheHome, { recursive: true, force: true });
}
