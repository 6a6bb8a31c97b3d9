/**
 * One file of `.planning/` as the loader keeps it: what kind of file its path says it is, and the
 * reader's record and diagnostics for its bytes. An entry depends only on the file's path and
 * bytes (never on other files), which is what lets the parse cache (cache.ts) reuse it while the
 * file is unchanged.
 */
import { parseMarkdown, type MarkdownDocument } from '../markdown/index.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import { parsePhaseDirName, parsePlanFileName, planKey } from '../model/ids.ts';
import { readState } from '../formats/state/read.ts';
import { readRoadmap } from '../formats/roadmap/read.ts';
import { readProject } from '../formats/project.ts';
import { readRequirements } from '../formats/requirements.ts';
import { readPlan } from '../formats/plan.ts';
import { readSummary } from '../formats/summary.ts';
import { readTodo } from '../formats/todo.ts';
import { readMilestones, parseMilestoneArchiveName } from '../formats/milestones.ts';
import { readLedger } from '../ledger/index.ts';
import { PLANNING } from './root.ts';

export type Kind =
  | { kind: 'state' | 'roadmap' | 'project' | 'requirements' | 'milestones' | 'ledger' }
  | { kind: 'archivedRoadmap'; version: string }
  /**
   * `role` 'side' is a phase's other document (CONTEXT, RESEARCH, VERIFICATION, UAT): listed, never
   * read, and its `plan` is null. A PLAN or SUMMARY's `plan` is the id its name writes and the key
   * that pairs the two (ids.ts planKey), worked out here once per path: the parse cache keeps kinds,
   * so assembling a phase never parses its file names again.
   */
  | { kind: 'phaseFile'; phaseDir: string; archived: string | null; name: string; role: 'plan' | 'summary' | 'side'; plan: { id: string; key: string } | null }
  | { kind: 'todo'; state: 'pending' | 'done' };

export type PhaseFileKind = Extract<Kind, { kind: 'phaseFile' }>;

const TOP: Record<string, Kind['kind']> = {
  'STATE.md': 'state',
  'ROADMAP.md': 'roadmap',
  'PROJECT.md': 'project',
  'REQUIREMENTS.md': 'requirements',
  'MILESTONES.md': 'milestones',
  'events.jsonl': 'ledger',
};

function phaseFile(parts: string[], depth: number, archived: string | null): Kind {
  const name = parts[parts.length - 1]!;
  const pf = parsePlanFileName(name);
  return { kind: 'phaseFile', phaseDir: parts.slice(0, depth).join('/'), archived, name, role: pf ? pf.kind : 'side', plan: pf ? planOf(pf.planId) : null };
}

/** A bare `PLAN.md` / `SUMMARY.md` has the id '' and so the key '' (load.ts pairs bare files). */
function planOf(id: string): { id: string; key: string } {
  return { id, key: planKey(id) };
}

/** What a path under the root is to Cairn, or null for a file it does not read. */
export function classify(rel: string): Kind | null {
  const parts = rel.split('/');
  if (parts[0] !== PLANNING) return null;
  const p = parts.slice(1);
  if (p.length === 1) {
    const k = TOP[p[0]!];
    return k ? ({ kind: k } as Kind) : null;
  }
  if (!p[p.length - 1]!.toLowerCase().endsWith('.md')) return null;
  if (p[0] === 'phases' && (p.length === 3 || (p.length === 4 && p[2] === 'plans'))) return phaseFile(parts, 3, null);
  // A non-numeric folder of phase folders (`phases/_archived-full-window-app/01-foundation/`) is an
  // archive kept by hand: its phases count for history (velocity), not for the current scope.
  if (p[0] === 'phases' && (p.length === 4 || (p.length === 5 && p[3] === 'plans')) && parsePhaseDirName(p[1]!).id === null && parsePhaseDirName(p[2]!).id !== null) {
    return phaseFile(parts, 4, p[1]!);
  }
  // Plans kept outside phases/ (`.planning/plans/07-01-PLAN.md`) belong to the phase their name
  // gives: `.planning/plans#7` stands for that phase until load.ts gives them to its folder.
  if (p[0] === 'plans' && p.length === 2) {
    const pf = parsePlanFileName(p[1]!);
    return pf?.phaseId ? { kind: 'phaseFile', phaseDir: `${PLANNING}/plans#${pf.phaseId}`, archived: null, name: p[1]!, role: pf.kind, plan: planOf(pf.planId) } : null;
  }
  if (p[0] === 'milestones') {
    if (p.length === 2) {
      const a = parseMilestoneArchiveName(p[1]!);
      return a?.kind === 'roadmap' ? { kind: 'archivedRoadmap', version: a.version } : null;
    }
    const a = parseMilestoneArchiveName(p[1]!);
    if (a?.kind === 'phases' && (p.length === 4 || (p.length === 5 && p[3] === 'plans'))) return phaseFile(parts, 4, a.version);
    return null;
  }
  if (p[0] === 'todos' && p.length === 3) {
    if (p[1] === 'pending') return { kind: 'todo', state: 'pending' };
    if (p[1] === 'done' || p[1] === 'completed') return { kind: 'todo', state: 'done' };
  }
  return null;
}

/** True for files whose bytes the loader reads; side documents are only listed. */
export function isRead(kind: Kind): boolean {
  return kind.kind !== 'phaseFile' || kind.role !== 'side';
}

/** The parsed form of one file. Everything but `doc` is plain data (the on-disk cache stores it). */
export interface FileEntry {
  /** Size in bytes of what was parsed. */
  bytes: number;
  lossless: boolean;
  /** The loader's own findings on the file (encoding, unterminated frontmatter), in that order. */
  loaderDiagnostics: Diagnostic[];
  /** The reader's record: a format record, or `{ text, events }` for the ledger. */
  record: unknown;
  diagnostics: Diagnostic[];
  /** The document, when in memory; an entry restored from the disk cache re-reads it on first use. */
  doc: MarkdownDocument | null;
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

type Reader = (doc: MarkdownDocument, file: string) => { record: unknown; diagnostics: Diagnostic[] };

function readerFor(kind: Kind): Reader | null {
  switch (kind.kind) {
    case 'state':
      return readState;
    case 'roadmap':
    case 'archivedRoadmap':
      return readRoadmap;
    case 'project':
      return readProject;
    case 'requirements':
      return readRequirements;
    case 'milestones':
      return readMilestones;
    case 'todo':
      return readTodo;
    case 'phaseFile':
      return kind.role === 'plan' ? readPlan : kind.role === 'summary' ? readSummary : null;
    case 'ledger':
      return null;
  }
}

/** Parses one file's bytes with the reader its path calls for. Never throws for bad content. */
export function parseEntry(rel: string, kind: Kind, bytes: Uint8Array): FileEntry {
  const { text, lossless } = decode(bytes);
  const doc = parseMarkdown(text);
  const loaderDiagnostics: Diagnostic[] = [];
  if (!lossless) {
    loaderDiagnostics.push({
      rule: 'lossless-read',
      severity: 'error',
      file: rel,
      line: 0,
      column: 0,
      message: 'the file is not valid UTF-8, so its bytes cannot be reproduced: Cairn reads it but will never edit it',
      hint: 'save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`), then run `cairn check`',
    });
  }
  if (doc.frontmatterProblem) {
    const pos = doc.position(doc.frontmatterProblem.offset);
    loaderDiagnostics.push({
      rule: 'frontmatter-unterminated',
      severity: 'warning',
      file: rel,
      line: pos.line,
      column: pos.column,
      message: doc.frontmatterProblem.message,
      hint: 'close the YAML frontmatter with a line holding only `---`',
    });
  }
  if (kind.kind === 'ledger') {
    const { events, diagnostics } = readLedger(doc.text, rel);
    return { bytes: bytes.length, lossless, loaderDiagnostics, record: { text: doc.text, events }, diagnostics, doc };
  }
  const read = readerFor(kind);
  const { record, diagnostics } = read ? read(doc, rel) : { record: null, diagnostics: [] };
  return { bytes: bytes.length, lossless, loaderDiagnostics, record, diagnostics, doc };
}
