import { describe, expect, it } from 'vitest';
import { parseMarkdown, parseYamlFrontmatter } from '../../src/markdown/index.ts';

describe('parseYamlFrontmatter', () => {
  it('reads a mapping with the core schema: dates and times stay strings', () => {
    const doc = parseMarkdown('---\nphase: 02-core\nplan: 01\ncompleted: 2026-02-06\nlast_updated: "2026-02-28T04:19:05.766Z"\nprogress:\n  total_plans: 7\n  percent: 43\ntags: [a, b]\n---\n# Body\n');
    const { data, problem } = parseYamlFrontmatter(doc);
    expect(problem).toBeNull();
    expect(data).toEqual({
      phase: '02-core',
      plan: 1,
      completed: '2026-02-06',
      last_updated: '2026-02-28T04:19:05.766Z',
      progress: { total_plans: 7, percent: 43 },
      tags: ['a', 'b'],
    });
  });

  it('tolerates duplicate keys, the last one winning', () => {
    const { data, problem } = parseYamlFrontmatter(parseMarkdown('---\nstatus: planning\nstatus: complete\n---\n'));
    expect(problem).toBeNull();
    expect(data).toEqual({ status: 'complete' });
  });

  it('returns null data without a problem when there is no frontmatter or it is empty', () => {
    expect(parseYamlFrontmatter(parseMarkdown('# no frontmatter\n'))).toEqual({ data: null, problem: null });
    expect(parseYamlFrontmatter(parseMarkdown('---\n---\n'))).toEqual({ data: null, problem: null });
  });

  it('reports invalid YAML with an offset inside the frontmatter', () => {
    const text = '---\nphase: 1\nbad: [unclosed\nother: x\n---\n';
    const doc = parseMarkdown(text);
    const { data, problem } = parseYamlFrontmatter(doc);
    expect(data).toBeNull();
    expect(problem).not.toBeNull();
    expect(problem!.offset).toBeGreaterThanOrEqual(doc.frontmatter!.contentSpan.start);
    expect(problem!.offset).toBeLessThanOrEqual(doc.frontmatter!.contentSpan.end);
    expect(problem!.message).toMatch(/YAML/);
  });

  it('reports a frontmatter that is not a mapping', () => {
    const { data, problem } = parseYamlFrontmatter(parseMarkdown('---\n- a\n- b\n---\n'));
    expect(data).toBeNull();
    expect(problem?.message).toMatch(/mapping/);
  });

  it('reads CRLF and BOM frontmatter', () => {
    const { data } = parseYamlFrontmatter(parseMarkdown('\uFEFF---\r\nstatus: complete\r\nduration: 3min\r\n---\r\n'));
    expect(data).toEqual({ status: 'complete', duration: '3min' });
  });
});
