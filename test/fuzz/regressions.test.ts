/**
 * Every bug `npm run fuzz` found, kept as a fixture written here (test/fixtures/fuzz/), run
 * through the fuzz property: `<what>--<file name>` is read as that file of a project, alone and
 * with a minimal project around it.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { repoRoot } from '../support/corpus.ts';
import { checkBytes, readerFor } from './harness.ts';

const dir = join(repoRoot, 'test/fixtures/fuzz');
const fixtures = readdirSync(dir).filter((n) => n.includes('--')).sort();

/** Where a fixture named `<what>--<file>` sits in a project. */
function pathOf(name: string): string {
  const file = name.slice(name.indexOf('--') + 2);
  if (/^\d+-\d+-(PLAN|SUMMARY)\.md$/.test(file)) return `.planning/phases/${file.slice(0, 2)}-fuzz/${file}`;
  if (file.startsWith('todo-')) return `.planning/todos/pending/${file.slice(5)}`;
  return `.planning/${file}`;
}

const PROJECT = new Map([['.planning/ROADMAP.md', '# Roadmap\n\n- [ ] **Phase 1: Setup**\n\n### Phase 1: Setup\n**Plans**: 1 plans\n']]);

describe('fuzz regressions', () => {
  it('has fixtures', () => expect(fixtures.length).toBeGreaterThan(0));

  it.each(fixtures)('%s', async (name) => {
    const rel = pathOf(name);
    expect(readerFor(rel)).not.toBeNull();
    const bytes = readFileSync(join(dir, name));
    await checkBytes(rel, bytes, null);
    await checkBytes(rel, bytes, PROJECT);
  });

  it('an indented code block after a BOM starts after the BOM (found by seed 7)', () => {
    const doc = parseMarkdown(readFileSync(join(dir, 'bom-indented-code--01-01-PLAN.md'), 'utf8'));
    expect(doc.hasBom).toBe(true);
    expect(doc.blocks[0]).toMatchObject({ kind: 'code', fence: null, span: { start: 1 } });
    expect(doc.text.slice(doc.blocks[0]!.span.start, doc.blocks[0]!.span.end)).toMatch(/^ {4}npm run build\r?\n?$/);
  });
});
