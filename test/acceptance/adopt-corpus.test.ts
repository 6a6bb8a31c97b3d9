/**
 * Acceptance: `cairn adopt` on every corpus repository and seed, each on a temp copy. Adoption moves
 * STATE.md's history into the ledger, so what `status` reports must not move: same decision total,
 * open/resolved blockers, pending todos and last session before and after. It prints its counts per
 * kind, a second run imports nothing and changes no byte, and the STATE.md sections Cairn does not
 * own come out byte-identical.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasCorpus, walkFiles } from '../support/corpus.ts';
import { corpusProjectCases, remove } from '../support/cli.ts';
import { cairnInProcess as cairn } from '../support/cli-in-process.ts';
import { freeSections } from '../support/state-sections.ts';

const KINDS = ['decisions', 'blockers', 'blockersResolved', 'todos', 'sessions', 'phaseMetrics'] as const;
type Counts = Record<(typeof KINDS)[number], number>;

interface Status {
  decisions: { total: number };
  blockers: { open: number; resolved: number };
  todos: { pending: number };
  session: { last: string | null; stoppedAt: string | null; resumeFile: string | null } | null;
}

/** Every file's path and content hash: one changed byte anywhere changes the map. */
function treeHash(root: string): Map<string, string> {
  return new Map(walkFiles(root).map((p) => [p.slice(root.length), createHash('sha256').update(readFileSync(p)).digest('hex')]));
}

async function status(root: string): Promise<Status> {
  const r = await cairn(['status', root, '--json']);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Status;
}

/** The numbers adoption must preserve. */
function observed(s: Status) {
  return {
    decisions: s.decisions.total,
    blockersOpen: s.blockers.open,
    blockersResolved: s.blockers.resolved,
    todosPending: s.todos.pending,
    session: s.session ? { last: s.session.last ?? null, stoppedAt: s.session.stoppedAt ?? null, resumeFile: s.session.resumeFile ?? null } : null,
  };
}

function imported(stdout: string): Counts {
  const out = JSON.parse(stdout) as { result: { imported: Counts } };
  for (const k of KINDS) expect(typeof out.result.imported[k], `imported.${k}`).toBe('number');
  return out.result.imported;
}

const cases = corpusProjectCases();

describe.skipIf(!hasCorpus())('adopt on every corpus repository and seed', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach(remove));

  for (const c of cases) {
    it(c.name, async () => {
      const root = c.make();
      roots.push(root);
      const statePath = join(root, '.planning/STATE.md');
      const original = existsSync(statePath) ? readFileSync(statePath, 'utf8') : null;
      const before = observed(await status(root));

      // The dry run writes nothing and announces exactly what the real run then imports.
      const pristine = treeHash(root);
      const dry = await cairn(['adopt', '--dir', root, '--dry-run', '--json']);
      expect(dry.code, dry.stderr).toBe(0);
      const planned = imported(dry.stdout);
      expect(treeHash(root)).toEqual(pristine);

      const first = await cairn(['adopt', '--dir', root]);
      expect(first.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(first.code, first.stderr).toBe(0);
      if (KINDS.some((k) => planned[k] > 0)) {
        const text = first.stdout.replace(/\s+/g, ' ');
        expect(text).toContain(`${planned.decisions} decision(s)`);
        expect(text).toContain(`${planned.blockers} blocker(s) (${planned.blockersResolved} resolved)`);
        expect(text).toContain(`${planned.todos} todo(s)`);
        expect(text).toContain(`${planned.sessions} session(s)`);
        expect(text).toContain(`${planned.phaseMetrics} phase metric row(s)`);
      } else {
        expect(first.stdout).toMatch(/Nothing to import/);
      }
      // Everything STATE.md listed went into the ledger, nothing dropped or doubled.
      expect(planned.decisions).toBe(before.decisions);
      // Pending todos also count the todos/ folder's files, which stay files and are not imported.
      expect(planned.todos).toBeLessThanOrEqual(before.todosPending);
      expect(planned.blockersResolved).toBe(before.blockersResolved);
      expect(planned.sessions).toBe(before.session && (before.session.last || before.session.stoppedAt || before.session.resumeFile) ? 1 : 0);

      expect(observed(await status(root))).toEqual(before);

      const adopted = treeHash(root);
      const second = await cairn(['adopt', '--dir', root, '--json']);
      expect(second.code, second.stderr).toBe(0);
      const again = imported(second.stdout);
      for (const k of KINDS) expect(again[k], `second adopt imported ${k}`).toBe(0);
      expect(JSON.parse(second.stdout).result.alreadyAdopted).toBe(true);
      expect(treeHash(root)).toEqual(adopted);

      if (original !== null) expect(freeSections(readFileSync(statePath, 'utf8'))).toEqual(freeSections(original));
    });
  }
});
