import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProject } from '../../bench/generate.ts';
import { walkFiles } from '../support/corpus.ts';

const temp = mkdtempSync(join(tmpdir(), 'cairn-generate-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const snapshot = (root: string) =>
  Object.fromEntries(walkFiles(root).map((f) => [f.slice(root.length), readFileSync(f, 'utf8')]));

describe('bench/generate', () => {
  it('writes a tiny project whose ROADMAP lists every phase and whose files exist', async () => {
    const root = join(temp, 'tiny');
    const result = await generateProject(root, { phases: 3, plansPerPhase: 2, seed: 7 });
    const planning = join(root, '.planning');
    expect(result).toMatchObject({ phases: 3, plans: 6 });
    for (const f of ['PROJECT.md', 'ROADMAP.md', 'STATE.md']) expect(existsSync(join(planning, f)), f).toBe(true);

    const dirs = readdirSync(join(planning, 'phases')).sort();
    expect(dirs).toHaveLength(3);
    dirs.forEach((d, i) => expect(d).toMatch(new RegExp(`^0${i + 1}-[a-z0-9]+(?:-[a-z0-9]+)*$`)));
    const planFiles = dirs.flatMap((d) => readdirSync(join(planning, 'phases', d)).filter((f) => f.endsWith('-PLAN.md')));
    const summaryFiles = dirs.flatMap((d) => readdirSync(join(planning, 'phases', d)).filter((f) => f.endsWith('-SUMMARY.md')));
    expect(planFiles.sort()).toEqual(['01-01-PLAN.md', '01-02-PLAN.md', '02-01-PLAN.md', '02-02-PLAN.md', '03-01-PLAN.md', '03-02-PLAN.md']);
    // round(6 × 0.6) = 4 plans done, in roadmap order.
    expect(summaryFiles.sort()).toEqual(['01-01-SUMMARY.md', '01-02-SUMMARY.md', '02-01-SUMMARY.md', '02-02-SUMMARY.md']);
    expect(result.summaries).toBe(4);

    const roadmap = readFileSync(join(planning, 'ROADMAP.md'), 'utf8');
    expect(roadmap.match(/^- \[[ x]\] \*\*Phase \d+: /gm)).toHaveLength(3);
    expect(roadmap.match(/^### Phase \d+: /gm)).toHaveLength(3);
    expect(roadmap).toMatch(/^- \[x\] \*\*Phase 1: /m);
    expect(roadmap).toMatch(/^- \[ \] \*\*Phase 3: /m);
    expect(roadmap).toMatch(/^\| 2\. .* \| 2\/2 \| Complete \| \d{4}-\d{2}-\d{2} \|$/m);
    expect(roadmap).toMatch(/^\| 3\. .* \| 0\/2 \| Not started \| - \|$/m);

    const state = readFileSync(join(planning, 'STATE.md'), 'utf8');
    expect(state).toMatch(/^Phase: 3 of 3 \(/m);
    expect(state).toContain('Plan: 0 of 2 in current phase');
    expect(state).toContain('Progress: [███████░░░] 67%');
    expect(state).toContain('- Total plans completed: 4');
  });

  it('gives plans realistic frontmatter and summaries duration and completed fields', async () => {
    const root = join(temp, 'fields');
    await generateProject(root, { phases: 2, plansPerPhase: 4, seed: 3 });
    const phases = join(root, '.planning/phases');
    for (const dir of readdirSync(phases)) {
      for (const f of readdirSync(join(phases, dir))) {
        const text = readFileSync(join(phases, dir, f), 'utf8');
        expect(text.startsWith('---\n'), f).toBe(true);
        if (f.endsWith('-PLAN.md')) {
          expect(text).toMatch(new RegExp(`^phase: ${dir}$`, 'm'));
          expect(text).toMatch(/^wave: \d+$/m);
          expect(text).toMatch(/^depends_on: \[("\d+-\d+")?\]$/m);
          expect(text).toMatch(/^files_modified:\n {2}- /m);
          expect(text).toContain('<task type="');
        } else {
          expect(text).toMatch(/^duration: (\d+min|\d+ min|\d+m \d+s)$/m);
          expect(text).toMatch(/^completed: \d{4}-\d{2}-\d{2}$/m);
        }
      }
    }
  });

  it('uses three-digit directory names from phase 100 on', async () => {
    const root = join(temp, 'wide');
    await generateProject(root, { phases: 101, plansPerPhase: 1, seed: 1, doneRatio: 0 });
    const dirs = readdirSync(join(root, '.planning/phases'));
    expect(dirs.filter((d) => /^\d{3}-/.test(d)).map((d) => d.slice(0, 4)).sort()).toEqual(['100-', '101-']);
    expect(dirs.filter((d) => /^\d{2}-/.test(d))).toHaveLength(99);
    const hundred = dirs.find((d) => d.startsWith('100-'))!;
    expect(readdirSync(join(root, '.planning/phases', hundred))).toEqual(['100-01-PLAN.md']);
  });

  it('is deterministic for a seed and differs between seeds', async () => {
    const a = join(temp, 'a');
    const b = join(temp, 'b');
    const c = join(temp, 'c');
    await generateProject(a, { phases: 4, plansPerPhase: 3, seed: 42 });
    await generateProject(b, { phases: 4, plansPerPhase: 3, seed: 42 });
    await generateProject(c, { phases: 4, plansPerPhase: 3, seed: 43 });
    expect(snapshot(b)).toEqual(snapshot(a));
    expect(snapshot(c)).not.toEqual(snapshot(a));
  });

  it('refuses to write over an existing .planning folder and rejects bad sizes', async () => {
    const root = join(temp, 'tiny');
    await expect(generateProject(root, { phases: 1, plansPerPhase: 1 })).rejects.toThrow(/already exists/);
    await expect(generateProject(join(temp, 'bad'), { phases: 0, plansPerPhase: 1 })).rejects.toThrow(RangeError);
  });
});
