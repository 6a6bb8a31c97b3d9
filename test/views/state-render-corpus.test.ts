/**
 * Every real STATE.md: the repository's own workspace is loaded and derived, STATE.md is rendered,
 * and the render must keep every free byte, fit the budget, be a fixed point and read back as
 * derived. Seeds are rendered in a temp project that holds only their STATE.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { derive } from '../../src/derive/index.ts';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { corpusDir, corpusRepos, corpusSeeds, hasCorpus } from '../support/corpus.ts';
import { remove, tempProject } from '../support/cli.ts';
import { checkRender } from './state-render-support.ts';

async function renderProject(root: string) {
  const ws = await loadWorkspace(root);
  expect(ws.state, 'STATE.md was loaded').not.toBeNull();
  const s = derive(ws);
  return { source: ws.state!.doc.text, s, r: checkRender(ws.state!.doc.text, s) };
}

describe.skipIf(!hasCorpus())('STATE.md render over the corpus', () => {
  const repos = corpusRepos().filter((r) => existsSync(join(corpusDir!, r, '.planning/STATE.md')));
  const temps: string[] = [];
  afterAll(() => temps.forEach(remove));

  it('covers the 24 repositories that have a STATE.md and the 5 seeds', () => {
    expect(repos.length).toBe(24);
    expect(corpusSeeds().length).toBe(5);
  });

  for (const repo of repos) {
    it(repo, async () => {
      const { source, r } = await renderProject(join(corpusDir!, repo));
      // Every corpus file is in some other dialect or out of date: rendering changes it.
      expect(r.edits.length).toBeGreaterThan(0);
      expect(r.text).not.toBe(source);
    });
  }

  for (const seed of corpusSeeds()) {
    it(`seed ${basename(seed).slice(0, 3)}`, async () => {
      const root = tempProject({ '.planning/STATE.md': readFileSync(seed) });
      temps.push(root);
      const { r } = await renderProject(root);
      expect(r.edits.length).toBeGreaterThan(0);
    });
  }
});
