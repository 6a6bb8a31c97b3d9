import { describe, expect, it } from 'vitest';
import { readLenient } from '../../src/formats/frontmatter-fields.ts';

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
