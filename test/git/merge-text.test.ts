/** The hunk rules of the merge driver, on small hand-made conflicts (the end-to-end runs are in branches.test.ts). */
import { describe, expect, it } from 'vitest';
import { lineKey, resolveConflicts } from '../../src/git/merge-text.ts';

const hunk = (ours: string[], base: string[], theirs: string[]) =>
  ['before\n', '<<<<<<< ours\n', ...ours.map((l) => `${l}\n`), '||||||| base\n', ...base.map((l) => `${l}\n`), '=======\n', ...theirs.map((l) => `${l}\n`), '>>>>>>> theirs\n', 'after\n'].join('');

describe('merge-text', () => {
  it('keys progress rows, checkboxes and milestones by id, STATE fields by name', () => {
    expect(lineKey('| 2.1. Hotfix | 0/1 | Not started | - |', 'roadmap')).toBe('row:2.1');
    expect(lineKey('| 02 | 1/2 |', 'roadmap')).toBe(lineKey('| 2. Two | 2/2 |', 'roadmap'));
    expect(lineKey('- [x] **Phase 3: Three**', 'roadmap')).toBe('phase:3');
    expect(lineKey('- ✅ **v1.0 First** - Phases 1-3', 'roadmap')).toBe('milestone:v1.0');
    expect(lineKey('Status: Ready', 'state')).toBe('field:status');
    expect(lineKey('Status: Ready', 'roadmap')).toBeNull();
    expect(lineKey('Plain prose.', 'state')).toBeNull();
  });

  it('takes our row for a phase both sides know and adds theirs new phases in phase order', () => {
    const out = resolveConflicts(hunk(['| 1. One | 2/4 |', '| 3. Three | 0/4 |'], ['| 1. One | 0/4 |', '| 3. Three | 0/4 |'], ['| 1. One | 1/4 |', '| 2.1 Hotfix | 0/1 |', '| 3. Three | 0/4 |']), 'roadmap');
    expect(out).toBe('before\n| 1. One | 2/4 |\n| 2.1 Hotfix | 0/1 |\n| 3. Three | 0/4 |\nafter\n');
  });

  it('keeps a deletion over an edit of the same lines, and keeps what the other side inserted', () => {
    const base = ['### Phase 2: Two', '**Plans**: 2/4'];
    const out = resolveConflicts(hunk([], base, ['### Phase 2: Two', '**Plans**: 3/4', '', '### Phase 5: New']), 'roadmap');
    expect(out).not.toContain('Phase 2');
    expect(out).not.toContain('3/4');
    expect(out).toContain('### Phase 5: New');
  });

  it('keeps a shipped milestone shipped whichever side is ours', () => {
    const base = ['- 🚧 **v1.0 First** - Phases 1-3 (in progress)'];
    const late = ['- 🚧 **v1.0 First** - Phases 1-3.1 (in progress)'];
    const shipped = ['- ✅ **v1.0 First** - Phases 1-3 (shipped 2026-12-01)'];
    expect(resolveConflicts(hunk(late, base, shipped), 'roadmap')).toContain(shipped[0]);
    expect(resolveConflicts(hunk(shipped, base, late), 'roadmap')).toContain(shipped[0]);
    expect(resolveConflicts(hunk(late, base, shipped), 'roadmap')).not.toContain('🚧');
  });

  it('unions prose and leaves text without markers alone; refuses markers it cannot pair', () => {
    expect(resolveConflicts(hunk(['ours line'], ['old'], ['theirs line']), 'state')).toBe('before\nours line\ntheirs line\nafter\n');
    expect(resolveConflicts('no conflict\n', 'state')).toBe('no conflict\n');
    expect(resolveConflicts('<<<<<<< ours\nx\n', 'state')).toBeNull();
  });

  it('takes ours in STATE.md sections cairn renders, and unions the sections people write', () => {
    const owned = `# State\n\n### Decisions\n\n<<<<<<< ours\n- A 2\n- (4 more in the ledger)\n||||||| base\n- (3 more in the ledger)\n=======\n- B 2\n- (5 more in the ledger)\n>>>>>>> theirs\n`;
    expect(resolveConflicts(owned, 'state')).toBe('# State\n\n### Decisions\n\n- A 2\n- (4 more in the ledger)\n');
    const free = `# State\n\n## Notes\n\n<<<<<<< ours\nmine\n||||||| base\nold\n=======\nyours\n>>>>>>> theirs\n`;
    expect(resolveConflicts(free, 'state')).toBe('# State\n\n## Notes\n\nmine\nyours\n');
  });
});
