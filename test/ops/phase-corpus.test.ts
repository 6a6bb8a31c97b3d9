/**
 * The phase operations on the real corpus. In process: on every repository, `phase add`, an
 * insert after every phase and a removal of every phase are decided (dry run), and each either
 * succeeds with a roadmap that re-reads with the expected ids or refuses for a stated reason.
 * With the built CLI, on temp copies of six repositories with different ROADMAP shapes: add,
 * insert twice, remove, then `cairn check` reports no new reader problems.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { readRoadmap } from '../../src/formats/roadmap/read.ts';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { derive } from '../../src/derive/index.ts';
import type { Context } from '../../src/ops/run.ts';
import { phaseAdd } from '../../src/ops/phase-add.ts';
import { phaseInsert } from '../../src/ops/phase-insert.ts';
import { phaseRemove } from '../../src/ops/phase-remove.ts';
import { comparePhaseIds, normalizePhaseId } from '../../src/model/ids.ts';
import { PreconditionError } from '../../src/model/errors.ts';
import { corpusDir, corpusRepos, hasCorpus } from '../support/corpus.ts';
import { copyProject, remove } from '../support/cli.ts';
import { cairn, cairnIn, releaseBin, type Run } from './cli.ts';

const NOW = new Date('2026-04-02T10:00:00.000Z');
const roots: string[] = [];
afterAll(() => {
  roots.forEach(remove);
  releaseBin();
});

function idsOf(text: string): string[] {
  return readRoadmap(parseMarkdown(text), 'ROADMAP.md').record.phases.map((p) => p.key);
}

/** Ids after removing integer phase `y` (GSD numbering: later integers and their decimals move down). */
function afterRemoval(ids: string[], y: string): string[] {
  const n = Number(y);
  return ids
    .filter((id) => id !== y)
    .map((id) => {
      const m = /^(\d+)(.*)$/.exec(id)!;
      return Number(m[1]) > n ? `${Number(m[1]) - 1}${m[2]}` : id;
    });
}

const sorted = (xs: string[]) => [...xs].sort(comparePhaseIds);

describe.skipIf(!hasCorpus())('phase operations decided on every corpus repository', () => {
  for (const repo of corpusRepos()) {
    it(`${repo}: add, insert after every phase, remove every phase`, async () => {
      const ws = await loadWorkspace(join(corpusDir!, repo));
      const ctx: Context = { root: ws.root, now: NOW, ws, state: derive(ws, NOW) };
      const path = ws.roadmap?.path ?? '.planning/ROADMAP.md';
      const before = ws.roadmap ? ws.roadmap.record.phases.map((p) => p.key) : [];

      const added = phaseAdd(ctx, { name: 'Cairn Added Phase', slug: 'cairn-added' });
      const id = added.result.phase as string;
      expect(sorted(idsOf(added.files.get(path)!))).toEqual(sorted([...before, id]));

      const refusals = new Set<string>();
      for (const p of ws.roadmap?.record.phases ?? []) {
        if (p.key !== p.id) continue;
        const ins = phaseInsert(ctx, { after: p.id, name: 'Cairn Hotfix' });
        const newId = ins.result.phase as string;
        expect(newId.startsWith(`${p.id}.`)).toBe(true);
        expect(sorted(idsOf(ins.files.get(path)!))).toEqual(sorted([...before, newId]));
        try {
          const rm = phaseRemove(ctx, { id: p.id, force: true });
          const map = new Map((rm.result.renumbered as { from: string; to: string }[]).map((x) => [x.from, x.to]));
          const expected = before.filter((k) => k !== p.id).map((k) => map.get(k) ?? k);
          const text = rm.files.get(path);
          if (typeof text === 'string') expect(sorted(idsOf(text))).toEqual(sorted(expected));
          for (const [from, to] of map) expect(normalizePhaseId(to)).not.toBe(normalizePhaseId(from));
        } catch (e) {
          expect(e).toBeInstanceOf(PreconditionError);
          const why = (e as Error).message;
          expect(why).toMatch(/has inserted phases|shares its numbers with archived phases/);
          refusals.add(why.replace(/[\d.]+/g, 'N').slice(0, 40));
        }
      }
    });
  }
});

interface Plan {
  repo: string;
  shape: string;
  insertAfter: string;
  removeId: string;
  slug?: string;
}

const PLANS: Plan[] = [
  { repo: 'fisherd80__Listarr', shape: 'heading-based, no phase list or table', insertAfter: '11', removeId: '7' },
  { repo: 'msfstef__crossing-words', shape: 'checkbox list inside <details>, no details blocks', insertAfter: '8', removeId: '4' },
  { repo: '0xc0re__godot-mcp', shape: '<details> milestones, active milestone without a block', insertAfter: '7', removeId: '5' },
  { repo: 'deletexiumu__hivemind', shape: 'Chinese, headings and a 完成度 table', insertAfter: '6', removeId: '3', slug: 'data-quality' },
  { repo: 'allanpk716__ai-commit-hub', shape: 'Chinese folder names, milestone heading blocks', insertAfter: '4', removeId: '6' },
  { repo: 'VitalPointAI__Hopper', shape: 'decimal-heavy (1.5.1 … 5.1)', insertAfter: '9', removeId: '7' },
];

async function problems(run: (args: string[]) => Promise<Run>, root: string): Promise<Map<string, number>> {
  const r = await run(['check', root, '--json']);
  const doc = JSON.parse(r.stdout) as { diagnostics: { rule: string; severity: string }[] };
  const out = new Map<string, number>();
  for (const d of doc.diagnostics) {
    // Drift between the views and the files is what the operations fix, not a reader problem.
    if (d.severity === 'info' || d.rule.endsWith('-drift')) continue;
    const k = `${d.severity} ${d.rule}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

function roadmapIds(root: string): string[] {
  return idsOf(readFileSync(join(root, '.planning', 'ROADMAP.md'), 'utf8'));
}

function phaseDirs(root: string): string[] {
  return readdirSync(join(root, '.planning', 'phases')).sort();
}

describe.skipIf(!hasCorpus())('phase add / insert / remove with the CLI on corpus copies', () => {
  // One copy (the smallest run) goes through the built binary end to end; the others run main()
  // in process: a child process per command paid Node startup and a cold parse every time.
  const SPAWNED = '0xc0re__godot-mcp';
  for (const plan of PLANS) {
    const spawned = plan.repo === SPAWNED;
    const run = spawned ? async (args: string[]): Promise<Run> => cairn(args) : cairnIn;
    it(`${plan.repo} (${plan.shape})${spawned ? ' [built binary]' : ''}`, async () => {
      const src = join(corpusDir!, plan.repo);
      expect(existsSync(src)).toBe(true);
      const root = copyProject(src);
      roots.push(root);
      const baseline = await problems(run, root);
      const before = roadmapIds(root);

      const add = await run(['phase', 'add', 'Cairn Added Phase', '--slug', plan.slug ?? 'cairn-added', '--json', '-C', root]);
      expect(add.stderr).toBe('');
      const added = JSON.parse(add.stdout).result.phase as string;
      expect(sorted(roadmapIds(root))).toEqual(sorted([...before, added]));
      expect(existsSync(join(root, '.planning', 'phases', `${added.padStart(2, '0')}-${plan.slug ?? 'cairn-added'}`))).toBe(true);
      const status = JSON.parse((await run(['status', root, '--json'])).stdout) as { phases: { id: string }[] };
      expect(status.phases.map((p) => p.id)).toContain(added);

      const first = JSON.parse((await run(['phase', 'insert', plan.insertAfter, 'Cairn Hotfix One', '--json', '-C', root])).stdout).result.phase as string;
      const second = JSON.parse((await run(['phase', 'insert', plan.insertAfter, 'Cairn Hotfix Two', '--json', '-C', root])).stdout).result.phase as string;
      expect(comparePhaseIds(first, second)).toBeLessThan(0);
      const afterInserts = roadmapIds(root);
      expect(sorted(afterInserts)).toEqual(sorted([...before, added, first, second]));
      const text = readFileSync(join(root, '.planning', 'ROADMAP.md'), 'utf8');
      expect(text.indexOf('Cairn Hotfix One')).toBeLessThan(text.indexOf('Cairn Hotfix Two'));

      const rm = await run(['phase', 'remove', plan.removeId, '--force', '-C', root]);
      expect(rm.stderr).toBe('');
      expect(rm.code).toBe(0);
      expect(sorted(roadmapIds(root))).toEqual(sorted(afterRemoval(afterInserts, plan.removeId)));
      // Exactly one folder per phase id: the removed folder is gone and renamed ones do not collide.
      const dirIds = phaseDirs(root).map((d) => /^(\d+(?:\.\d+)*)-/.exec(d)?.[1]).filter((x): x is string => x !== undefined).map((x) => normalizePhaseId(x)!);
      expect(new Set(dirIds).size).toBe(dirIds.length);

      const after = await problems(run, root);
      for (const [rule, n] of after) expect({ rule, n }).toEqual({ rule, n: Math.min(n, baseline.get(rule) ?? 0) });
    });
  }
});
