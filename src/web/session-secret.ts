/**
 * The dashboard's session secret, kept per port in the user's state folder
 * (`$XDG_STATE_HOME/cairn/serve-<port>.secret`, else `~/.local/state/cairn/`) so a restarted
 * `cairn serve` on the same port accepts the cookie an open page already holds: the page
 * reconnects with no user action. Never in the project (it would be committed or shared).
 *
 * A file is trusted only when it is a regular file (not a symlink) owned by this user with no
 * group or other permission bits, holding exactly one secret of the expected shape; anything else
 * (garbage, a truncated write, mode 0644) is replaced by a fresh secret, which signs every old
 * cookie out. `--new-token` rotates it on purpose. Writes are atomic: a 0600 temp file beside it,
 * fsynced, then renamed over, so a reader never sees half a secret.
 */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fsyncDir, tempPathFor } from '../store/atomic.ts';

/** 24 random bytes in base64url. */
const SHAPE = /^[A-Za-z0-9_-]{32}$/;

export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** The folder of the secrets; a relative XDG_STATE_HOME is ignored, as the XDG spec says. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(base, 'cairn');
}

export function secretPath(port: number, dir = stateDir()): string {
  return join(dir, `serve-${port}.secret`);
}

export type SecretSource = 'reused' | 'created' | 'rotated' | 'replaced';

export interface SessionSecret {
  secret: string;
  file: string;
  /** reused: read back; created: none existed; rotated: --new-token; replaced: the file was unsafe or unreadable. */
  source: SecretSource;
  /** Why an existing file was not trusted (source 'replaced'). */
  reason?: string;
}

/** The stored secret, or why it cannot be trusted; null when there is no file. */
async function readTrusted(file: string): Promise<{ secret: string } | { reason: string } | null> {
  let st;
  try {
    st = await lstat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { reason: `cannot stat it (${(e as NodeJS.ErrnoException).code})` };
  }
  if (!st.isFile()) return { reason: 'it is not a regular file' };
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return { reason: 'another user owns it' };
  if ((st.mode & 0o077) !== 0) return { reason: `its mode is ${(st.mode & 0o777).toString(8)}, not 600` };
  const text = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (!SHAPE.test(text)) return { reason: 'it does not hold a secret' };
  return { secret: text };
}

async function writeSecret(file: string, dir: string, secret: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = tempPathFor(file);
  try {
    // Created 0600 (the umask can only narrow it), chmod in case it was wider.
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.chmod(0o600);
      await fh.writeFile(`${secret}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await chmod(file, 0o600);
  await fsyncDir(dir);
}

/**
 * The secret for `port`: the stored one when it can be trusted and `rotate` is false, else a
 * fresh one, stored for the next run.
 */
export async function sessionSecret(port: number, opts: { rotate?: boolean; dir?: string } = {}): Promise<SessionSecret> {
  const dir = opts.dir ?? stateDir();
  const file = secretPath(port, dir);
  let reason: string | undefined;
  if (!opts.rotate) {
    const found = await readTrusted(file);
    if (found && 'secret' in found) return { secret: found.secret, file, source: 'reused' };
    reason = found?.reason;
    if (found === null) {
      const secret = newSecret();
      await writeSecret(file, dir, secret);
      return { secret, file, source: 'created' };
    }
  }
  const secret = newSecret();
  await writeSecret(file, dir, secret);
  return opts.rotate ? { secret, file, source: 'rotated' } : { secret, file, source: 'replaced', ...(reason ? { reason } : {}) };
}
