/**
 * Phase ids taken on other local branches and in other worktrees of the same checkout, so that
 * `phase add` / `phase insert` on one branch does not hand out a number another branch already
 * used (the collision would surface only at merge time). Reads git with argument arrays; outside
 * git, or when git fails, nothing is taken elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { normalizePhaseId } from '../model/ids.ts';
import { gitPlace } from './root.ts';

/** Phase id → where it is taken (`branch b`, `worktree ../wt`). */
export type TakenIds = Map<string, string>;

const DIR_ID = /^(\d+(?:\.\d+)*)(?:-|$)/;
const ROADMAP_ID = /\bPhase\s+(\d+(?:\.\d+)*)\s*[:.-]/g;

function git(args: string[], cwd: string): string | null {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 32 * 1024 * 1024 });
  return r.status === 0 && typeof r.stdout === 'string' ? r.stdout : null;
}

function note(out: TakenIds, raw: string, where: string): void {
  const id = normalizePhaseId(raw) ?? raw;
  if (!out.has(id)) out.set(id, where);
}

function fromRoadmap(out: TakenIds, text: string | null, where: string): void {
  if (text) for (const m of text.matchAll(ROADMAP_ID)) note(out, m[1]!, where);
}

export function phaseIdsElsewhere(root: string): TakenIds {
  const out: TakenIds = new Map();
  const place = gitPlace(root);
  if (!place) return out;
  const planning = place.prefix ? `${place.prefix}/.planning` : '.planning';
  const wt = place.worktree;
  const current = git(['symbolic-ref', '-q', '--short', 'HEAD'], wt)?.trim() ?? null;
  for (const branch of (git(['for-each-ref', '--format=%(refname:short)', 'refs/heads'], wt) ?? '').split('\n')) {
    if (!branch || branch === current) continue;
    const where = `branch ${branch}`;
    for (const name of (git(['ls-tree', '-d', '--name-only', `refs/heads/${branch}:${planning}/phases`], wt) ?? '').split('\n')) {
      const m = DIR_ID.exec(name);
      if (m) note(out, m[1]!, where);
    }
    fromRoadmap(out, git(['show', `refs/heads/${branch}:${planning}/ROADMAP.md`], wt), where);
  }
  // Other worktrees count with what they have not committed yet.
  for (const line of (git(['worktree', 'list', '--porcelain'], wt) ?? '').split('\n')) {
    if (!line.startsWith('worktree ')) continue;
    const other = resolve(line.slice('worktree '.length));
    if (other === resolve(wt)) continue;
    const where = `worktree ${other}`;
    try {
      for (const name of readdirSync(join(other, planning, 'phases'))) {
        const m = DIR_ID.exec(name);
        if (m) note(out, m[1]!, where);
      }
    } catch {
      // No phases folder there.
    }
    try {
      fromRoadmap(out, readFileSync(join(other, planning, 'ROADMAP.md'), 'utf8'), where);
    } catch {
      // No roadmap there.
    }
  }
  return out;
}
