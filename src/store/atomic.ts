/**
 * Durable single-file writes. A reader (or a crash) sees either the old file or the new one,
 * never a prefix: the bytes go to a temp file in the same folder, are fsynced, and the temp is
 * renamed over the target; the folder is fsynced so the rename itself survives a power cut.
 * There is deliberately no "fall back to a plain write" path (GSD's `platformWriteSync` does that
 * and then tears files on ENOSPC): a failed write throws and leaves the old file intact.
 */
import { uniqueHex } from '../model/random.ts';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Marker in every temp file name Cairn creates, so strays are recognisable. */
export const TEMP_MARK = '.cairn-tmp-';

/** `.<name>.cairn-tmp-<pid>-<random>` beside `absPath`. */
export function tempPathFor(absPath: string): string {
  return join(dirname(absPath), `.${basename(absPath)}${TEMP_MARK}${process.pid}-${uniqueHex(6)}`);
}

/** True for names produced by `tempPathFor` (whatever process made them). */
export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.includes(TEMP_MARK);
}

/** `mkdir -p`; callers create parents explicitly so a typo never silently grows a tree. */
export async function ensureDir(absDir: string): Promise<void> {
  await mkdir(absDir, { recursive: true });
}

/**
 * Makes the directory entries of `absDir` durable (creations, renames, unlinks inside it).
 * Some platforms and file systems cannot open or fsync a directory; that only weakens
 * power-loss durability, never process-crash atomicity, so those errors are ignored.
 */
export async function fsyncDir(absDir: string): Promise<void> {
  let fh;
  try {
    fh = await open(absDir, 'r');
    await fh.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES' && code !== 'EBADF') throw e;
  } finally {
    await fh?.close();
  }
}

/** Creates `absPath` (`flags` 'wx': it must not exist), writes `data` and fsyncs it. */
export async function writeDurable(absPath: string, data: string | Uint8Array, flags = 'wx', mode?: number): Promise<void> {
  const fh = await open(absPath, flags);
  try {
    // chmod rather than open's mode argument, which the umask would narrow.
    if (mode !== undefined) await fh.chmod(mode);
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Replaces `absPath` with `data` atomically and durably. The parent folder must exist
 * (`ensureDir`). An existing target's permission bits are kept.
 */
export async function writeFileAtomic(absPath: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(absPath);
  let mode: number | undefined;
  try {
    mode = (await stat(absPath)).mode & 0o7777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  try {
    await writeDurable(tmp, data, 'wx', mode);
    await rename(tmp, absPath);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fsyncDir(dirname(absPath));
}
