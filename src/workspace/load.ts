/**
 * Loads a project directory into a Workspace in one pass: list `.planning/`, read every file we
 * understand in parallel, parse each with the reader for its kind, and collect diagnostics.
 * Nothing here interprets numbers; that is derive()'s job.
 */
import { readdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { parseMarkdown, type MarkdownDocument } from '../markdown/index.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import { comparePhaseIds, parsePhaseDirName, parsePlanFileName, planKey } from '../model/ids.ts';
import { readState } from '../formats/state/read.ts';
import { readRoadmap } from '../formats/roadmap/read.ts';
import { readProject } from '../formats/project.ts';
import { readRequirements } from '../formats/requirements.ts';
import { readPlan } from '../formats/plan.ts';
import { readSummary } from '../formats/summary.ts';
import { readTodo } from '../formats/todo.ts';
import { readMilestones, parseMilestoneArchiveName } from '../formats/milestones.ts';
import { readLedger, LEDGER_FILE } from '../ledger/index.ts';
import type { Parsed, PhaseDir, PlanEntry, TodoEntry, Workspace } from './types.ts';

import { findRoot, PLANNING } from './root.ts';
export { findRoot };

interface Listing {
  files: string[];
  diagnostics: Diagnostic[];
}

/** Lists regular files below `.planning/`, without following symbolic links (they could leave the root). */
async function listPlanning(root: string): Promise<Listing> {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  // Relative paths are built by concatenation: path.relative() per file showed up in profiles.
  const visit = async (absDir: string, relDir: string): Promise<void> => {
    const entries = await readdir(absDir, { withFileTypes: true });
    const subdirs: Promise<void>[] = [];
    for (const e of entries) {
      const rel = `${relDir}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name === 'node_modules' || e.name === '.git' || e.name.startsWith('.cairn')) continue;
        subdirs.push(visit(`${absDir}${sep}${e.name}`, rel));
      } else if (e.isFile()) {
        // Cairn's own lock, journal and temp files are machinery, not planning files.
        if (e.name.startsWith('.cairn') || e.name.includes('.cairn-tmp-')) continue;
        files.push(rel);
      } else if (e.isSymbolicLink()) {
        diagnostics.push({
          rule: 'symlink-skipped',
          severity: 'warning',
          file: rel,
          line: 0,
          column: 0,
          message: 'symbolic link not followed: Cairn reads only real files inside the project',
          hint: 'replace the link with the file itself if Cairn should read it',
        });
      }
    }
    await Promise.all(subdirs);
  };
  await visit(join(root, PLANNING), PLANNING);
  files.sort();
  return { files, diagnostics };
}

type Kind =
  | { kind: 'state' | 'roadmap' | 'project' | 'requirements' | 'milestones' | 'ledger' }
  | { kind: 'archivedRoadmap'; version: string }
  | { kind: 'phaseFile'; phaseDir: string; archived: string | null; name: string }
  | { kind: 'todo'; state: 'pending' | 'done' };

const TOP: Record<string, Kind['kind']> = {
  'STATE.md': 'state',
  'ROADMAP.md': 'roadmap',
  'PROJECT.md': 'project',
  'REQUIREMENTS.md': 'requirements',
  'MILESTONES.md': 'milestones',
  'events.jsonl': 'ledger',
};

function classify(rel: string): Kind | null {
  const parts = rel.split('/');
  if (parts[0] !== PLANNING) return null;
  const p = parts.slice(1);
  if (p.length === 1) {
    const k = TOP[p[0]!];
    return k ? ({ kind: k } as Kind) : null;
  }
  if (!p[p.length - 1]!.toLowerCase().endsWith('.md')) return null;
  if (p[0] === 'phases' && (p.length === 3 || (p.length === 4 && p[2] === 'plans'))) {
    return { kind: 'phaseFile', phaseDir: parts.slice(0, 3).join('/'), archived: null, name: p[p.length - 1]! };
  }
  // A non-numeric folder of phase folders (`phases/_archived-full-window-app/01-foundation/`) is an
  // archive kept by hand: its phases count for history (velocity), not for the current scope.
  if (p[0] === 'phases' && (p.length === 4 || (p.length === 5 && p[3] === 'plans')) && parsePhaseDirName(p[1]!).id === null && parsePhaseDirName(p[2]!).id !== null) {
    return { kind: 'phaseFile', phaseDir: parts.slice(0, 4).join('/'), archived: p[1]!, name: p[p.length - 1]! };
  }
  if (p[0] === 'milestones') {
    if (p.length === 2) {
      const a = parseMilestoneArchiveName(p[1]!);
      return a?.kind === 'roadmap' ? { kind: 'archivedRoadmap', version: a.version } : null;
    }
    const a = parseMilestoneArchiveName(p[1]!);
    if (a?.kind === 'phases' && (p.length === 4 || (p.length === 5 && p[3] === 'plans'))) {
      return { kind: 'phaseFile', phaseDir: parts.slice(0, 4).join('/'), archived: a.version, name: p[p.length - 1]! };
    }
    return null;
  }
  if (p[0] === 'todos' && p.length === 3) {
    if (p[1] === 'pending') return { kind: 'todo', state: 'pending' };
    if (p[1] === 'done' || p[1] === 'completed') return { kind: 'todo', state: 'done' };
  }
  return null;
}

interface ReadFile {
  rel: string;
  doc: MarkdownDocument;
  lossless: boolean;
  bytes: number;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Decodes bytes for reading. A strict decode that succeeds re-encodes to the same bytes (the BOM is
 * kept as U+FEFF), so it proves the file round-trips; otherwise the file is read leniently and marked
 * not lossless, which forbids any later edit.
 */
export function decode(bytes: Uint8Array): { text: string; lossless: boolean } {
  try {
    return { text: strictUtf8.decode(bytes), lossless: true };
  } catch {
    return { text: lenientUtf8.decode(bytes), lossless: false };
  }
}

/**
 * Pending contents by relative path (null = deleted). An operation loads the workspace "as it will
 * be" through an overlay to re-derive the views before anything is written; --dry-run shows exactly that.
 */
export type Overlay = ReadonlyMap<string, string | null>;

const encoder = new TextEncoder();

/**
 * Reads synchronously on purpose: for thousands of small files, Node's async readFile costs four
 * thread-pool round trips per file and measured ~10× slower than readFileSync here (bench/).
 */
function readAll(root: string, rels: string[], overlay: Overlay | undefined): ReadFile[] {
  return rels.map((rel) => {
    const pending = overlay?.get(rel);
    const bytes = typeof pending === 'string' ? encoder.encode(pending) : readFileSync(`${root}${sep}${rel}`);
    const { text, lossless } = decode(bytes);
    return { rel, doc: parseMarkdown(text), lossless, bytes: bytes.length };
  });
}

function parsed<T>(f: ReadFile, read: (doc: MarkdownDocument, file: string) => { record: T; diagnostics: Diagnostic[] }, diags: Diagnostic[]): Parsed<T> {
  const { record, diagnostics } = read(f.doc, f.rel);
  diags.push(...diagnostics);
  return { path: f.rel, doc: f.doc, record, lossless: f.lossless };
}

export interface LoadOptions {
  overlay?: Overlay;
}

export async function loadWorkspace(dir: string, options: LoadOptions = {}): Promise<Workspace> {
  const root = await findRoot(dir);
  const listing = await listPlanning(root);
  const { overlay } = options;
  if (overlay) {
    const present = new Set(listing.files);
    for (const [rel, content] of overlay) {
      if (content === null) present.delete(rel);
      else present.add(rel);
    }
    listing.files = [...present].sort();
  }
  const diagnostics: Diagnostic[] = [...listing.diagnostics];
  const wanted: { rel: string; kind: Kind }[] = [];
  const phaseDirs = new Map<string, { archived: string | null }>();
  for (const rel of listing.files) {
    const kind = classify(rel);
    if (!kind) continue;
    wanted.push({ rel, kind });
    if (kind.kind === 'phaseFile') phaseDirs.set(kind.phaseDir, { archived: kind.archived });
  }
  // Empty phase directories hold no files but are still phases (planned, not yet written).
  for (const d of await listPhaseDirs(root)) {
    if (phaseDirs.has(d.path)) continue;
    // A directory the overlay moved away (phase renumbering) no longer exists once the change lands.
    const prefix = `${d.path}/`;
    if (overlay && [...overlay].some(([rel, c]) => c === null && rel.startsWith(prefix))) continue;
    phaseDirs.set(d.path, { archived: d.archived });
  }

  const files = readAll(root, wanted.map((w) => w.rel), overlay);
  let bytesRead = 0;
  const ws: Workspace = {
    root,
    planningDir: PLANNING,
    state: null,
    roadmap: null,
    project: null,
    requirements: null,
    milestonesFile: null,
    archivedRoadmaps: [],
    phases: [],
    todos: [],
    ledger: { path: LEDGER_FILE, exists: false, text: '', events: [] },
    files: listing.files,
    bytesRead: 0,
    diagnostics,
  };
  const phaseFiles = new Map<string, { name: string; file: ReadFile }[]>();
  files.forEach((f, i) => {
    bytesRead += f.bytes;
    if (!f.lossless) {
      diagnostics.push({
        rule: 'lossless-read',
        severity: 'error',
        file: f.rel,
        line: 0,
        column: 0,
        message: 'the file is not valid UTF-8, so its bytes cannot be reproduced: Cairn reads it but will never edit it',
        hint: 'save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`), then run `cairn check`',
      });
    }
    if (f.doc.frontmatterProblem) {
      const pos = f.doc.position(f.doc.frontmatterProblem.offset);
      diagnostics.push({
        rule: 'frontmatter-unterminated',
        severity: 'warning',
        file: f.rel,
        line: pos.line,
        column: pos.column,
        message: f.doc.frontmatterProblem.message,
        hint: 'close the YAML frontmatter with a line holding only `---`',
      });
    }
    const kind = wanted[i]!.kind;
    switch (kind.kind) {
      case 'state':
        ws.state = parsed(f, readState, diagnostics);
        break;
      case 'roadmap':
        ws.roadmap = parsed(f, readRoadmap, diagnostics);
        break;
      case 'project':
        ws.project = parsed(f, readProject, diagnostics);
        break;
      case 'requirements':
        ws.requirements = parsed(f, readRequirements, diagnostics);
        break;
      case 'milestones':
        ws.milestonesFile = parsed(f, readMilestones, diagnostics);
        break;
      case 'archivedRoadmap':
        ws.archivedRoadmaps.push(parsed(f, readRoadmap, diagnostics));
        break;
      case 'ledger': {
        const { events, diagnostics: ledgerDiagnostics } = readLedger(f.doc.text, f.rel);
        ws.ledger = { path: f.rel, exists: true, text: f.doc.text, events };
        diagnostics.push(...ledgerDiagnostics);
        break;
      }
      case 'todo':
        ws.todos.push({ ...parsed(f, readTodo, diagnostics), state: kind.state });
        break;
      case 'phaseFile': {
        const list = phaseFiles.get(kind.phaseDir) ?? [];
        list.push({ name: kind.name, file: f });
        phaseFiles.set(kind.phaseDir, list);
        break;
      }
    }
  });
  ws.bytesRead = bytesRead;
  ws.phases = buildPhases(phaseDirs, phaseFiles, diagnostics);
  // A reader may report what the loader already did (an unterminated frontmatter): say it once.
  const seenDiag = new Set<string>();
  ws.diagnostics = diagnostics.filter((d) => {
    const k = `${d.rule}\0${d.file}\0${d.line}`;
    if (seenDiag.has(k)) return false;
    seenDiag.add(k);
    return true;
  });
  return ws;
}

async function listPhaseDirs(root: string): Promise<{ path: string; archived: string | null }[]> {
  const out: { path: string; archived: string | null }[] = [];
  const sub = async (rel: string, archived: string | null) => {
    try {
      for (const e of await readdir(join(root, rel), { withFileTypes: true })) {
        if (e.isDirectory()) out.push({ path: `${rel}/${e.name}`, archived });
      }
    } catch {
      // A missing phases/ or milestones/ folder is normal (new project, STATE-only project).
    }
  };
  await sub(`${PLANNING}/phases`, null);
  try {
    for (const e of await readdir(join(root, PLANNING, 'milestones'), { withFileTypes: true })) {
      const a = e.isDirectory() ? parseMilestoneArchiveName(e.name) : null;
      if (a?.kind === 'phases') await sub(`${PLANNING}/milestones/${e.name}`, a.version);
    }
  } catch {
    // no milestones/ folder
  }
  return out;
}

function buildPhases(
  dirs: Map<string, { archived: string | null }>,
  filesByDir: Map<string, { name: string; file: ReadFile }[]>,
  diagnostics: Diagnostic[],
): PhaseDir[] {
  const phases: PhaseDir[] = [];
  for (const [path, { archived }] of dirs) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const { id, slug } = parsePhaseDirName(name);
    const plans = new Map<string, PlanEntry>();
    const otherFiles: string[] = [];
    for (const { name: fileName, file } of (filesByDir.get(path) ?? []).sort((a, b) => (a.file.rel < b.file.rel ? -1 : 1))) {
      const pf = parsePlanFileName(fileName);
      if (!pf) {
        otherFiles.push(file.rel);
        continue;
      }
      const key = pf.planId === '' ? fileName.replace(/-?(PLAN|SUMMARY)\.md$/i, '') : planKey(pf.planId);
      const entry = plans.get(key) ?? { id: pf.planId, key, plan: null, summary: null };
      if (pf.kind === 'plan') {
        if (entry.plan) duplicate(diagnostics, file.rel, entry.plan.path, 'plan');
        else entry.plan = parsed(file, readPlan, diagnostics);
      } else {
        if (entry.summary) duplicate(diagnostics, file.rel, entry.summary.path, 'summary');
        else entry.summary = parsed(file, readSummary, diagnostics);
      }
      plans.set(key, entry);
    }
    phases.push({ path, name, id, slug, archived, plans: [...plans.values()], otherFiles });
  }
  phases.sort(
    (a, b) =>
      (a.archived === null ? 0 : 1) - (b.archived === null ? 0 : 1) ||
      (a.archived ?? '').localeCompare(b.archived ?? '') ||
      (a.id === null ? 1 : 0) - (b.id === null ? 1 : 0) ||
      (a.id !== null && b.id !== null ? comparePhaseIds(a.id, b.id) : 0) ||
      a.name.localeCompare(b.name),
  );
  const seen = new Map<string, PhaseDir>();
  for (const p of phases) {
    if (p.id === null || p.archived !== null) continue;
    const first = seen.get(p.id);
    if (first) {
      diagnostics.push({
        rule: 'duplicate-phase-id',
        severity: 'error',
        file: p.path,
        line: 0,
        column: 0,
        message: `phase ${p.id} has two directories: ${first.path} and ${p.path}`,
        hint: `merge them or renumber one (e.g. \`git mv ${p.path} …\`), then run \`cairn check\``,
      });
    } else seen.set(p.id, p);
  }
  return phases;
}

function duplicate(diagnostics: Diagnostic[], rel: string, firstRel: string, what: string): void {
  diagnostics.push({
    rule: 'duplicate-plan-id',
    severity: 'warning',
    file: rel,
    line: 0,
    column: 0,
    message: `a second ${what} file for the same plan id as ${firstRel}; only the first is used`,
    hint: 'rename or remove one of them',
  });
}
