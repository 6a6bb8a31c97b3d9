import { beforeAll, describe, expect, it } from 'vitest';
import { readTodo } from '../../src/formats/todo.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { hasCorpus } from '../support/corpus.ts';
import { corpusWhere, fixtureDoc, loadCorpus } from './reader-support.ts';

const read = (name: string, dir = 'pending') => readTodo(fixtureDoc('todo', name), `.planning/todos/${dir}/${name}`);

describe('readTodo fixtures', () => {
  it('reads a pending todo', () => {
    const { record, diagnostics } = read('pending.md');
    expect(diagnostics).toEqual([]);
    expect(record).toEqual({ title: 'Add a dark theme', titleSource: 'frontmatter', created: '2026-02-01T10:00', area: 'ui', completed: null, priority: 'high' });
  });

  it('reads the `completed:` line GSD prepends before the frontmatter', () => {
    const { record, diagnostics } = read('completed-prepended.md', 'completed');
    expect(record).toEqual({ title: 'Pick a licence', titleSource: 'frontmatter', created: '2026-01-30T09:15:00Z', area: 'general', completed: '2026-02-03', priority: null });
    expect(diagnostics.map((d) => [d.rule, d.severity, d.line])).toEqual([['frontmatter-not-at-start', 'info', 1]]);
  });

  it('reads `completed` inside the frontmatter', () => {
    expect(read('frontmatter-completed.md', 'done').record).toMatchObject({ title: 'Ship the beta', created: '2026-01-10', completed: '2026-01-12' });
  });

  it('falls back to the first heading, then to the file name', () => {
    expect(read('heading-title.md').record).toMatchObject({ title: 'Fix the flaky export test', titleSource: 'heading', created: null });
    expect(read('2026-02-04-bare-note.md').record).toMatchObject({ title: '2026-02-04-bare-note', titleSource: 'file' });
  });

  it('keeps ` #word` in an unquoted title, as GSD (which has no YAML comments) does', () => {
    expect(read('hash-title.md').record.title).toBe('Remove #Preview blocks from release builds');
  });

  it('never throws on hostile input', () => {
    for (const text of ['', 'completed: x\n---\n', 'a: 1\nb: 2\n---\ntitle: [\n---\n', '---\ntitle:\n  - a\n---\n', '\uFEFFcompleted: 2026-01-01\n---\n---\n']) {
      expect(() => readTodo(parseMarkdown(text), 'todos/pending/x.md')).not.toThrow();
    }
  });
});

describe.skipIf(!hasCorpus())('readTodo over every corpus todo', () => {
  let results: Array<{ rel: string } & ReturnType<typeof readTodo>> = [];
  beforeAll(() => {
    results = corpusWhere((rel, name) => /\/todos\/(pending|done|completed)\//.test(rel) && name.endsWith('.md')).map((f) => {
      const { rel, doc } = loadCorpus(f);
      return { rel, ...readTodo(doc, rel) };
    });
  });

  it('reads all of them with title, created date and area from the frontmatter, and no diagnostics', () => {
    expect(results.length).toBeGreaterThan(30);
    expect(results.filter((r) => r.record.titleSource !== 'frontmatter' || !r.record.created || !r.record.area).map((r) => r.rel)).toEqual([]);
    expect(results.flatMap((r) => r.diagnostics)).toEqual([]);
  });

  it('dates every todo on the day its file name carries', () => {
    const mismatched = results.filter((r) => {
      const day = /\/(\d{4}-\d{2}-\d{2})-[^/]+$/.exec(r.rel)?.[1];
      return day !== undefined && !r.record.created!.startsWith(day);
    });
    expect(mismatched.map((r) => `${r.rel} ${r.record.created}`)).toEqual([]);
  });

  it('reads a title that YAML would cut at ` #`', () => {
    const t = results.find((r) => r.rel.endsWith('2026-01-15-remove-preview-blocks-add-swiftlint-rule.md'));
    expect(t?.record.title).toBe('Remove #Preview blocks and add SwiftLint rule');
  });
});
