/**
 * `cairn phase complete`: the phase.completed event (engine time, canonical id), refusal while
 * plans lack a SUMMARY (listing them) unless --force, twice = once (same bytes), and the views:
 * the ROADMAP checkbox and progress row follow from derive() once the event is recorded.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { phaseComplete } from '../../src/ops/phase-complete.ts';
import { PreconditionError, UsageError } from '../../src/model/errors.ts';
import { cairn, cairnIn, releaseBin } from './cli.ts';
import { remove } from '../support/cli.ts';
import { ctxOf, lanternProject, NOW, snapshot } from './phase-fixture.ts';

const roots: string[] = [];
afterAll(() => {
  roots.forEach(remove);
  releaseBin();
});
function project(extra: Record<string, string> = {}): string {
  const root = lanternProject(extra);
  roots.push(root);
  return root;
}

const SUMMARY = (dir: string, plan: string) => `---\nphase: ${dir}\nplan: ${plan}\nduration: 5min\ncompleted: 2026-03-20\n---\n\n# Summary\n\n**Done.**\n`;

describe('phase complete (decision)', () => {
  it('records phase.completed with the engine time for a phase whose plans are all summarised', async () => {
    const root = project({ '.planning/phases/03-search/03-01-SUMMARY.md': SUMMARY('03-search', '01') });
    const change = phaseComplete(await ctxOf(root), { id: '03' });
    expect(change.files.size).toBe(0);
    expect(change.events).toEqual([expect.objectContaining({ type: 'phase.completed', phase: '3', at: NOW.toISOString(), source: 'cli' })]);
    expect(change.result).toMatchObject({ phase: '3', name: 'Search', alreadyComplete: false, plans: { done: 1, total: 1 }, plansWithoutSummary: [] });
    expect(change.summary[0]).toBe('Phase 3 (Search) complete (1/1 plans).');
  });

  it('refuses while plans have no SUMMARY, listing them; --force records it anyway and says which', async () => {
    const ctx = await ctxOf(project());
    const missing = /phase 2 has 2 plan\(s\) without a SUMMARY: \.planning\/phases\/02-storage\/02-01-PLAN\.md, \.planning\/phases\/02-storage\/02-02-PLAN\.md/;
    expect(() => phaseComplete(ctx, { id: '2' })).toThrow(PreconditionError);
    expect(() => phaseComplete(ctx, { id: '2' })).toThrow(missing);
    const forced = phaseComplete(ctx, { id: '2', force: true });
    expect(forced.events).toHaveLength(1);
    expect(forced.result).toMatchObject({ plansWithoutSummary: ['.planning/phases/02-storage/02-01-PLAN.md', '.planning/phases/02-storage/02-02-PLAN.md'] });
    expect(forced.summary[1]).toMatch(/^Completed with --force: 2 plan\(s\) have no SUMMARY/);
  });

  it('is a no-op once the ledger holds the completion', async () => {
    const ledger = '{"id":"01J0000000000000000000000A","at":"2026-03-30T00:00:00.000Z","type":"phase.completed","phase":"3","source":"cli"}\n';
    const ctx = await ctxOf(project({ '.planning/events.jsonl': ledger }));
    const change = phaseComplete(ctx, { id: '3' });
    expect(change.events).toEqual([]);
    expect(change.files.size).toBe(0);
    expect(change.result).toMatchObject({ alreadyComplete: true, completedAt: '2026-03-30T00:00:00.000Z' });
  });

  it('refuses unknown phases (listing them) and non-ids', async () => {
    const ctx = await ctxOf(project());
    expect(() => phaseComplete(ctx, { id: '6' })).toThrow(UsageError);
    expect(() => phaseComplete(ctx, { id: '6' })).toThrow('unknown phase 6; the phases are 1, 2, 2.1, 3, 4, 4.1, 5');
    expect(() => phaseComplete(ctx, { id: 'three' })).toThrow(/"three" is not a phase id/);
  });
});

describe('phase complete (CLI)', () => {
  it('twice leaves the same bytes as once; the checkbox and progress row follow', () => {
    const root = project({ '.planning/phases/03-search/03-01-SUMMARY.md': SUMMARY('03-search', '01') });
    const first = cairn(['phase', 'complete', '3', '-C', root]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Phase 3 (Search) complete (1/1 plans).');
    const once = snapshot(root);
    const events = once['.planning/events.jsonl']!.trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toEqual([expect.objectContaining({ type: 'phase.completed', phase: '3' })]);
    const roadmap = once['.planning/ROADMAP.md']!;
    expect(roadmap).toContain('- [x] **Phase 3: Search** - queries');
    expect(roadmap).toMatch(/\| 3\. Search \| 1\/1 \| Complete \| 2026-03-20 \|/);

    const second = cairn(['phase', 'complete', '3', '-C', root]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Phase 3 \(Search\) was already recorded complete at .*; nothing changed\./);
    expect(snapshot(root)).toEqual(once);
  });

  it('a phase completed with --force shows as complete though plans are open', async () => {
    const root = project();
    const r = await cairnIn(['phase', 'complete', '4.1', '--force', '--json', '-C', root]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.result).toMatchObject({ phase: '4.1', plansWithoutSummary: ['.planning/phases/04.1-export-fixes/04.1-01-PLAN.md'] });
    expect(readFileSync(join(root, '.planning/ROADMAP.md'), 'utf8')).toContain('- [x] **Phase 4.1: Export Fixes**');
  });

  it('--dry-run shows the ledger line and the views, and writes nothing', async () => {
    const root = project({ '.planning/phases/03-search/03-01-SUMMARY.md': SUMMARY('03-search', '01') });
    const before = snapshot(root);
    const r = await cairnIn(['phase', 'complete', '3', '--dry-run', '-C', root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+++ b/.planning/events.jsonl');
    expect(r.stdout).toContain('"type":"phase.completed"');
    expect(snapshot(root)).toEqual(before);
  });

  it.each([
    { label: 'plans without SUMMARY', args: ['2'], code: 3, message: /without a SUMMARY: .*02-01-PLAN\.md/ },
    { label: 'unknown phase', args: ['6'], code: 2, message: /unknown phase 6; the phases are 1, 2, 2\.1, 3, 4, 4\.1, 5/ },
    { label: 'missing id', args: [], code: 2, message: /a phase id is missing/ },
  ])('$label → exit $code, nothing changed', async ({ args, code, message }) => {
    const root = project();
    const before = snapshot(root);
    const r = await cairnIn(['phase', 'complete', ...args, '-C', root]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(snapshot(root)).toEqual(before);
  });
});
