/**
 * Every path Cairn builds from something a user or a file wrote goes through here: it must stay
 * inside the project root. `..`, absolute paths and NUL bytes are refused before touching the disk.
 */
import { isAbsolute, normalize, relative, resolve, sep } from 'node:path';

export type Confined = { ok: true; abs: string; rel: string } | { ok: false; reason: string };

/** Resolves `rel` (a `/`-separated path relative to `root`) and checks that it stays inside `root`. */
export function confine(root: string, rel: string): Confined {
  if (rel.includes('\0')) return { ok: false, reason: 'contains a NUL byte' };
  if (rel.trim() === '') return { ok: false, reason: 'is empty' };
  if (isAbsolute(rel) || /^[A-Za-z]:[\\/]/.test(rel)) return { ok: false, reason: 'is an absolute path' };
  const abs = resolve(root, normalize(rel));
  const back = relative(root, abs);
  if (back === '' ) return { ok: true, abs, rel: '' };
  if (back.startsWith('..') || isAbsolute(back)) return { ok: false, reason: 'leaves the project root' };
  return { ok: true, abs, rel: back.split(sep).join('/') };
}

/** `/`-separated path of `abs` relative to `root`. */
export function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}
