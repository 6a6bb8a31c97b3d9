import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/markdown/index.ts';
import type { Edit } from '../../src/markdown/index.ts';

/** Reference: apply edits one by one from the rightmost, by plain string slicing. */
function rightToLeft(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset || b.length - a.length)) {
    out = out.slice(0, e.offset) + e.text + out.slice(e.offset + e.length);
  }
  return out;
}

/** A text plus non-overlapping edits: cut points chosen in the text, each gap edited or left. */
const textWithEdits = fc
  .string({ unit: 'binary', maxLength: 200 })
  .chain((text) =>
    fc
      .uniqueArray(fc.integer({ min: 0, max: text.length }), { maxLength: 12 })
      .map((cuts) => cuts.sort((a, b) => a - b))
      .chain((cuts) => {
        const pairs: Array<[number, number]> = [];
        for (let i = 0; i + 1 < cuts.length; i += 2) pairs.push([cuts[i]!, cuts[i + 1]!]);
        // An odd cut becomes a pure insertion at that point.
        if (cuts.length % 2 === 1) pairs.push([cuts[cuts.length - 1]!, cuts[cuts.length - 1]!]);
        return fc.tuple(
          fc.constant(text),
          fc.tuple(...pairs.map(([a, b]) => fc.string({ maxLength: 8 }).map((t): Edit => ({ offset: a, length: b - a, text: t })))),
        );
      })
      .chain(([t, edits]) => fc.tuple(fc.constant(t), fc.shuffledSubarray(edits, { minLength: edits.length }))),
  );

describe('applyEdits', () => {
  it('gives the same result in any order as applying the edits right to left', () => {
    fc.assert(
      fc.property(textWithEdits, ([text, edits]) => {
        expect(applyEdits(text, edits)).toBe(rightToLeft(text, edits));
      }),
      { numRuns: 500 },
    );
  });

  it('throws RangeError on overlapping edits, whatever their order', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 60 }).chain((text) =>
          fc
            .tuple(fc.integer({ min: 0, max: text.length - 2 }), fc.integer({ min: 2, max: 10 }), fc.integer({ min: 1, max: 9 }))
            .map(([offset, len, shift]) => {
              const a: Edit = { offset, length: Math.min(len, text.length - offset), text: 'A' };
              const inside = offset + Math.min(shift, a.length - 1);
              const b: Edit = { offset: inside, length: Math.min(1, text.length - inside), text: 'B' };
              return { text, a, b };
            }),
        ),
        fc.boolean(),
        ({ text, a, b }, swap) => {
          expect(() => applyEdits(text, swap ? [b, a] : [a, b])).toThrow(RangeError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('throws RangeError on out-of-range edits and on two insertions at one offset', () => {
    expect(() => applyEdits('abc', [{ offset: 2, length: 2, text: '' }])).toThrow(RangeError);
    expect(() => applyEdits('abc', [{ offset: -1, length: 0, text: '' }])).toThrow(RangeError);
    expect(() => applyEdits('abc', [{ offset: 4, length: 0, text: '' }])).toThrow(RangeError);
    expect(() => applyEdits('abc', [{ offset: 1.5, length: 0, text: '' }])).toThrow(RangeError);
    expect(() => applyEdits('abc', [{ offset: 1, length: 0, text: 'x' }, { offset: 1, length: 0, text: 'y' }])).toThrow(RangeError);
  });

  it('places an insertion at a replaced range boundary outside the range', () => {
    const edits: Edit[] = [
      { offset: 1, length: 2, text: 'R' },
      { offset: 1, length: 0, text: '<' },
      { offset: 3, length: 0, text: '>' },
    ];
    expect(applyEdits('abcd', edits)).toBe('a<R>d');
    expect(applyEdits('abcd', [...edits].reverse())).toBe('a<R>d');
  });

  it('inserts replacement text verbatim, $ patterns included', () => {
    const text = 'Phase: 1 of 3';
    const weird = "$1 $& $` $' $$ $<name>";
    expect(applyEdits(text, [{ offset: 7, length: 1, text: weird }])).toBe(`Phase: ${weird} of 3`);
    expect(applyEdits(text, [])).toBe(text);
  });
});
