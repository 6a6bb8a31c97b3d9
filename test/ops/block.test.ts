/**
 * `cairn block` / `cairn unblock`: blockers named by id, text prefix or list number; STATE.md-only
 * blockers imported before they are resolved (on hand-made and real corpus STATE.md files);
 * no-ops, exit codes, --dry-run and --json through the built CLI.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { derive } from '../../src/derive/index.ts';
import { runOperation, type Context } from '../../src/ops/run.ts';
import type { Change } from '../../src/ops/change.ts';
import { block, unblock } from '../../src/ops/block.ts';
import { UsageError } from '../../src/model/errors.ts';
import { corpusDir, corpusRepos, hasCorpus } from '../support/corpus.ts';
import { cairn, cairnIn, cairnInUnlessBytes, json } from './cli.ts';
import { NOW, STATE, apply, ctxOf, ledgerLines, projectsForThisFile, treeHash } from './project.ts';

const { project } = projectsForThisFile();


async function withBlockers() {
  const root = project();
  const ids: string[] = [];
  for (const text of ['Waiting for the sandbox keys', 'Waiting for legal review', 'CI runners are flaky | on arm64']) {
    ids.push(String((await apply(root, (ctx) => block(ctx, { text }))).change.result.blocker));
  }
  return { root, ids };
}

describe('block (decision)', () => {
  it('records blocker.raised whose blocker id is its own event id, text verbatim', async () => {
    const root = project();
    const ctx = await ctxOf(root);
    const c = block(ctx, { text: 'Keys `$1` | $& missing' });
    expect(c.events).toHaveLength(1);
    const e = c.events[0] as { id: string; type: string; blocker: string; text: string };
    expect(e).toMatchObject({ type: 'blocker.raised', text: 'Keys `$1` | $& missing', at: NOW.toISOString() });
    expect(e.blocker).toBe(e.id);
    expect(() => block(ctx, { text: '' })).toThrow(UsageError);
  });
});

describe('unblock (decision)', () => {
  it('by id (any case), by number in the open list, by unique text prefix', async () => {
    const { root, ids } = await withBlockers();
    const ctx = await ctxOf(root);
    expect(unblock(ctx, { ref: ids[2]!.toLowerCase() }).events[0]).toMatchObject({ type: 'blocker.resolved', blocker: ids[2] });
    expect(unblock(ctx, { ref: '2' }).events[0]).toMatchObject({ blocker: ids[1] });
    expect(unblock(ctx, { ref: 'ci runners' }).events[0]).toMatchObject({ blocker: ids[2] });
    expect(unblock(ctx, { ref: 'waiting for the SANDBOX' }).events[0]).toMatchObject({ blocker: ids[0] });
  });

  it('numbers follow the open list: after resolving the first, 1 is the next one', async () => {
    const { root, ids } = await withBlockers();
    await apply(root, (ctx) => unblock(ctx, { ref: '1' }));
    const ctx = await ctxOf(root);
    expect(ctx.state.blockers.items).toEqual(['Waiting for legal review', 'CI runners are flaky | on arm64']);
    expect(unblock(ctx, { ref: '1' }).events[0]).toMatchObject({ blocker: ids[1] });
  });

  it('is a no-op on a resolved blocker (by id or text)', async () => {
    const { root, ids } = await withBlockers();
    await apply(root, (ctx) => unblock(ctx, { ref: ids[0]! }));
    const ctx = await ctxOf(root);
    for (const ref of [ids[0]!, 'Waiting for the sandbox keys']) {
      const c = unblock(ctx, { ref });
      expect(c.events).toEqual([]);
      expect(c.result).toMatchObject({ alreadyResolved: true });
    }
  });

  it('refuses ambiguous prefixes, unknown refs and numbers out of range, listing the open blockers', async () => {
    const { root } = await withBlockers();
    const ctx = await ctxOf(root);
    expect(() => unblock(ctx, { ref: 'waiting' })).toThrow(/matches 2 open blockers/);
    expect(() => unblock(ctx, { ref: 'nothing like it' })).toThrow(/no blocker matches .* the open blockers are: /);
    expect(() => unblock(ctx, { ref: '4' })).toThrow(/no open blocker number 4; the open blockers are 1 to 3/);
    expect(() => unblock(ctx, { ref: '0' })).toThrow(UsageError);
    expect(() => unblock(ctx, { ref: '' })).toThrow(/which blocker\?/);
  });

  it('imports a blocker only STATE.md knows, then resolves it; STATE.md stops listing it', async () => {
    const root = project({
      '.planning/STATE.md': STATE.replace('### Blockers/Concerns\n\nNone yet.', '### Blockers/Concerns\n\n- [02-01]: Vendor API returns 500 on `$top`\n- Budget sign-off'),
    });
    const out = await apply(root, (ctx) => unblock(ctx, { ref: '[02-01]: vendor' }));
    // The runner first imports what STATE.md holds (the decision, both blockers, the session), then unblock resolves one.
    const raised = out.change.events.filter((e) => e.type === 'blocker.raised');
    expect(raised.map((e) => (e as { text: string }).text)).toEqual(['[02-01]: Vendor API returns 500 on `$top`', 'Budget sign-off']);
    expect(raised[0]).toMatchObject({ source: 'adopt', key: 'b:[02-01]: vendor api returns 500 on $top' });
    expect(out.change.events.at(-1)).toMatchObject({ type: 'blocker.resolved', blocker: raised[0]!.id, source: 'cli' });
    const state = readFileSync(join(root, '.planning/STATE.md'), 'utf8');
    expect(state).not.toContain('Vendor API');
    expect(state).toContain('- Budget sign-off');
    const after = derive(await loadWorkspace(root), NOW);
    expect(after.blockers).toMatchObject({ open: 1, resolved: 1, items: ['Budget sign-off'] });
  });
});

describe.skipIf(!hasCorpus())('unblock the first open blocker of every corpus repository that has one (dry run)', () => {
  it('imports and resolves it; the open count drops by one', async () => {
    let tried = 0;
    for (const repo of corpusRepos()) {
      const dir = join(corpusDir!, repo);
      const ctx = await ctxOf(dir);
      if (ctx.state.blockers.open === 0) continue;
      tried++;
      const out = await runOperation({ dir, command: 'test', dryRun: true, now: NOW, log: () => {} }, (c) => unblock(c, { ref: '1' }));
      expect(out.written).toBe(false);
      expect(out.change.events.at(-1), repo).toMatchObject({ type: 'blocker.resolved' });
      expect(out.after.blockers.open, repo).toBe(ctx.state.blockers.open - 1);
      expect(out.after.blockers.resolved, repo).toBe(ctx.state.blockers.resolved + 1);
    }
    expect(tried).toBeGreaterThan(3);
  });
});

describe('cairn block / unblock (CLI)', () => {
  it('block --json, status lists it, unblock by number, STATE.md view follows', () => {
    const root = project();
    const raised = json(cairn(['block', 'Sandbox keys | missing `$1`', '-C', root, '--json']));
    expect(raised.result).toMatchObject({ text: 'Sandbox keys | missing `$1`', open: 1 });
    expect(readFileSync(join(root, '.planning/STATE.md'), 'utf8')).toContain('- Sandbox keys | missing `$1`');
    expect(json(cairn(['status', root, '--json'])).blockers).toMatchObject({ open: 1, items: ['Sandbox keys | missing `$1`'] });
    const resolved = json(cairn(['unblock', '1', '-C', root, '--json']));
    expect(resolved.result).toMatchObject({ blocker: raised.result.blocker, alreadyResolved: false, open: 0 });
    expect(ledgerLines(root).map((e) => [e.type, e.blocker])).toEqual([
      ['blocker.raised', raised.result.blocker],
      ['blocker.resolved', raised.result.blocker],
    ]);
    expect(json(cairn(['status', root, '--json'])).blockers).toMatchObject({ open: 0, resolved: 1 });
    const hash = treeHash(root);
    const again = cairn(['unblock', String(raised.result.blocker), '-C', root]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already resolved/);
    expect(treeHash(root)).toBe(hash);
  });

  it('--dry-run writes nothing', async () => {
    const root = project();
    const hash = treeHash(root);
    const r = await cairnIn(['block', 'Maybe', '-C', root, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"type":"blocker.raised"');
    expect(treeHash(root)).toBe(hash);
  });

  it.each([
    ['block without text', ['block'], /the blocker is missing/],
    ['block with empty text', ['block', '  '], /the blocker is empty/],
    ['block with 5 KB', ['block', 'b'.repeat(5000)], /5,000 bytes/],
    ['block with invalid UTF-8', ['block', Buffer.from([0xe2, 0x28, 0xa1])], /not valid UTF-8/],
    ['unblock without ref', ['unblock'], /which blocker\?/],
    ['unblock unknown', ['unblock', 'nothing'], /no blocker matches/],
    ['unblock out of range', ['unblock', '7'], /no open blocker number 7/],
  ] as const)('%s → exit 2, no file changed', async (_name, args, message) => {
    const root = project();
    const hash = treeHash(root);
    const [cmd, ...rest] = args;
    const r = await cairnInUnlessBytes([cmd, '-C', root, ...rest]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(treeHash(root)).toBe(hash);
  });
});
