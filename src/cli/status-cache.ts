/**
 * A cache of `cairn status` results, so that asking again about an unchanged project does not
 * parse every file again (agents ask often; cold parsing is most of status's time). The key is a
 * fingerprint of every entry under `.planning/` — path, size, modification time, inode — plus the
 * cairn version; any change to any file misses. It lives in the user's cache folder, never in the
 * project, and every failure to read or write it is ignored: the cache can only save time.
 * CAIRN_NO_CACHE=1 turns it off.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, lstatSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

declare const CAIRN_VERSION: string;

function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'cairn');
}

export function cacheEnabled(): boolean {
  return !process.env.CAIRN_NO_CACHE;
}

/** Hash of the `.planning/` tree's entries; null when it cannot be listed. */
export function fingerprint(root: string): string | null {
  const h = createHash('sha1');
  h.update(typeof CAIRN_VERSION === 'string' ? CAIRN_VERSION : 'dev');
  const visit = (abs: string, rel: string) => {
    for (const e of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(abs, e.name);
      const st = lstatSync(p, { bigint: true });
      h.update(`${rel}/${e.name}\0${st.size}\0${st.mtimeNs}\0${st.ino}\0${st.mode}\n`);
      if (e.isDirectory()) visit(p, `${rel}/${e.name}`);
    }
  };
  try {
    visit(join(root, '.planning'), '.planning');
    return h.digest('hex');
  } catch {
    return null;
  }
}

function entryPath(root: string): string {
  return join(cacheDir(), `status-${createHash('sha1').update(root).digest('hex')}.json`);
}

export function readCache<T>(root: string, key: string): T | null {
  try {
    const entry = JSON.parse(readFileSync(entryPath(root), 'utf8')) as { key: string; value: T };
    return entry.key === key ? entry.value : null;
  } catch {
    return null;
  }
}

export function writeCache(root: string, key: string, value: unknown): void {
  try {
    mkdirSync(cacheDir(), { recursive: true });
    const target = entryPath(root);
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, value }));
    renameSync(tmp, target);
  } catch {
    // A cache that cannot be written only costs time.
  }
}
