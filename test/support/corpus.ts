/**
 * Access to the shared real-world corpus (`../shared/corpus` beside the repository).
 * Tests that read it skip with a printed notice when it is absent, so a bare clone still tests.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const candidate = process.env.CAIRN_CORPUS ?? resolve(repoRoot, '../shared/corpus');

export const corpusDir: string | null = existsSync(join(candidate, 'INDEX.md')) ? candidate : null;

let noticed = false;
/** True when the corpus is present; prints a one-line notice (once) when it is not. */
export function hasCorpus(): boolean {
  if (!corpusDir && !noticed) {
    noticed = true;
    console.warn(`[cairn tests] corpus not found at ${candidate}: corpus tests are skipped (set CAIRN_CORPUS to run them).`);
  }
  return corpusDir !== null;
}

/** The 25 repository folders (OWNER__NAME), sorted. */
export function corpusRepos(): string[] {
  if (!corpusDir) return [];
  return readdirSync(corpusDir)
    .filter((n) => n.includes('__') && statSync(join(corpusDir!, n)).isDirectory())
    .sort();
}

/** The seed STATE.md files, sorted by name (000_… to 004_…). */
export function corpusSeeds(): string[] {
  if (!corpusDir) return [];
  const dir = join(corpusDir, 'seeds');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .map((n) => join(dir, n));
}

/** Every regular file below `dir`, recursively, as absolute paths, sorted. */
export function walkFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) visit(p);
      else if (entry.isFile()) out.push(p);
    }
  };
  visit(dir);
  return out.sort();
}

/** Every Markdown file of the corpus (repositories and seeds). */
export function corpusMarkdownFiles(): string[] {
  if (!corpusDir) return [];
  return walkFiles(corpusDir).filter((p) => /\.(md|markdown|txt)$/i.test(p) && !p.endsWith(`${sep}INDEX.md`));
}

export function corpusRelative(p: string): string {
  return corpusDir ? relative(corpusDir, p).split(sep).join('/') : p;
}
