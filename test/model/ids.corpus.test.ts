/**
 * Every phase directory and every file under `phases/` and `milestones/` of the real corpus,
 * read with the id functions. The distinct name shapes and what they parse to are recorded in
 * `__snapshots__/corpus-plan-files.txt` (review it when it changes: `npx vitest run -u`).
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { corpusDir, corpusRepos, hasCorpus, walkFiles } from '../support/corpus.ts';
import {
  NON_PLAN_ARTIFACTS,
  comparePhaseIds,
  normalizePhaseId,
  padPhaseId,
  parsePhaseDirName,
  parsePlanFileName,
  planKey,
} from '../../src/model/ids.ts';

interface Entry {
  repo: string;
  rel: string; // inside .planning/
  dir: string; // containing directory name
  name: string;
  path: string;
}

function treeFiles(repo: string): Entry[] {
  const planning = join(corpusDir!, repo, '.planning');
  const roots = ['phases', 'milestones'].map((r) => join(planning, r)).filter((r) => existsSync(r));
  return roots.flatMap((root) =>
    walkFiles(root).map((path) => {
      const rel = path.slice(planning.length + 1).split(/[\\/]/);
      return { repo, rel: rel.join('/'), dir: rel.at(-2)!, name: rel.at(-1)!, path };
    }),
  );
}

/** Phase directories: children of `phases/` and of `milestones/<v>-phases/`, plus nested ones inside non-numeric folders. */
function phaseDirs(repo: string): string[] {
  const planning = join(corpusDir!, repo, '.planning');
  const out: string[] = [];
  const list = (d: string) =>
    existsSync(d) ? readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];
  for (const name of list(join(planning, 'phases'))) {
    out.push(name);
    if (parsePhaseDirName(name).id === null) out.push(...list(join(planning, 'phases', name)));
  }
  for (const m of list(join(planning, 'milestones'))) if (/-phases$/.test(m)) out.push(...list(join(planning, 'milestones', m)));
  return out;
}

/** The INDEX.md repository table: folder → plans, summaries (its `*PLAN.md` / `*-SUMMARY.md` counts). */
function indexCounts(): Map<string, { plans: number; summaries: number }> {
  const text = readFileSync(join(corpusDir!, 'INDEX.md'), 'utf8');
  const out = new Map<string, { plans: number; summaries: number }>();
  for (const line of text.split('\n')) {
    const m = /^\| `([^`]+__[^`]+)` \|/.exec(line);
    if (!m) continue;
    const cells = line.split('|').map((c) => c.trim());
    out.set(m[1]!, { plans: Number(cells[8]), summaries: Number(cells[9]) });
  }
  return out;
}

function shape(name: string): string {
  return name
    .replace(/^\d+[A-Za-z]?(?:\.\d+)*-\d+(?=[-.]|$)/, '<P>-<NN>')
    .replace(/^\d+[A-Za-z]?(?:\.\d+)*(?=-)/, '<P>');
}

describe.skipIf(!hasCorpus())('ids against the corpus', () => {
  const repos = corpusRepos();
  const files = repos.flatMap(treeFiles);

  it('finds the whole tree', () => {
    expect(repos.length).toBe(25);
    expect(files.length).toBeGreaterThan(3000);
  });

  it('counts plans and summaries exactly as INDEX.md does, per repository', () => {
    const index = indexCounts();
    expect(index.size).toBe(25);
    for (const repo of repos) {
      const mine = files.filter((f) => f.repo === repo);
      const plans = mine.filter((f) => f.name.endsWith('PLAN.md'));
      const summaries = mine.filter((f) => f.name.endsWith('-SUMMARY.md'));
      for (const f of plans) expect(parsePlanFileName(f.name), f.rel).toEqual(expect.objectContaining({ kind: 'plan', planId: f.name.slice(0, -'-PLAN.md'.length) }));
      for (const f of summaries) expect(parsePlanFileName(f.name), f.rel).toEqual(expect.objectContaining({ kind: 'summary', planId: f.name.slice(0, -'-SUMMARY.md'.length) }));
      expect({ repo, plans: plans.length, summaries: summaries.length }).toEqual({ repo, ...index.get(repo) });
    }
  });

  it('never reads a per-phase document as a plan', () => {
    const unsuffixedPlans: string[] = [];
    for (const f of files) {
      const r = parsePlanFileName(f.name);
      const stem = f.name.replace(/\.md$/i, '');
      const words = stem.toUpperCase().split('-');
      if (r === null) {
        // Nothing that declares itself a plan in frontmatter is dropped.
        const head = readFileSync(f.path, 'utf8').slice(0, 400);
        expect(/^---\r?\n(?:[^\n]*\n)*?plan:\s*\S/.test(head) && /^type:\s*(?:fix|execute|enhancement|tdd)\s*$/m.test(head), f.rel).toBe(false);
        continue;
      }
      if (/-(?:PLAN|SUMMARY)\.md$/i.test(f.name)) continue;
      unsuffixedPlans.push(f.rel);
      expect(r.kind).toBe('plan');
      // Every unsuffixed plan is a plan-fix/enhancement plan or a slug-named plan, and says so inside.
      expect(words.some((w) => NON_PLAN_ARTIFACTS.has(w) && w !== 'UAT'), f.rel).toBe(false);
      const text = readFileSync(f.path, 'utf8');
      expect(/^type:\s*(?:fix|enhancement)\s*$/m.test(text) || /^# (?:Phase \S+ )?Plan \d+/m.test(text), f.rel).toBe(true);
    }
    // 43 `-NN-FIX.md` + the FIX2/FIX3/FIXn/ENH1/UAT-FIX variants + 2 slug-named Focus-Os plans.
    expect(unsuffixedPlans.filter((p) => p.startsWith('phases/') || p.startsWith('milestones/')).length).toBe(unsuffixedPlans.length);
    expect(unsuffixedPlans.filter((p) => /-\d+-[a-z][a-z-]*\.md$/.test(p)).sort()).toEqual([
      'phases/01-backend-foundation/01-04-realtime-sync.md',
      'phases/02-goals/02-01-goals-smart-rpm.md',
    ]);
    for (const kind of ['CONTEXT', 'RESEARCH', 'VERIFICATION', 'VALIDATION', 'UAT', 'ISSUES', 'SMOKETEST', 'USER-SETUP']) {
      const docs = files.filter((f) => f.name.toUpperCase().endsWith(`-${kind}.MD`));
      expect(docs.length, kind).toBeGreaterThan(0);
      for (const f of docs) expect(parsePlanFileName(f.name), f.rel).toBeNull();
    }
  });

  it('files inside a numeric phase directory belong to that phase', () => {
    for (const f of files) {
      const r = parsePlanFileName(f.name);
      const d = parsePhaseDirName(f.dir);
      if (r && r.phaseId !== null && d.id !== null) expect(r.phaseId, f.rel).toBe(d.id);
    }
  });

  it('pairs every summary with its plan by planKey wherever the directory has plans', () => {
    let pairs = 0;
    const byDir = new Map<string, Entry[]>();
    for (const f of files) {
      const key = `${f.repo}/${f.rel.slice(0, -f.name.length)}`;
      const list = byDir.get(key);
      if (list) list.push(f);
      else byDir.set(key, [f]);
    }
    const orphans: string[] = [];
    for (const [dir, list] of byDir) {
      const parsed = list.map((f) => parsePlanFileName(f.name)).filter((r) => r !== null);
      const plans = new Set(parsed.filter((r) => r.kind === 'plan').map((r) => planKey(r.planId)));
      if (plans.size === 0) continue;
      for (const s of parsed.filter((r) => r.kind === 'summary')) {
        if (plans.has(planKey(s.planId))) pairs++;
        else orphans.push(`${dir}${s.planId}`);
      }
    }
    expect(pairs).toBeGreaterThan(1200);
    // The one summary in the corpus whose plan file was never written.
    expect(orphans).toEqual(['VitalPointAI__Hopper/phases/04-execution-commands/04-01-FIX-FIX-FIX-FIX-FIX-FIX-FIX-FIX']);
  });

  it('gives every numeric phase directory an id consistent with its name', () => {
    let numeric = 0;
    const nonNumeric: string[] = [];
    for (const repo of repos) {
      for (const name of phaseDirs(repo)) {
        const { id, slug } = parsePhaseDirName(name);
        if (/^\d/.test(name)) {
          numeric++;
          expect(id, `${repo}/${name}`).not.toBeNull();
          const token = name.slice(0, name.length - slug.length).replace(/-$/, '');
          expect(normalizePhaseId(token)).toBe(id);
          expect(padPhaseId(id!).length).toBeGreaterThanOrEqual(token.replace(/^0+(?=\d)/, '').length);
        } else {
          expect({ id, slug }).toEqual({ id: null, slug: name });
          nonNumeric.push(`${repo}/${name}`);
        }
      }
    }
    expect(numeric).toBeGreaterThan(450);
    expect(nonNumeric.sort()).toEqual(['VitalPointAI__Hopper/post-m1-enhancements', 'merlinkraemer__prunr/_archived-full-window-app']);
  });

  it('orders each repository’s phase directories totally and consistently with their numbers', () => {
    const tuple = (id: string) => id.replace(/[A-Z]/g, '').split('.').map(Number);
    for (const repo of repos) {
      const ids = [...new Set(phaseDirs(repo).map((n) => parsePhaseDirName(n).id).filter((x) => x !== null))];
      const problems: string[] = [];
      for (const a of ids)
        for (const b of ids) {
          const ab = Math.sign(comparePhaseIds(a, b));
          const ba = Math.sign(comparePhaseIds(b, a));
          if (ab !== (-ba || 0)) problems.push(`${a} vs ${b}: not antisymmetric`);
          if ((ab === 0) !== (a === b)) problems.push(`${a} vs ${b}: equal ids must be identical`);
          const ta = tuple(a);
          const tb = tuple(b);
          let want = 0;
          for (let i = 0; i < Math.max(ta.length, tb.length) && want === 0; i++) {
            if (ta[i] === undefined) want = -1;
            else if (tb[i] === undefined) want = 1;
            else want = Math.sign(ta[i]! - tb[i]!);
          }
          if (want !== 0 && ab !== want) problems.push(`${a} vs ${b}: ${ab}, numbers say ${want}`);
        }
      expect(problems, repo).toEqual([]);
      const sorted = [...ids].sort(comparePhaseIds);
      for (let i = 1; i < sorted.length; i++) expect(comparePhaseIds(sorted[i - 1]!, sorted[i]!)).toBeLessThan(0);
    }
  });

  it('records what every file name shape parses to', async () => {
    const counts = new Map<string, number>();
    for (const f of files) {
      const r = parsePlanFileName(f.name);
      const key = r === null ? `-        ${shape(f.name)}` : `${r.kind.padEnd(8)} ${shape(f.name)} → ${r.planId === '' ? "''" : shape(r.planId)} (phase ${r.phaseId === null ? 'none' : '<P>'})`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const lines = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `${String(n).padStart(5)}  ${k}`);
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot('./__snapshots__/corpus-plan-files.txt');
  });
});
