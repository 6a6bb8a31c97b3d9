/** `cairn forecast`, the forecast line of `cairn status`, and `next` ordered by the critical path, as a user runs them. */
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { cairn, remove, tempProject } from '../support/cli.ts';
import { corpusDir, hasCorpus } from '../support/corpus.ts';

const roots: string[] = [];
afterAll(() => roots.forEach(remove));
const env = { CAIRN_NO_CACHE: '1' };

function project(done: number, pending: number): string {
  const files: Record<string, string> = {
    '.planning/ROADMAP.md': '# Roadmap\n\n- [ ] **Phase 1: Core**\n- [ ] **Phase 2: Later**\n\n### Phase 2: Later\n**Plans**: TBD\n',
  };
  for (let i = 1; i <= done + pending; i++) {
    const id = `01-${String(i).padStart(2, '0')}`;
    files[`.planning/phases/01-core/${id}-PLAN.md`] = '---\nphase: 01\n---\n# Plan\n';
    if (i <= done) files[`.planning/phases/01-core/${id}-SUMMARY.md`] = `---\nduration: ${10 + i} min\ncompleted: 2026-01-${String(i).padStart(2, '0')}\n---\n# Done\n`;
  }
  const root = tempProject(files);
  roots.push(root);
  return root;
}

describe('cairn forecast', () => {
  it('says not enough data below 8 completed plans, with exit 0 and the reason', () => {
    const root = project(5, 3);
    const r = cairn(['forecast', root, '--json'], { env });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.forecast.status).toBe('not enough data');
    expect(j.forecast.workHours).toBeNull();
    expect(j.forecast.notes.join(' ')).toMatch(/5 completed plan\(s\) with a duration, 8 needed/);
    const human = cairn(['forecast', root], { env }).stdout;
    expect(human).toContain('not enough data');
  });

  it('gives ranges, flags the TBD phase, and the same answer twice with --seed', () => {
    const root = project(12, 4);
    const a = JSON.parse(cairn(['forecast', root, '--json', '--seed', '7', '--samples', '2000'], { env }).stdout);
    const b = JSON.parse(cairn(['forecast', root, '--json', '--seed', '7', '--samples', '2000'], { env }).stdout);
    expect(a).toEqual(b);
    // Phase 2 has no count and no phase has finished: no estimate can be made, and it says so.
    expect(a.forecast.remaining.estimatedPhases).toEqual(['2']);
    expect(a.forecast.status).toBe('not enough data');
    expect(a.forecast.notes.join(' ')).toContain('no phase has finished');
    expect(a.criticalPath.phases.path).toEqual(['1', '2']);
  });

  it('rejects a bad --samples as usage', () => {
    const r = cairn(['forecast', project(1, 1), '--samples', 'many'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--samples takes an integer');
  });
});

describe.runIf(hasCorpus())('forecast on corpus repositories', () => {
  it('ardens: a range and dates, shown in status and status --json', () => {
    const root = join(corpusDir!, 'lbpfeil__ardens');
    const f = JSON.parse(cairn(['forecast', root, '--json'], { env }).stdout).forecast;
    expect(f.status).toBe('ok');
    expect(f.remaining.knownPlans).toBe(7);
    expect(f.inputs.durations).toBe(47);
    expect(f.workHours.p50).toBeLessThanOrEqual(f.workHours.p85);
    const status = JSON.parse(cairn(['status', root, '--json'], { env }).stdout);
    expect(status.forecast.remaining).toEqual(f.remaining);
    expect(status.progress.plans).toEqual({ done: 2, total: 9 });
    const human = cairn(['status', root], { env }).stdout;
    expect(human).toMatch(/^Forecast {3}7 plans left · [\d.]+–[\d.]+ h of work · done \d{4}-\d\d-\d\d \(P50\) – \d{4}-\d\d-\d\d \(P85\)$/m);
  });
});
