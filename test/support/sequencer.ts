/**
 * The order test files start in. Vitest runs the longest files first when its results cache
 * knows their durations; a fresh clone (every CI run) has no cache, and then a long file that
 * happens to start last keeps one core busy alone at the end. These files are the long ones
 * (seconds measured on CI's 2-core machine, December 2026); they start first when durations are
 * unknown. Everything else keeps Vitest's own order.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const LONG_FIRST = [
  'test/cli/crash-binary.test.ts', // 138 s: 200 SIGKILLs of the real binary
  'test/ops/concurrency.test.ts', // 50 s
  'test/ops/milestone.test.ts', // 44 s
  'test/cli/status-cache.test.ts', // 40 s
  'test/git/branches.test.ts', // 39 s
  'test/workspace/corpus.test.ts', // 35 s
  'test/acceptance/fidelity.test.ts', // 30 s
  'test/web/browser.test.ts', // 26 s
];

export default class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rel = (f: TestSpecification) => relative(f.project.config.root, f.moduleId).split('\\').join('/');
    const known = sorted.every((f) => this.ctx.cache.getFileTestResults(`${f.project.name}:${rel(f)}`));
    if (known) return sorted;
    const rank = (f: TestSpecification) => {
      const i = LONG_FIRST.indexOf(rel(f));
      return i === -1 ? LONG_FIRST.length : i;
    };
    // A stable sort: files off the list keep the order Vitest gave them.
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}
