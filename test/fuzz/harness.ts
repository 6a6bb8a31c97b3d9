/**
 * The fuzz property shared by `npm test` (2,000 cases, test/fuzz/fuzz.test.ts) and `npm run fuzz`
 * (100,000 cases, scripts/fuzz.ts). A case is one real corpus file (or a ledger written here) and a
 * few mutations of its bytes: bytes deleted or inserted (invalid UTF-8 included), lines swapped,
 * stray code fences, frontmatter markers, CRLF/CR/BOM mixes, a 10,000-line table. The property:
 *   - decoding and parsing never throw, and `toString()` gives back exactly the decoded text;
 *   - the document's structure stays within the text (test/markdown/invariants.ts);
 *   - the file's reader never throws;
 *   - the project with that file swapped in loads, derives, checks and renders its status without
 *     an internal error (the in-process equivalent of `status`/`check` never exiting 70).
 * Projects are loaded through the workspace overlay over an empty folder, so no case touches disk.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseMarkdown, type MarkdownDocument } from '../../src/markdown/index.ts';
import { decode, loadWorkspace } from '../../src/workspace/index.ts';
import { readState } from '../../src/formats/state/read.ts';
import { readRoadmap } from '../../src/formats/roadmap/read.ts';
import { readProject } from '../../src/formats/project.ts';
import { readRequirements } from '../../src/formats/requirements.ts';
import { readPlan } from '../../src/formats/plan.ts';
import { readSummary } from '../../src/formats/summary.ts';
import { readTodo } from '../../src/formats/todo.ts';
import { readMilestones } from '../../src/formats/milestones.ts';
import { createEvent, readLedger, serializeEvents, type EventBody } from '../../src/ledger/index.ts';
import { derive } from '../../src/derive/index.ts';
import { runChecks } from '../../src/checks/index.ts';
import { renderStatus } from '../../src/cli/commands/status.ts';
import { logOf } from '../../src/views/log.ts';
import { isCairnError } from '../../src/model/errors.ts';
import { corpusDir, corpusRepos, corpusSeeds, walkFiles } from '../support/corpus.ts';
import { checkDocument } from '../markdown/invariants.ts';

type Reader = (doc: MarkdownDocument, file: string) => unknown;

/** The reader `loadWorkspace` would pick for a `.planning/`-relative path, or null (not read). */
export function readerFor(rel: string): Reader | null {
  const name = basename(rel);
  if (rel === '.planning/STATE.md') return readState;
  if (rel === '.planning/ROADMAP.md' || /^\.planning\/milestones\/v[^/]*-ROADMAP\.md$/i.test(rel)) return readRoadmap;
  if (rel === '.planning/PROJECT.md') return readProject;
  if (rel === '.planning/REQUIREMENTS.md') return readRequirements;
  if (rel === '.planning/MILESTONES.md') return readMilestones;
  if (/^\.planning\/todos\/[^/]+\/[^/]+\.md$/i.test(rel)) return readTodo;
  if (/SUMMARY\.md$/i.test(name)) return readSummary;
  if (/PLAN\.md$/i.test(name)) return readPlan;
  return null;
}

export interface Sample {
  /** Which project it belongs to (index into `projects`). */
  project: number;
  /** Path relative to the project root. */
  rel: string;
  bytes: Uint8Array;
}

export interface Corpus {
  samples: Sample[];
  /** Every project: the files (relative path → text) every case of it loads beside its own. */
  projects: { name: string; files: Map<string, string> }[];
}

const FILES_PER_PROJECT = 24;

/** A small ledger of every event kind, for the ledger reader and the history merge. */
function ledgerSample(): string {
  const bodies: EventBody[] = [
    { type: 'decision.recorded', text: 'Keep the ledger append-only', tag: '01-01', source: 'cli' },
    { type: 'blocker.raised', blocker: 'b1', text: 'No staging database', group: 'Infra', source: 'cli' },
    { type: 'plan.started', plan: '01-01', phase: '1', source: 'cli' },
    { type: 'plan.completed', plan: '01-01', phase: '1', minutes: 12, source: 'cli' },
    { type: 'todo.added', todo: 't1', text: 'Document the flags', source: 'cli' },
    { type: 'blocker.resolved', blocker: 'b1', source: 'cli' },
    { type: 'todo.done', todo: 't1', source: 'cli' },
    { type: 'session.saved', stoppedAt: 'After 01-01', last: '2026-03-02T10:00:00Z', source: 'adopt' },
    { type: 'phase.completed', phase: '1', source: 'cli' },
    { type: 'phase.metrics', phase: '1', plans: 1, totalMinutes: 12, source: 'adopt' },
    { type: 'milestone.started', milestone: 'v1.1', name: 'Next', source: 'cli' },
    { type: 'milestone.completed', milestone: 'v1.0', source: 'cli' },
  ];
  let after: string | undefined;
  return serializeEvents(bodies.map((b, i) => {
    const e = createEvent(b, new Date(Date.UTC(2026, 2, 1, 9, i)), after);
    after = e.id;
    return e;
  }));
}

/**
 * Every repository of the corpus (its top-level files, then phase and todo files up to a cap, so a
 * case stays cheap) and every seed as a STATE.md-only project; each project also gets the ledger.
 */
export function loadCorpus(): Corpus {
  const projects: Corpus['projects'] = [];
  const samples: Sample[] = [];
  const ledger = ledgerSample();
  const add = (name: string, files: Map<string, string>, raw: Map<string, Uint8Array>) => {
    files.set('.planning/events.jsonl', ledger);
    raw.set('.planning/events.jsonl', new TextEncoder().encode(ledger));
    const project = projects.push({ name, files }) - 1;
    for (const [rel, bytes] of raw) samples.push({ project, rel, bytes });
  };
  if (!corpusDir) return { projects, samples };
  for (const repo of corpusRepos()) {
    const root = join(corpusDir, repo);
    const rels = walkFiles(join(root, '.planning'))
      .map((abs) => abs.slice(root.length + 1).split('\\').join('/'))
      .filter((rel) => readerFor(rel) !== null)
      // Top-level files first (they drive status), then the rest in path order.
      .sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, FILES_PER_PROJECT);
    const files = new Map<string, string>();
    const raw = new Map<string, Uint8Array>();
    for (const rel of rels) {
      const bytes = readFileSync(join(root, rel));
      raw.set(rel, bytes);
      // A case loads STATE.md, ROADMAP.md, the ledger and its own file: what drives status and check, and cheap.
      if (rel === '.planning/STATE.md' || rel === '.planning/ROADMAP.md') files.set(rel, decode(bytes).text);
    }
    add(repo, files, raw);
  }
  for (const seed of corpusSeeds()) {
    const bytes = readFileSync(seed);
    add(`seed ${basename(seed)}`, new Map([['.planning/STATE.md', decode(bytes).text]]), new Map([['.planning/STATE.md', bytes]]));
  }
  return { projects, samples };
}

export type Mutation =
  | { op: 'delete'; at: number; length: number }
  | { op: 'insertBytes'; at: number; bytes: number[] }
  | { op: 'insertText'; at: number; text: string }
  | { op: 'swapLines'; a: number; b: number }
  | { op: 'fence'; line: number; marker: string }
  | { op: 'frontmatter'; line: number; marker: string }
  | { op: 'eol'; style: 'crlf' | 'cr' | 'lf'; every: number }
  | { op: 'bom'; at: number }
  | { op: 'bigTable'; line: number; rows: number };

/** Fragments that mean something to Markdown or to one of the readers. */
const TOKENS = [
  '\n', '\r\n', '\r', '\t', ' ', '|', '\\|', '`', '```', '~~~', '---', '***', '#', '## ', '### Phase 3: ', '- ', '* ', '1. ', '- [x] ', '- [ ] ',
  '> ', '<details>', '</details>', '<summary>', '<!--', '-->', '**', '__', '~~', '[', ']', '(', ')', ':', 'Phase: ', 'Plan: ', 'Status: ',
  '**Plans**: ', 'TBD', '100%', '3/5', '| 1. A | 2/3 | Complete |', '|---|---|', '---\nphase: 01\n---\n', 'completed: 2026-02-30', '\u00a0', '\u200b',
  '\u2028', '\uFEFF', 'é', '数', '🚀', '\\', '\0', '"', "'", '{', '}', '$&', '$1', '999.1', '02.1', 'v2.0',
];

const at = fc.nat({ max: 1 << 20 });

// A 10,000-line table costs ~100× an ordinary case: about one case in 50 gets one.
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 20, arbitrary: fc.record({ op: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 15, arbitrary: fc.record({ op: fc.constant('insertBytes' as const), at, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 }) }) },
  { weight: 25, arbitrary: fc.record({ op: fc.constant('insertText' as const), at, text: fc.oneof(fc.constantFrom(...TOKENS), fc.array(fc.constantFrom(...TOKENS), { maxLength: 6 }).map((t) => t.join('')), fc.string({ maxLength: 12 })) }) },
  { weight: 15, arbitrary: fc.record({ op: fc.constant('swapLines' as const), a: at, b: at }) },
  { weight: 10, arbitrary: fc.record({ op: fc.constant('fence' as const), line: at, marker: fc.constantFrom('```', '~~~', '````', '```yaml', '  ```', '```\n```') }) },
  { weight: 10, arbitrary: fc.record({ op: fc.constant('frontmatter' as const), line: fc.oneof(fc.constant(0), fc.constant(1), at), marker: fc.constantFrom('---', '---\n---', '...', '--- ', '+++') }) },
  { weight: 10, arbitrary: fc.record({ op: fc.constant('eol' as const), style: fc.constantFrom('crlf' as const, 'cr' as const, 'lf' as const), every: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('bom' as const), at: fc.oneof(fc.constant(0), at) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('bigTable' as const), line: at, rows: fc.constant(10_000) }) },
);

const enc = new TextEncoder();

function splitLines(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x0a) {
      out.push(b.subarray(start, i + 1));
      start = i + 1;
    }
  }
  out.push(b.subarray(start));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const insertAt = (b: Uint8Array, pos: number, add: Uint8Array) => concat([b.subarray(0, pos), add, b.subarray(pos)]);

function insertLine(b: Uint8Array, line: number, text: string): Uint8Array {
  const lines = splitLines(b);
  const i = line % (lines.length + 1);
  const offset = lines.slice(0, i).reduce((n, l) => n + l.length, 0);
  // A line inserted after a last line without a newline must not join it.
  const lead = offset > 0 && b[offset - 1] !== 0x0a ? '\n' : '';
  return insertAt(b, offset, enc.encode(`${lead}${text}\n`));
}

function bigTable(rows: number): string {
  const out = ['| Phase | Plans | Status | Completed |', '|-------|-------|--------|-----------|'];
  for (let i = 0; i < rows; i++) out.push(`| ${i + 1}. Part ${i} | ${i % 4}/3 | ${i % 3 ? 'In Progress' : 'Complete'} | 2026-0${1 + (i % 9)}-1${i % 10} |`);
  return out.join('\n');
}

/** Applies one mutation to bytes; positions are taken modulo the current length so any number works. */
export function mutate(b: Uint8Array, m: Mutation): Uint8Array {
  switch (m.op) {
    case 'delete': {
      if (b.length === 0) return b;
      const pos = m.at % b.length;
      return concat([b.subarray(0, pos), b.subarray(Math.min(b.length, pos + m.length))]);
    }
    case 'insertBytes':
      return insertAt(b, m.at % (b.length + 1), Uint8Array.from(m.bytes));
    case 'insertText':
      return insertAt(b, m.at % (b.length + 1), enc.encode(m.text));
    case 'swapLines': {
      const lines = splitLines(b);
      const i = m.a % lines.length;
      const j = m.b % lines.length;
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return concat(lines);
    }
    case 'fence':
      return insertLine(b, m.line, m.marker);
    case 'frontmatter':
      return insertLine(b, m.line, m.marker);
    case 'eol': {
      const lines = splitLines(b);
      const eol = m.style === 'crlf' ? [0x0d, 0x0a] : m.style === 'cr' ? [0x0d] : [0x0a];
      return concat(lines.map((l, i) => {
        if (i % m.every !== 0 || l.length === 0 || l[l.length - 1] !== 0x0a) return l;
        const body = l[l.length - 2] === 0x0d ? l.subarray(0, l.length - 2) : l.subarray(0, l.length - 1);
        return concat([body, Uint8Array.from(eol)]);
      }));
    }
    case 'bom':
      return insertAt(b, m.at % (b.length + 1), Uint8Array.from([0xef, 0xbb, 0xbf]));
    case 'bigTable':
      return insertLine(b, m.line, bigTable(m.rows));
  }
}

export interface FuzzCase {
  sample: number;
  mutations: Mutation[];
  /**
   * Also load the whole project and run status/check. Always for STATE.md, ROADMAP.md and the
   * ledger (what derive reads most); for other files one case in four, since a project load costs
   * about five times the rest of a case.
   */
  project: boolean;
}

export function caseArb(corpus: Corpus): fc.Arbitrary<FuzzCase> {
  return fc.record({
    sample: fc.nat({ max: Math.max(0, corpus.samples.length - 1) }),
    mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
    project: fc.nat({ max: 3 }).map((n) => n === 0),
  });
}

const DRIVERS: Record<string, true> = { '.planning/STATE.md': true, '.planning/ROADMAP.md': true, '.planning/events.jsonl': true };
const NOW = new Date('2026-03-15T12:00:00.000Z');
let emptyRoot: string | null = null;

/** An empty project folder: every file of a case comes from the overlay. */
function root(): string {
  if (!emptyRoot) {
    emptyRoot = mkdtempSync(join(tmpdir(), 'cairn-fuzz-'));
    mkdirSync(join(emptyRoot, '.planning'));
  }
  return emptyRoot;
}

/** Throws (with what broke) when the property fails for `c`. */
export async function checkCase(corpus: Corpus, c: FuzzCase): Promise<void> {
  const sample = corpus.samples[c.sample]!;
  let bytes = sample.bytes;
  for (const m of c.mutations) bytes = mutate(bytes, m);
  const withProject = c.project || sample.rel in DRIVERS;
  await checkBytes(sample.rel, bytes, withProject ? corpus.projects[sample.project]!.files : null);
}

/**
 * The property for one file's bytes at `rel`: decode, parse, exact `toString()`, structure, reader;
 * then, when `project` is given (its other files), load it with this file, derive, check, render
 * the status and the log. Regression fixtures (test/fixtures/fuzz/) run through the same checks.
 */
export async function checkBytes(rel: string, bytes: Uint8Array, project: ReadonlyMap<string, string> | null): Promise<void> {
  const { text } = decode(bytes);
  const doc = parseMarkdown(text);
  if (doc.toString() !== text) throw new Error(`toString() differs from the text of ${rel}`);
  const problems = checkDocument(doc);
  if (problems.length) throw new Error(`structure of ${rel}: ${problems.slice(0, 3).join('; ')}`);
  if (rel.endsWith('events.jsonl')) readLedger(text, rel);
  else readerFor(rel)!(doc, rel);

  if (!project) return;
  const overlay = new Map(project);
  overlay.set(rel, text);
  try {
    const ws = await loadWorkspace(root(), { overlay });
    const state = derive(ws, NOW);
    runChecks(ws, state);
    renderStatus(state, [...ws.diagnostics, ...state.diagnostics]);
    JSON.stringify(state);
    logOf(ws, { limit: 20 });
  } catch (e) {
    // A CairnError is a refusal with its own exit code (2–4), not an internal error.
    if (!isCairnError(e)) throw e;
  }
}

export function fuzzProperty(corpus: Corpus): fc.IAsyncPropertyWithHooks<[FuzzCase]> {
  return fc.asyncProperty(caseArb(corpus), (c) => checkCase(corpus, c));
}

/** What a failing case was, in words: the file and the mutations. */
export function describeCase(corpus: Corpus, c: FuzzCase): string {
  const s = corpus.samples[c.sample];
  const shown = c.mutations.map((m) => (m.op === 'bigTable' ? { ...m, rows: m.rows } : m));
  return `${s ? `${corpus.projects[s.project]!.name}/${s.rel}` : `sample ${c.sample}`}${c.project ? ' (with its project)' : ''} ← ${JSON.stringify(shown)}`;
}
