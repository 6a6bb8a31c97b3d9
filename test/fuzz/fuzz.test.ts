/**
 * Fuzzing the readers and the commands over mutated corpus files (see harness.ts): 2,000 cases
 * here; `npm run fuzz` runs 100,000. A failure prints fast-check's seed and path; reproduce with
 * `npm run fuzz -- --seed S --path P`.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasCorpus } from '../support/corpus.ts';
import { checkCase, describeCase, fuzzProperty, loadCorpus, mutate, type Mutation } from './harness.ts';

const corpus = loadCorpus();
const dec = new TextDecoder();
const bytes = (s: string) => new TextEncoder().encode(s);

describe('fuzz harness', () => {
  it('mutations do what they say', () => {
    const text = 'a\nb\nc\n';
    const run = (m: Mutation) => dec.decode(mutate(bytes(text), m));
    expect(run({ op: 'delete', at: 1, length: 2 })).toBe('a\nc\n');
    expect(run({ op: 'swapLines', a: 0, b: 2 })).toBe('c\nb\na\n');
    expect(run({ op: 'fence', line: 1, marker: '```' })).toBe('a\n```\nb\nc\n');
    expect(run({ op: 'frontmatter', line: 0, marker: '---' })).toBe('---\na\nb\nc\n');
    expect(run({ op: 'eol', style: 'crlf', every: 2 })).toBe('a\r\nb\nc\r\n');
    expect(mutate(bytes(text), { op: 'bom', at: 0 }).subarray(0, 3)).toEqual(Uint8Array.from([0xef, 0xbb, 0xbf]));
    expect(run({ op: 'bigTable', line: 3, rows: 10_000 }).split('\n')).toHaveLength(3 + 10_002 + 1);
    // Positions wrap around the length: 1000 % 7 = 6, the end of the text.
    expect(run({ op: 'insertText', at: 1000, text: '|' })).toBe('a\nb\nc\n|');
    expect(run({ op: 'insertBytes', at: 0, bytes: [0xff] }).startsWith('\ufffd')).toBe(true);
  });

  it('reads every corpus repository, every seed and the ledger as samples', () => {
    if (!hasCorpus()) return;
    expect(corpus.projects.length).toBeGreaterThanOrEqual(30);
    expect(corpus.samples.filter((s) => s.rel === '.planning/STATE.md').length).toBeGreaterThanOrEqual(25);
    expect(corpus.samples.some((s) => s.rel.endsWith('events.jsonl'))).toBe(true);
    expect(corpus.samples.some((s) => /SUMMARY\.md$/.test(s.rel))).toBe(true);
  });

  it('reports a failing case with its file and mutations', async () => {
    if (!hasCorpus()) return;
    const bad = { sample: corpus.samples.length + 5, mutations: [{ op: 'delete' as const, at: 0, length: 1 }], project: false };
    await expect(checkCase(corpus, bad)).rejects.toThrow();
    expect(describeCase(corpus, bad)).toBe(`sample ${bad.sample} ← [{"op":"delete","at":0,"length":1}]`);
  });
});

describe('fuzz: mutated corpus files', () => {
  it('2,000 cases: readers never throw, toString() is exact, status/check never fail internally', async () => {
    if (!hasCorpus()) return;
    await fc.assert(fuzzProperty(corpus), { numRuns: 2000, seed: 20260315 });
  });
});
