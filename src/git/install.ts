/**
 * `cairn git install` / `cairn git uninstall`. Install adds, in the worktree holding the project:
 * - a marked block in `.gitattributes`: the ledger merges by union, STATE.md and ROADMAP.md with
 *   the `cairn` driver;
 * - `.cairn/gitconfig` (the driver definition) and `.cairn/merge-driver.sh`, both meant to be
 *   committed, and a marked `[include] path = …/.cairn/gitconfig` block in this clone's
 *   `.git/config` (no global config);
 * - post-merge, post-rewrite and post-checkout hooks in the hooks folder git uses (honouring
 *   `core.hooksPath`, as husky and lefthook set it), each running the hook it found first.
 * What it did is recorded in `<git common dir>/cairn/install.json`; uninstall undoes exactly
 * that, so every file is restored byte for byte. A second install changes nothing.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { PreconditionError } from '../model/errors.ts';
import { gitPlace, type GitPlace } from '../workspace/index.ts';
import { gitOut } from './git.ts';
import { CHAINED_SUFFIX, GITCONFIG, HOOK_MARK, HOOKS, MERGE_DRIVER_SH, hookScript } from './scripts.ts';

const BEGIN = '# cairn:begin — written by `cairn git install`; `cairn git uninstall` removes this block';
const END = '# cairn:end';

export interface Action {
  /** What happens, for people: "add the merge rules to .gitattributes". */
  text: string;
  path: string;
}

interface BlockRecord { path: string; created: boolean; addedNewline: boolean }
interface HookRecord { path: string; chained: string | null }
interface Manifest {
  version: 1;
  blocks: BlockRecord[];
  files: string[];
  dirs: string[];
  hooks: HookRecord[];
}

interface Target {
  place: GitPlace;
  manifestPath: string;
}

function target(root: string): Target {
  const place = gitPlace(root);
  if (!place) throw new PreconditionError(`${root} is not inside a git repository`, 'run `git init` first, or run this in the repository that holds .planning/');
  return { place, manifestPath: join(place.commonDir, 'cairn', 'install.json') };
}

function readManifest(path: string): Manifest | null {
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    return m.version === 1 ? m : null;
  } catch {
    return null;
  }
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function hasBlock(text: string | null): boolean {
  return text !== null && text.split('\n').some((l) => l.replace(/\r$/, '') === BEGIN);
}

function withBlock(text: string | null, body: string): { text: string; addedNewline: boolean } {
  const block = `${BEGIN}\n${body}${END}\n`;
  if (text === null || text === '') return { text: block, addedNewline: false };
  const addedNewline = !text.endsWith('\n');
  return { text: `${text}${addedNewline ? '\n' : ''}${block}`, addedNewline };
}

function withoutBlock(text: string, addedNewline: boolean): string {
  const start = text.split('\n').findIndex((l) => l.replace(/\r$/, '') === BEGIN);
  if (start < 0) return text;
  const lines = text.split('\n');
  let end = start;
  while (end < lines.length && lines[end]!.replace(/\r$/, '') !== END) end++;
  const before = lines.slice(0, start).join('\n');
  const after = lines.slice(end + 1).join('\n');
  let out = start === 0 ? after : `${before}\n${after}`;
  if (addedNewline && out.endsWith('\n') && after === '') out = out.slice(0, -1);
  return out;
}

function posix(p: string): string {
  return p.split(sep).join('/');
}

function hooksDir(place: GitPlace): string {
  return resolve(place.worktree, gitOut(['rev-parse', '--git-path', 'hooks'], place.worktree));
}

export interface InstallPlan {
  actions: Action[];
  apply: () => void;
}

export function planInstall(root: string): InstallPlan {
  const { place, manifestPath } = target(root);
  const wt = place.worktree;
  const planning = place.prefix ? `${place.prefix}/.planning` : '.planning';
  const actions: Action[] = [];
  const steps: ((m: Manifest) => void)[] = [];

  const attributes = join(wt, '.gitattributes');
  const attrText = readOrNull(attributes);
  if (!hasBlock(attrText)) {
    actions.push({ text: 'merge rules: the ledger by union, STATE.md and ROADMAP.md by the cairn driver', path: '.gitattributes' });
    steps.push((m) => {
      const next = withBlock(attrText, `${planning}/events.jsonl merge=union\n${planning}/STATE.md merge=cairn\n${planning}/ROADMAP.md merge=cairn\n`);
      writeFileSync(attributes, next.text);
      m.blocks.push({ path: attributes, created: attrText === null, addedNewline: next.addedNewline });
    });
  }

  const cairnDir = join(wt, '.cairn');
  for (const [name, content, mode] of [['gitconfig', GITCONFIG, 0o644], ['merge-driver.sh', MERGE_DRIVER_SH, 0o755]] as const) {
    const path = join(cairnDir, name);
    const current = readOrNull(path);
    if (current === content) continue;
    if (current !== null) throw new PreconditionError(`${posix(relative(wt, path))} exists and was not written by this cairn`, 'move it away (or run `cairn git uninstall`), then install again');
    actions.push({ text: name === 'gitconfig' ? 'the merge driver definition (commit it)' : 'the merge driver, falling back to git merge-file without cairn (commit it)', path: posix(relative(wt, path)) });
    steps.push((m) => {
      if (!existsSync(cairnDir)) {
        mkdirSync(cairnDir);
        m.dirs.push(cairnDir);
      }
      writeFileSync(path, content, { mode });
      chmodSync(path, mode);
      m.files.push(path);
    });
  }

  const config = join(place.commonDir, 'config');
  const configText = readOrNull(config);
  if (!hasBlock(configText)) {
    const include = posix(relative(place.commonDir, join(cairnDir, 'gitconfig')));
    actions.push({ text: `include ${include} in this clone's git config (no global config)`, path: posix(relative(wt, config)) });
    steps.push((m) => {
      const next = withBlock(configText, `[include]\n\tpath = ${include}\n`);
      writeFileSync(config, next.text);
      m.blocks.push({ path: config, created: configText === null, addedNewline: next.addedNewline });
    });
  }

  const hooks = hooksDir(place);
  for (const name of HOOKS) {
    const path = join(hooks, name);
    const current = readOrNull(path);
    if (current !== null && current.includes(HOOK_MARK)) continue;
    const chained = current !== null ? `${path}${CHAINED_SUFFIX}` : null;
    if (chained && existsSync(chained)) throw new PreconditionError(`${chained} exists already`, 'remove or rename it, then install again');
    actions.push({ text: `${name} hook: cairn sync --quiet${chained ? ` (after the existing hook, kept as ${name}${CHAINED_SUFFIX})` : ''}`, path: posix(relative(wt, path)) });
    steps.push((m) => {
      if (!existsSync(hooks)) {
        mkdirSync(hooks, { recursive: true });
        m.dirs.push(hooks);
      }
      if (chained) renameSync(path, chained);
      writeFileSync(path, hookScript(name, place.prefix || '.'), { mode: 0o755 });
      chmodSync(path, 0o755);
      m.hooks.push({ path, chained });
    });
  }

  return {
    actions,
    apply: () => {
      if (!steps.length) return;
      const m: Manifest = readManifest(manifestPath) ?? { version: 1, blocks: [], files: [], dirs: [], hooks: [] };
      mkdirSync(dirname(manifestPath), { recursive: true });
      try {
        for (const s of steps) s(m);
      } finally {
        // Even a failure half way records what was done, so uninstall can undo it.
        writeFileSync(manifestPath, `${JSON.stringify(m, null, 2)}\n`);
      }
    },
  };
}

export function planUninstall(root: string): InstallPlan {
  const { place, manifestPath } = target(root);
  const m = readManifest(manifestPath);
  const actions: Action[] = [];
  if (!m) return { actions, apply: () => {} };
  const rel = (p: string) => posix(relative(place.worktree, p));
  for (const h of m.hooks) actions.push({ text: h.chained ? 'remove the cairn hook, restore the hook it chained' : 'remove the cairn hook', path: rel(h.path) });
  for (const b of m.blocks) actions.push({ text: 'remove the cairn block', path: rel(b.path) });
  for (const f of m.files) actions.push({ text: 'remove', path: rel(f) });
  return {
    actions,
    apply: () => {
      for (const h of [...m.hooks].reverse()) {
        const current = readOrNull(h.path);
        if (current !== null && current.includes(HOOK_MARK)) unlinkSync(h.path);
        if (h.chained && existsSync(h.chained)) renameSync(h.chained, h.path);
      }
      for (const b of m.blocks) {
        const text = readOrNull(b.path);
        if (text === null) continue;
        const next = withoutBlock(text, b.addedNewline);
        if (next === '' && b.created) unlinkSync(b.path);
        else if (next !== text) writeFileSync(b.path, next);
      }
      for (const f of m.files) if (existsSync(f)) unlinkSync(f);
      for (const d of [...m.dirs].reverse()) {
        try {
          if (statSync(d).isDirectory()) rmdirSync(d);
        } catch {
          // Not empty (someone put files there) or gone: leave it.
        }
      }
      unlinkSync(manifestPath);
      try {
        rmdirSync(dirname(manifestPath));
      } catch {
        // The folder also holds the shared lock while a command runs.
      }
    },
  };
}
