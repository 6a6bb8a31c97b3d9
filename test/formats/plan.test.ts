import { beforeAll, describe, expect, it } from 'vitest';
import { readPlan } from '../../src/formats/plan.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { hasCorpus } from '../support/corpus.ts';
import { corpusWhere, fixtureDoc, loadCorpus, withoutBlockTree } from './reader-support.ts';

const read = (name: string) => readPlan(withoutBlockTree(fixtureDoc('plan', name)), `.planning/phases/x/${name}`);

describe('readPlan fixtures', () => {
  it('reads a full GSD plan', () => {
    const { record, diagnostics } = read('full.md');
    expect(diagnostics).toEqual([]);
    expect(record).toMatchObject({
      hasFrontmatter: true,
      phase: '02-calendar',
      plan: '03',
      type: 'execute',
      wave: 2,
      dependsOn: ['02-01', '02-02'],
      filesModified: ['src/calendar.ts', 'test/calendar.test.ts'],
      requirements: ['CAL-01', 'CAL-02'],
      autonomous: false,
      taskCount: 3,
      objective: 'Render the weekly calendar from parsed tide rows.',
      // The `# not a title` comment inside the bash fence is skipped.
      title: 'Phase 2 Plan 3: Weekly calendar',
    });
    expect(record.mustHaves).toEqual({
      truths: ['The weekly view shows seven days'],
      artifacts: [{ path: 'src/calendar.ts', provides: 'weekly layout' }],
    });
  });

  it('keeps ids as written where YAML would read numbers, and coerces loose scalars', () => {
    const { record, diagnostics } = read('numeric-ids.md');
    expect(diagnostics).toEqual([]);
    expect(record.phase).toBe('01.10');
    expect(record.plan).toBe('01');
    expect(record.dependsOn).toEqual(['01', '02']);
    expect(record.wave).toBe(2);
    expect(record.autonomous).toBe(true);
    expect(record.filesModified).toEqual(['src/one-file.ts']);
    expect(record.requirements).toEqual(['AUTH-01', 'AUTH-02']);
    // A TDD plan counts its <feature> blocks when it has no <task>.
    expect(record.taskCount).toBe(1);
    expect(record.objective).toBe('Write the parser first.');
  });

  it('reads a plan without frontmatter: `### Task N` headings, H1 title', () => {
    const { record, diagnostics } = read('no-frontmatter.md');
    expect(diagnostics).toEqual([]);
    expect(record).toMatchObject({ hasFrontmatter: false, phase: null, wave: null, dependsOn: [], taskCount: 2, title: 'Plan 14-01: Router cleanup' });
  });

  it('reports an unterminated frontmatter and still reads its key lines', () => {
    const { record, diagnostics } = read('unterminated.md');
    expect(diagnostics.map((d) => [d.rule, d.line])).toEqual([['frontmatter-unterminated', 1]]);
    expect(record).toMatchObject({ phase: '03-sync', plan: '01', wave: 1, taskCount: 1, title: 'Plan without a closing fence' });
  });

  it('reports frontmatter that is not a mapping', () => {
    const { record, diagnostics } = read('not-mapping.md');
    expect(diagnostics.map((d) => d.rule)).toEqual(['frontmatter-invalid']);
    expect(record.hasFrontmatter).toBe(false);
    expect(record.taskCount).toBe(1);
  });

  it('reports duplicate keys, the last one winning', () => {
    const { record, diagnostics } = read('duplicate-keys.md');
    expect(diagnostics.map((d) => [d.rule, d.line, d.severity])).toEqual([['frontmatter-duplicate-key', 6, 'warning']]);
    expect(record.wave).toBe(3);
  });

  it('reports a wave that is not a whole number', () => {
    const { record, diagnostics } = read('bad-wave.md');
    expect(diagnostics.map((d) => [d.rule, d.line])).toEqual([['plan-wave-invalid', 4]]);
    expect(record.wave).toBeNull();
    expect(record.dependsOn).toEqual(['04-01']);
  });

  it('reads the key lines of YAML that does not parse, like GSD does', () => {
    const { record, diagnostics } = read('yaml-error.md');
    expect(diagnostics.map((d) => [d.rule, d.line])).toEqual([['frontmatter-invalid', 7]]);
    expect(record).toMatchObject({ phase: '05-deps', plan: '01', wave: 1, autonomous: true, filesModified: ['@scope/pkg/index.ts', 'src/b.ts'] });
  });

  it('the guard used here really forbids the block tree', () => {
    const doc = withoutBlockTree(fixtureDoc('plan', 'full.md'));
    expect(() => doc.blocks).toThrow(/doc\.blocks/);
    expect(() => doc.allSections()).toThrow(/allSections/);
  });

  it('never throws on hostile input', () => {
    for (const text of ['', '---', '---\n---\n', '\uFEFF---\nwave: [\n---\n<task', '<objective>', '<objective>\n\n', '# \n#\n```\n# x']) {
      expect(() => readPlan(withoutBlockTree(parseMarkdown(text)), 'x')).not.toThrow();
    }
  });
});

describe.skipIf(!hasCorpus())('readPlan over every corpus *-PLAN.md', () => {
  let results: Array<{ rel: string; text: string } & ReturnType<typeof readPlan>> = [];
  beforeAll(() => {
    results = corpusWhere((_rel, name) => name.endsWith('-PLAN.md')).map((f) => {
      const { rel, text, doc } = loadCorpus(f);
      return { rel, text, ...readPlan(withoutBlockTree(doc), rel) };
    });
  });

  it('reads all of them without touching the block tree', () => {
    expect(results.length).toBeGreaterThan(1200);
  });

  it('yields a numeric wave for every plan with a `wave:` key', () => {
    const withWave = results.filter((r) => /^---\r?\n[\s\S]*?^wave:/m.test(r.text));
    expect(withWave.length).toBeGreaterThan(600);
    expect(withWave.filter((r) => typeof r.record.wave !== 'number').map((r) => r.rel)).toEqual([]);
  });

  it('keeps `phase` and `plan` exactly as written (padding included)', () => {
    const differs: string[] = [];
    for (const r of results) {
      for (const key of ['phase', 'plan'] as const) {
        const m = new RegExp(`^${key}:[ \\t]*(.*)$`, 'm').exec(r.text);
        if (!m) continue;
        const written = m[1]!.trim().replace(/^"(.*)"$/, '$1');
        if (r.record[key] !== written) differs.push(`${r.rel} ${key}: ${written} → ${r.record[key]}`);
      }
    }
    expect(differs).toEqual([]);
  });

  it('reads every non-empty depends_on list, each item a plan id or a bare number', () => {
    const listed = results.filter((r) => /^depends_on:[ \t]*\[[ \t]*[^\]\s]/m.test(r.text));
    expect(listed.length).toBeGreaterThan(290);
    expect(listed.filter((r) => r.record.dependsOn.length === 0).map((r) => r.rel)).toEqual([]);
    const shapes = new Set(results.flatMap((r) => r.record.dependsOn.map((d) => d.replace(/\d+/g, 'N'))));
    expect([...shapes].sort()).toEqual(['N', 'N-N', 'N.N-N']);
  });

  it('counts tasks in every plan except the three prose plans that have none', () => {
    expect(results.filter((r) => r.record.taskCount === 0).map((r) => r.rel).sort()).toEqual([
      '0xc0re__godot-mcp/.planning/v2.1-PLAN.md',
      'mbarnson__caseycraps/.planning/phases/07-variable-place-bets/07-01-PLAN.md',
      'mbarnson__caseycraps/.planning/phases/07-variable-place-bets/07-02-PLAN.md',
    ]);
  });

  it('finds the objective of every plan that has an <objective> block', () => {
    const withObjective = results.filter((r) => r.text.includes('<objective>'));
    expect(withObjective.length).toBeGreaterThan(1200);
    expect(withObjective.filter((r) => r.record.objective === null).map((r) => r.rel)).toEqual([]);
  });

  it('reports only the two truly broken frontmatters', () => {
    const diags = results.flatMap((r) => r.diagnostics.map((d) => `${r.rel} ${d.rule}`));
    expect(diags.sort()).toEqual([
      'allanpk716__ai-commit-hub/.planning/phases/07-auto-update-detection-fix/07-01-PLAN.md frontmatter-invalid',
      'merlinkraemer__prunr/.planning/phases/05-settings-polish/05-01-PLAN.md frontmatter-unterminated',
    ]);
  });
});
