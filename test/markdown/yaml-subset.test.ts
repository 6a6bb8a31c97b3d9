/**
 * The fast YAML subset reader must return exactly what the `yaml` package returns (core schema)
 * whenever it accepts a document, and decline the rest. Checked over every frontmatter of the
 * corpus and over generated documents mixing the constructs planning files use.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { parseYamlSubset } from '../../src/markdown/yaml-subset.ts';
import { corpusDir, corpusRelative, hasCorpus, walkFiles } from '../support/corpus.ts';

function full(raw: string): { ok: true; value: unknown } | { ok: false } {
  const doc = parseDocument(raw, { schema: 'core', uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) return { ok: false };
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
}

/** Mutations per run; `CAIRN_YAML_SUBSET_RUNS=400000` for a long hunt (rare disagreements were found so). */
const RUNS = Number(process.env.CAIRN_YAML_SUBSET_RUNS) || 5000;

/** When the subset accepts `raw`, yaml accepts it too and reads the same value. */
function agreesWhenAccepted(raw: string): void {
  const fast = parseYamlSubset(raw);
  if (!fast.ok) return;
  const reference = full(raw);
  expect(reference.ok).toBe(true);
  if (reference.ok) expect(fast.value).toEqual(reference.value);
}

describe.skipIf(!hasCorpus())('yaml subset reader over the corpus', () => {
  it('agrees with the yaml package on every frontmatter it accepts', () => {
    const files = corpusDir ? walkFiles(corpusDir).filter((f) => /\.(md|txt)$/.test(f)) : [];
    let frontmatters = 0;
    let accepted = 0;
    const disagreements: string[] = [];
    for (const file of files) {
      const doc = parseMarkdown(readFileSync(file, 'utf8'));
      if (!doc.frontmatter) continue;
      frontmatters++;
      const fast = parseYamlSubset(doc.frontmatter.raw);
      if (!fast.ok) continue;
      accepted++;
      const reference = full(doc.frontmatter.raw);
      if (!reference.ok) disagreements.push(`${corpusRelative(file)}: accepted, but yaml reports an error`);
      else if (JSON.stringify(fast.value) !== JSON.stringify(reference.value)) {
        try {
          expect(fast.value).toEqual(reference.value);
        } catch (err) {
          disagreements.push(`${corpusRelative(file)}: ${(err as Error).message.split('\n')[0]}`);
        }
      }
    }
    console.log(`[yaml subset] ${accepted}/${frontmatters} corpus frontmatters read by the subset reader, the rest by yaml`);
    expect(frontmatters).toBeGreaterThan(1500);
    expect(disagreements).toEqual([]);
  });
});

describe.skipIf(!hasCorpus())('yaml subset reader over mutated corpus frontmatter', () => {
  // Edits that hit the reader's edge cases: indicators, quotes, comments, indentation, blanks
  // JavaScript trims but YAML keeps, tabs, CRLF.
  const pieces = [' ', ':', '-', '#', '"', "'", '[', ']', ',', '{', '\n', '  ', 'a', '1', '.', '\\', '\r\n', '\u00a0', '\t', '@', '|', '>', '- ', ': ', ' #', 'é', '\u2028', '\x01'];
  const raws = corpusDir
    ? walkFiles(corpusDir)
        .filter((f) => f.endsWith('.md'))
        .map((f) => parseMarkdown(readFileSync(f, 'utf8')).frontmatter?.raw)
        .filter((r): r is string => r !== undefined)
    : [];
  const edit = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.oneof(fc.constantFrom(...pieces), fc.integer({ min: 1, max: 3 })));

  it('returns what yaml returns whenever it accepts', () => {
    fc.assert(
      fc.property(fc.nat(raws.length - 1), fc.array(edit, { minLength: 1, maxLength: 3 }), (index, edits) => {
        let raw = raws[index]!;
        for (const [where, what] of edits) {
          const at = Math.floor(where * raw.length);
          raw = typeof what === 'string' ? raw.slice(0, at) + what + raw.slice(at) : raw.slice(0, at) + raw.slice(at + what);
        }
        agreesWhenAccepted(raw);
      }),
      { numRuns: RUNS },
    );
  }, Math.max(60_000, RUNS * 2)); // ~0.6 ms a case: a long hunt gets the time it needs

  it('leaves documents with tabs, control characters or blanks JavaScript trims to yaml', () => {
    for (const raw of ['a: b\u00a0\n', 'a:\u00a0b\n', '\u00a0a: b\n', 'a: b\tc\n', 'a: b\x01\n', 'a: b\u2028c\n', 'a: b\rc\n', '\ufeffa: b\n']) {
      expect(parseYamlSubset(raw), JSON.stringify(raw)).toEqual({ ok: false });
    }
    expect(parseYamlSubset('a: b\r\nc: [1, "x"]\r\n')).toEqual({ ok: true, value: { a: 'b', c: [1, 'x'] } });
  });

  it('leaves a key that holds a comment to yaml (found by this property: `-\' #phase: 08-user-albums`)', () => {
    for (const raw of ["-' #phase: 08-user-albums\nplan: FIX1\n", 'a #b: c\n']) {
      // yaml reports an error, or reads the text before ` #` alone (`a`): never the key.
      expect(parseYamlSubset(raw), JSON.stringify(raw)).toEqual({ ok: false });
    }
    expect(full("-' #phase: 08-user-albums\nplan: FIX1\n").ok).toBe(false);
    expect(full('a #b: c\n')).toEqual({ ok: true, value: 'a' });
    expect(parseYamlSubset('a#b: c\n')).toEqual({ ok: true, value: { 'a#b': 'c' } });
  });

  it('leaves a flow sequence with an empty entry to yaml (found by this property: `[a, b, ,c]`)', () => {
    for (const raw of ['s: [a, b, ,c]\n', 's: [, a]\n', 's: [a,,b]\n']) {
      expect(parseYamlSubset(raw), JSON.stringify(raw)).toEqual({ ok: false });
      expect(full(raw).ok, JSON.stringify(raw)).toBe(false);
    }
    expect(parseYamlSubset('s: [a, b, ]\n')).toEqual({ ok: true, value: { s: ['a', 'b'] } });
    expect(full('s: [a, b, ]\n')).toEqual({ ok: true, value: { s: ['a', 'b'] } });
  });
});

describe('yaml subset reader: generated documents', () => {
  const key = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,12}$/);
  const scalarText = fc.oneof(
    fc.constantFrom('3min', '2026-02-06', '2026-02-28T04:19:05.766Z', '01', '1.5', '-2', 'true', 'False', 'null', '~', '', '0x1F', '0o17', '1e3', '"quoted: yes"', "'single ''q'''", 'a # comment', 'a#b', 'v1.0', '[a, b]', '[]', '"\\u00e9 \\n"', 'Phase 2: Core', '~2 min', '@at', '*star', '>', '|', '{a: 1}', '- x'),
    fc.stringMatching(/^[A-Za-z0-9 ._/-]{0,20}$/),
  );
  const entry = fc.oneof(
    fc.tuple(key, scalarText).map(([k, v]) => `${k}: ${v}`.trimEnd()),
    fc.tuple(key, fc.array(scalarText, { minLength: 1, maxLength: 4 })).map(([k, items]) => `${k}:\n${items.map((i) => `  - ${i}`.trimEnd()).join('\n')}`),
    fc.tuple(key, fc.array(fc.tuple(key, scalarText), { minLength: 1, maxLength: 3 })).map(
      ([k, pairs]) => `${k}:\n${pairs.map(([a, b]) => `  ${a}: ${b}`.trimEnd()).join('\n')}`,
    ),
    fc.tuple(key, fc.array(fc.tuple(key, scalarText), { minLength: 1, maxLength: 3 })).map(
      ([k, pairs]) => `${k}:\n${pairs.map(([a, b], i) => `${i === 0 ? '  - ' : '    '}${a}: ${b}`.trimEnd()).join('\n')}`,
    ),
    fc.constantFrom('# a comment line', ''),
  );

  it('returns what yaml returns whenever it accepts', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), (entries) => {
        const raw = entries.join('\n') + '\n';
        agreesWhenAccepted(raw);
      }),
      { numRuns: 3000 },
    );
  });
});
