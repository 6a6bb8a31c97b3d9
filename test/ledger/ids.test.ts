import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventIdTime, isEventId, newEventId } from '../../src/ledger/ids.ts';
import { startWorker } from '../store/spawn.ts';

describe('newEventId', () => {
  it('is 26 Crockford base32 characters starting with the millisecond time', () => {
    const now = new Date('2025-06-01T12:34:56.789Z');
    const id = newEventId(now);
    expect(isEventId(id)).toBe(true);
    expect(eventIdTime(id)).toBe(now.getTime());
    expect(newEventId(new Date(now.getTime() + 1)) > id).toBe(true);
  });

  it('is strictly increasing in one process, even for one instant or a clock stepping back', () => {
    const fixed = new Date('2025-06-01T00:00:00Z');
    const ids = Array.from({ length: 2000 }, (_, i) => newEventId(i % 3 === 2 ? new Date(fixed.getTime() - 5000) : fixed));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts after a floor from another writer', () => {
    const floor = newEventId(new Date('2030-01-01T00:00:00Z'));
    const id = newEventId(new Date('2025-01-01T00:00:00Z'), floor);
    expect(id > floor).toBe(true);
    expect(newEventId(new Date('2025-01-01T00:00:00Z'), 'not-an-id') > id).toBe(true);
  });

  it('refuses an invalid date', () => {
    expect(() => newEventId(new Date('nope'))).toThrow(RangeError);
  });

  // The second process's clock runs 5 s behind: only the floor (the file's last id) keeps order.
  it('ids sorted = creation order across 2 processes appending to one file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cairn-ids-'));
    try {
      mkdirSync(join(root, '.planning'));
      writeFileSync(join(root, '.planning/ids'), '');
      const workers = ['0', '5000'].map((skew) => startWorker('lock-worker.ts', ['ids', root, '60', skew]));
      const results = await Promise.all(workers.map((w) => w.exited));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const lines = readFileSync(join(root, '.planning/ids'), 'utf8').trim().split('\n').map((l) => l.split(' '));
      expect(lines).toHaveLength(120);
      expect(lines.map((l) => Number(l[0]))).toEqual(Array.from({ length: 120 }, (_, i) => i));
      const ids = lines.map((l) => l[1]!);
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(120);
      // Both processes really took turns.
      expect(new Set(lines.map((l) => l[2])).size).toBe(2);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
