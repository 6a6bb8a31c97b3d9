import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { median } from '../../src/model/median.ts';

describe('median', () => {
  it.each<[number[], number]>([
    [[3], 3],
    [[5, 1], 3],
    [[9, 1, 5], 5],
    [[10, 2, 4, 8], 6],
    [[0.5, 0.25, 100], 0.5],
  ])('%j → %d', (xs, m) => {
    expect(median(xs)).toBe(m);
  });

  it('is NaN for no numbers', () => {
    expect(median([])).toBeNaN();
  });

  it('agrees with a comparator sort and leaves its input untouched', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 60 }), (xs) => {
        const copy = [...xs];
        const s = [...xs].sort((a, b) => a - b);
        const k = s.length >> 1;
        const expected = s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
        // `===`, not Object.is: the typed sort may put -0 and 0 in another order, both read as 0.
        expect(median(xs) === expected).toBe(true);
        expect(xs).toEqual(copy);
      }),
    );
  });
});
