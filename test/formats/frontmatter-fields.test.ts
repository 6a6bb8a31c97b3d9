import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastYamlMapping, readLenient } from '../../src/formats/frontmatter-fields.ts';
import { parseMarkdown, parseYamlFrontmatter } from '../../src/markdown/index.ts';
import { hasCorpus } from '../support/corpus.ts';
import { corpusWhere, loadCorpus } from './reader-support.ts';

/** What the real parser makes of `raw` as frontmatter. */
function viaYaml(raw: string) {
  return parseYamlFrontmatter(parseMarkdown(`---\n${raw}\n---\n`));
}

describe('fastYamlMapping', () => {
  it('reads the GSD subset with YAML core-schema types', () => {
    const raw = [
      'phase: 01-foundation',
      'plan: 01',
      'wave: 2',
      'ratio: .5',
      'neg: -3',
      'version: 1.0',
      'autonomous: true',
      'flag: False',
      'nothing: ~',
      'empty:',
      'date: 2026-02-14',
      'time: 2026-01-17T12:21',
      'url: https://example.com/a#b',
      'title: Fix #12 now # trailing comment',
      'quoted: "a \\"b\\" \\\\ c"',
      "single: 'x: y'",
      'deps: ["01-01", 02, three]',
      'none: []',
      'list:',
      '  - a',
      '  - "b"',
      'compact:',
      '- x',
      '- y',
      'nested:',
      '  truths:',
      '    - "t"',
      '  artifacts:',
      '    - path: src/a.ts',
      '      provides: thing',
      '      exports: [a, b]',
      '    - path: src/b.ts',
      '  # a comment line',
      'yes: yes',
    ].join('\n');
    const fast = fastYamlMapping(raw);
    expect(fast).toEqual(viaYaml(raw).data);
    expect(fast).toMatchObject({ plan: 1, wave: 2, ratio: 0.5, version: 1, flag: false, nothing: null, empty: null, title: 'Fix', yes: 'yes' });
  });

  it('leaves everything outside the subset to the real parser', () => {
    for (const raw of [
      'a: |\n  text',
      'a: >\n  text',
      'a: &x 1\nb: *x',
      'a: !tag x',
      'a: {b: 1}',
      'a: [b, [c]]',
      'a: [b, c] # note',
      'a: "unterminated',
      'a: "\\x41"',
      "a: 'it''s'",
      'a: b: c',
      'a: 1e3',
      'a: 0x1F',
      'a: .inf',
      'a: @scope/pkg',
      'a: `code`',
      'a: plain\n  continued',
      '"quoted key": 1',
      '__proto__: 1',
      '- a\n- b',
      '  indented: 1',
      'a:\n\t- b',
      '',
    ]) {
      expect(fastYamlMapping(raw), raw).toBeUndefined();
    }
  });

  it('flags duplicate top-level keys, last one winning like the real parser', () => {
    const dup = { found: false };
    expect(fastYamlMapping('a: 1\nb:\n  c: 1\n  c: 2\na: 3', dup)).toEqual({ a: 3, b: { c: 2 } });
    expect(dup.found).toBe(true);
    const clean = { found: false };
    fastYamlMapping('a: 1\nb:\n  a: 2', clean);
    expect(clean.found).toBe(false);
  });

  it('agrees with the real parser on generated documents whenever it answers', () => {
    const atom = fc.oneof(
      fc.constantFrom('1', '01', '-2', '0.5', '.5', '1.', '1e3', 'true', 'TRUE', 'no', 'null', '~', '', '2026-02-14', 'a: b', 'a #c', 'x#y', '-', '- x', '@x', '"q"', "'s'", '"a\\\\b"', '"a\\"b"', '[a, b]', '[]', '{}', '|', 'a,b', '[a', 'C# code', 'http://x.y', '3min', '~8m'),
      fc.stringMatching(/^[ -~]{0,12}$/),
    );
    const key = fc.constantFrom('phase', 'plan', 'wave', 'depends_on', 'duration', 'completed', 'x', 'x-y', 'x_y');
    const entry = fc.oneof(
      fc.tuple(key, atom).map(([k, v]) => `${k}: ${v}`),
      fc.tuple(key, fc.array(atom, { maxLength: 3 })).map(([k, vs]) => `${k}:\n${vs.map((v) => `  - ${v}`).join('\n')}`),
      fc.tuple(key, fc.array(fc.tuple(key, atom), { maxLength: 3 })).map(([k, kvs]) => `${k}:\n${kvs.map(([a, v]) => `  ${a}: ${v}`).join('\n')}`),
      fc.tuple(key, key, atom, key, atom).map(([k, a, v, b, w]) => `${k}:\n  - ${a}: ${v}\n    ${b}: ${w}`),
    );
    let answered = 0;
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 5 }), (entries) => {
        const raw = entries.join('\n');
        const fast = fastYamlMapping(raw);
        if (fast === undefined) return;
        answered++;
        const real = viaYaml(raw);
        expect(real.problem, raw).toBeNull();
        expect(fast, raw).toEqual(real.data);
      }),
      { numRuns: 3000 },
    );
    // The property is not vacuous: the fast path answers for a good share of the documents.
    expect(answered).toBeGreaterThan(300);
  });
});

describe('readLenient', () => {
  it('reads key lines, flow lists, block lists, maps and list-of-map items without typing values', () => {
    const raw = 'wave: 1\nfiles: [@a/b, c]\nlist:\n  - x\n  - "y"\nmetrics:\n  duration: 3min\ndecisions:\n  - id: D1\n    choice: keep\nempty:';
    expect(readLenient(raw)).toEqual({
      wave: '1',
      files: ['@a/b', 'c'],
      list: ['x', 'y'],
      metrics: { duration: '3min' },
      decisions: [{ id: 'D1', choice: 'keep' }],
      empty: null,
    });
    expect(readLenient('  - just a list')).toBeNull();
  });
});

describe.skipIf(!hasCorpus())('fastYamlMapping over every frontmatter of the corpus', () => {
  it('agrees with the real parser on each file it reads, and reads ≥ 90 % of plan and summary frontmatters', () => {
    let planLike = 0;
    let planLikeFast = 0;
    let compared = 0;
    for (const f of corpusWhere((_rel, name) => name.endsWith('.md'))) {
      const { rel, doc } = loadCorpus(f);
      if (!doc.frontmatter) continue;
      const fast = fastYamlMapping(doc.frontmatter.raw);
      const isPlanLike = /-(PLAN|SUMMARY)\.md$/.test(rel);
      if (isPlanLike) planLike++;
      if (fast === undefined) continue;
      if (isPlanLike) planLikeFast++;
      const real = parseYamlFrontmatter(doc);
      expect(real.problem, rel).toBeNull();
      expect(fast, rel).toEqual(real.data);
      compared++;
    }
    expect(compared).toBeGreaterThan(2400);
    expect(planLikeFast / planLike).toBeGreaterThanOrEqual(0.9);
  });
});
