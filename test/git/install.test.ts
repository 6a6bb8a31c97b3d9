/**
 * `cairn git install` / `uninstall` on real repositories: twice equals once, uninstall restores
 * every file byte for byte, an existing husky hook (core.hooksPath) keeps running while ours is
 * chained after it, and the committed driver falls back to `git merge-file` without cairn.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { remove } from '../support/cli.ts';
import { CONFLICT_MARKER, commitAll, git, ok, read, sandbox, sh, write } from './repo.ts';

const s = sandbox();
afterAll(() => remove(s.dir));

/** Every file under `root` (including .git, minus what git itself rewrites on every command) with its bytes and mode. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const n of readdirSync(join(root, rel))) {
      const p = rel ? `${rel}/${n}` : n;
      if (/^\.git\/(index|logs|objects|refs|ORIG_HEAD|COMMIT_EDITMSG|FETCH_HEAD)/.test(p)) continue;
      const st = statSync(join(root, p));
      if (st.isDirectory()) {
        out.set(`${p}/`, '');
        walk(p);
      } else out.set(p, `${(st.mode & 0o777).toString(8)}:${readFileSync(join(root, p)).toString('base64')}`);
    }
  };
  walk('');
  return out;
}

function newRepo(name: string): string {
  const root = join(s.dir, name);
  mkdirSync(root);
  git(s, root, 'init', '-q');
  write(root, '.planning/PROJECT.md', '# Hooks\n\n## Core Value\n\nHooks that chain.\n');
  write(root, '.planning/STATE.md', '# Project State\n\n## Current Position\n\nPhase: 1 of 1\n');
  write(root, '.planning/ROADMAP.md', '# Roadmap\n\n## Phases\n\n- [ ] **Phase 1: One**\n');
  // A .gitattributes of the user's, without a final newline, and a husky setup.
  write(root, '.gitattributes', '*.png binary');
  write(root, '.husky/post-merge', '#!/bin/sh\necho husky ran >> "$(git rev-parse --show-toplevel)/husky.log"\n');
  chmodSync(join(root, '.husky/post-merge'), 0o755);
  git(s, root, 'config', 'core.hooksPath', '.husky');
  commitAll(s, root, 'base');
  return root;
}

describe('cairn git install / uninstall', () => {
  it('twice equals once; uninstall restores byte for byte; the husky hook still runs', () => {
    const root = newRepo('husky');
    const before = snapshot(root);
    const dry = JSON.parse(ok(s, root, 'git', 'install', '--dry-run', '--json'));
    expect(dry.dryRun).toBe(true);
    expect(dry.actions.map((a: any) => a.path)).toEqual(['.gitattributes', '.cairn/gitconfig', '.cairn/merge-driver.sh', '.git/config', '.husky/post-merge', '.husky/post-rewrite', '.husky/post-checkout']);
    expect(snapshot(root)).toEqual(before);

    ok(s, root, 'git', 'install');
    const once = snapshot(root);
    expect(ok(s, root, 'git', 'install')).toContain('Already installed');
    expect(snapshot(root)).toEqual(once);
    expect(read(root, '.gitattributes')).toMatch(/^\*\.png binary\n# cairn:begin.*\n\.planning\/events\.jsonl merge=union\n\.planning\/STATE\.md merge=cairn\n\.planning\/ROADMAP\.md merge=cairn\n# cairn:end\n$/);
    expect(git(s, root, 'check-attr', 'merge', '.planning/STATE.md').trim()).toBe('.planning/STATE.md: merge: cairn');
    expect(git(s, root, 'config', 'merge.cairn.driver').trim()).toBe('sh .cairn/merge-driver.sh %O %A %B %P');
    // Nothing outside this clone: the global config file is as the sandbox wrote it.
    expect(readFileSync(join(s.dir, 'gitconfig-global'), 'utf8')).not.toContain('cairn');
    expect(read(root, '.husky/post-merge.pre-cairn')).toContain('husky ran');

    // Uninstall restores every file it changed, byte for byte (modes too).
    const u = JSON.parse(ok(s, root, 'git', 'uninstall', '--json'));
    expect(u.actions).toHaveLength(7);
    expect(snapshot(root)).toEqual(before);
    expect(ok(s, root, 'git', 'uninstall')).toContain('Nothing to uninstall');

    // Installed again and committed: a merge runs the husky hook, then cairn sync.
    ok(s, root, 'git', 'install');
    commitAll(s, root, 'install');
    git(s, root, 'checkout', '-qb', 'side');
    ok(s, root, 'decide', 'Side decision');
    commitAll(s, root, 'side');
    git(s, root, 'checkout', '-q', 'main');
    ok(s, root, 'decide', 'Main decision');
    commitAll(s, root, 'main');
    git(s, root, 'merge', '--no-edit', 'side');
    expect(read(root, 'husky.log')).toBe('husky ran\n');
    expect(read(root, '.planning/STATE.md')).toContain('Side decision');
    expect(read(root, '.planning/STATE.md')).toContain('Main decision');
    expect(JSON.parse(ok(s, root, 'check', '--json')).counts.error).toBe(0);
    // After uninstall the husky hook is back in its place and still runs on a merge.
    commitAll(s, root, 'views');
    ok(s, root, 'git', 'uninstall');
    expect(read(root, '.husky/post-merge')).toBe('#!/bin/sh\necho husky ran >> "$(git rev-parse --show-toplevel)/husky.log"\n');
    commitAll(s, root, 'uninstalled');
    git(s, root, 'checkout', '-qb', 'side2', 'HEAD~1');
    write(root, 'notes.txt', 'x\n');
    commitAll(s, root, 'side2');
    git(s, root, 'checkout', '-q', 'main');
    git(s, root, 'merge', '--no-edit', 'side2');
    expect(read(root, 'husky.log')).toBe('husky ran\nhusky ran\n');
  }, 180_000);

  it('the committed driver falls back to git merge-file when cairn is not installed', () => {
    const root = newRepo('fallback');
    ok(s, root, 'git', 'install');
    commitAll(s, root, 'install');
    git(s, root, 'checkout', '-qb', 'side');
    write(root, '.planning/STATE.md', read(root, '.planning/STATE.md').replace('Phase: 1 of 1', 'Phase: 1 of 2'));
    commitAll(s, root, 'side');
    git(s, root, 'checkout', '-q', 'main');
    write(root, '.planning/STATE.md', read(root, '.planning/STATE.md').replace('Phase: 1 of 1', 'Phase: 1 of 3'));
    commitAll(s, root, 'main');
    // No cairn on PATH: the driver script runs git merge-file, which leaves the usual markers.
    const env = { ...s.env, PATH: (s.env.PATH ?? '').split(':').filter((p) => !p.startsWith(s.dir)).join(':') };
    const r = sh({ ...s, env }, root, 'git', ['merge', '--no-edit', 'side']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('CONFLICT (content): Merge conflict in .planning/STATE.md');
    const text = read(root, '.planning/STATE.md');
    expect(text).toMatch(CONFLICT_MARKER);
    expect(text).toContain('Phase: 1 of 3');
    expect(text).toContain('Phase: 1 of 2');
    git(s, root, 'merge', '--abort');
    // With cairn the same merge resolves the field (ours), no markers.
    git(s, root, 'merge', '--no-edit', 'side');
    expect(read(root, '.planning/STATE.md')).not.toMatch(CONFLICT_MARKER);
  }, 180_000);
});
