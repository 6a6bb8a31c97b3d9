/**
 * Layers only look down. Every import between two folders of `src/` must point to a lower layer;
 * folders on one layer stay independent of each other, and the shells (cli, mcp, web, git) never
 * import one another. A new folder must be given its layer here before anything may import it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/corpus.ts';

/** Lower number = lower layer. Store sits on the ground floor beside the ledger: ops write through it. */
export const LAYERS: Record<string, number> = {
  markdown: 0,
  model: 0,
  formats: 1,
  ledger: 1,
  store: 1,
  workspace: 2,
  derive: 3,
  views: 4,
  ops: 5,
  checks: 5,
  cli: 6,
  mcp: 6,
  web: 6,
  git: 6,
};

export interface Arrow {
  from: string;
  to: string;
  line: number;
  /** An `await import()`: loaded only when that code runs. */
  dynamic?: boolean;
}

/**
 * The one way a shell may reach another: a CLI command that *starts* it (`cairn serve`) loads the
 * shell's server module with a dynamic import, so no other command pays for it. Nothing else.
 */
const SHELL_STARTERS = /^src\/cli\/commands\/[\w-]+\.ts$/;
const SHELL_ENTRIES = /^src\/(?:web|mcp|git)\/(?:server|entry)\.ts$/;

function startsShell(a: Arrow): boolean {
  return a.dynamic === true && SHELL_STARTERS.test(a.from) && SHELL_ENTRIES.test(a.to);
}

/** The arrows that break the order, each with the reason. */
export function violations(arrows: Arrow[]): Array<Arrow & { why: string }> {
  const out: Array<Arrow & { why: string }> = [];
  for (const a of arrows) {
    const from = folderOf(a.from);
    const to = folderOf(a.to);
    if (from === to || startsShell(a)) continue;
    const rf = LAYERS[from];
    const rt = LAYERS[to];
    if (rf === undefined || rt === undefined) {
      out.push({ ...a, why: `folder ${rf === undefined ? from : to} has no layer in test/architecture/layers.test.ts` });
    } else if (rt > rf) {
      out.push({ ...a, why: `${from} (layer ${rf}) imports ${to} (layer ${rt}), which is above it` });
    } else if (rt === rf) {
      out.push({ ...a, why: `${from} and ${to} share layer ${rf} and must not import each other` });
    }
  }
  return out;
}

function folderOf(path: string): string {
  const parts = path.split('/');
  return parts.length > 2 ? parts[1]! : '(src root)';
}

const SPECIFIER = /(?:^|[^\w.])(?:import|export)\s*(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') || e.name.endsWith('.tsx') ? [join(dir, e.name)] : [],
  );
}

function arrowsOf(root: string): Arrow[] {
  const arrows: Arrow[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(SPECIFIER)) {
      const line = text.slice(0, m.index).split('\n').length;
      const target = resolve(dirname(file), m[1]!);
      const dynamic = /import\s*\(/.test(m[0]);
      arrows.push({ from: relative(root, file).split(sep).join('/'), to: relative(root, target).split(sep).join('/'), line, dynamic });
    }
  }
  return arrows;
}

describe('import graph of src/', () => {
  const arrows = arrowsOf(repoRoot);

  it('reads the graph (static, type-only and dynamic imports)', () => {
    expect(arrows.length).toBeGreaterThan(200);
    expect(arrows.some((a) => a.from.startsWith('src/cli/main.ts') && a.to.startsWith('src/cli/commands/'))).toBe(true);
  });

  it('has no arrow against the layer order', () => {
    const bad = violations(arrows).map((v) => `${v.from}:${v.line} → ${v.to}: ${v.why}`);
    expect(bad).toEqual([]);
  });

  it('catches an arrow that runs back up, a sibling arrow, shells importing shells, and unknown folders', () => {
    const found = violations([
      { from: 'src/formats/state/read.ts', to: 'src/derive/types.ts', line: 1 },
      { from: 'src/ops/run.ts', to: 'src/checks/index.ts', line: 2 },
      { from: 'src/mcp/server.ts', to: 'src/cli/output.ts', line: 3 },
      { from: 'src/derive/derive.ts', to: 'src/brand-new/x.ts', line: 4 },
      { from: 'src/cli/main.ts', to: 'src/ops/run.ts', line: 5 },
      // A command may start another shell with a dynamic import of its server, and only that.
      { from: 'src/cli/commands/serve.ts', to: 'src/web/server.ts', line: 6, dynamic: true },
      { from: 'src/cli/commands/serve.ts', to: 'src/web/server.ts', line: 7 },
      { from: 'src/cli/commands/serve.ts', to: 'src/web/app.tsx', line: 8, dynamic: true },
      { from: 'src/web/server.ts', to: 'src/cli/commands/serve.ts', line: 9, dynamic: true },
    ]);
    expect(found.map((v) => v.line)).toEqual([1, 2, 3, 4, 7, 8, 9]);
  });
});
