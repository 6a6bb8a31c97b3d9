/**
 * Every ROADMAP file of the real corpus (current roadmaps, `milestones/vX.Y-ROADMAP.md` archives,
 * backups, Chinese/Korean/Portuguese ones) plus GSD's template: read without throwing, summary
 * compared with a checked-in expectation reviewed by reading the files
 * (`test/fixtures/roadmap/corpus-expected.json`, regenerate with `UPDATE=1`).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { readRoadmap } from '../../src/formats/roadmap/read.ts';
import type { RoadmapRecord } from '../../src/formats/roadmap/types.ts';
import { parsePhaseDirName } from '../../src/model/ids.ts';
import { corpusDir, corpusRelative, corpusRepos, hasCorpus, repoRoot, walkFiles } from '../support/corpus.ts';

const EXPECTED = join(repoRoot, 'test/fixtures/roadmap/corpus-expected.json');
const SAMPLE = join(repoRoot, '../shared/reference/sample-planning/.planning/ROADMAP.md');

function roadmapFiles(): string[] {
  if (!corpusDir) return [];
  const files = walkFiles(corpusDir).filter((p) => /ROADMAP[^/\\]*\.md$/i.test(p));
  if (existsSync(SAMPLE)) files.push(SAMPLE);
  return files;
}

function label(file: string): string {
  return file === SAMPLE ? 'reference/sample-planning/.planning/ROADMAP.md' : corpusRelative(file);
}

/** One line per field so the expectation file reads like the roadmap it was reviewed against. */
interface Summary {
  phases: number;
  /** Phase keys in roadmap order, each with `@milestone` when grouped. */
  ids: string;
  /** `id:status:phase count` per milestone, document order. */
  milestones: string;
  progressRows: number | null;
  diagnostics: string;
}

function summarize(record: RoadmapRecord, diagnostics: { rule: string; line: number }[]): Summary {
  return {
    phases: record.phases.length,
    ids: record.phases.map((p) => (p.milestone ? `${p.key}@${p.milestone}` : p.key)).join(' '),
    milestones: record.milestones.map((m) => `${m.id ?? m.name}:${m.status ?? '-'}:${m.phaseIds.length}`).join(' '),
    progressRows: record.progressTable ? record.progressTable.rows.length : null,
    diagnostics: diagnostics.map((d) => `${d.rule}@${d.line}`).join(' '),
  };
}

const cache = new Map<string, ReturnType<typeof readUncached>>();

function readUncached(file: string) {
  const doc = parseMarkdown(readFileSync(file, 'utf8'));
  return { doc, ...readRoadmap(doc, label(file)) };
}

function read(file: string) {
  let r = cache.get(file);
  if (!r) cache.set(file, (r = readUncached(file)));
  return r;
}

describe.skipIf(!hasCorpus())('ROADMAP.md reader on the real corpus', () => {
  const files = roadmapFiles();

  it('finds the corpus roadmaps (current, archived, backups, translated)', () => {
    expect(files.length).toBeGreaterThanOrEqual(70);
  });

  it('reads every file without an internal error and matches the reviewed expectation', () => {
    const actual: Record<string, Summary> = {};
    const lines: string[] = [];
    for (const file of files) {
      const { record, diagnostics } = read(file);
      expect(diagnostics.filter((d) => d.rule === 'roadmap-read-failed'), label(file)).toEqual([]);
      const s = summarize(record, diagnostics);
      actual[label(file)] = s;
      lines.push(
        `${label(file)}: ${s.phases} phases [${s.ids}] milestones [${s.milestones}] progress rows ${s.progressRows ?? '-'}`,
      );
    }
    console.log(lines.join('\n'));
    if (process.env.UPDATE === '1') {
      writeFileSync(EXPECTED, JSON.stringify(actual, null, 2) + '\n');
      return;
    }
    const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as Record<string, Summary>;
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const key of Object.keys(expected)) expect(actual[key], key).toEqual(expected[key]);
  });

  it('gives spans that point at what they describe (checkboxes, plan counts, table rows)', () => {
    let checkboxes = 0;
    let counts = 0;
    for (const file of files) {
      const { doc, record } = read(file);
      for (const p of record.phases) {
        if (p.checkbox) {
          checkboxes++;
          const ch = doc.text.slice(p.checkbox.start, p.checkbox.end);
          expect(ch, `${label(file)} phase ${p.id}`).toBe(p.checked ? ch.trim() || 'x' : ' ');
          expect(doc.text[p.checkbox.start - 1]).toBe('[');
          expect(doc.text[p.checkbox.end]).toBe(']');
          expect(p.checked).toBe(ch !== ' ');
        }
        if (p.planCount) {
          counts++;
          expect(doc.text.slice(p.planCount.span.start, p.planCount.span.end), `${label(file)} phase ${p.id}`).toBe(p.planCount.text);
          expect(doc.position(p.planCount.span.start).line).toBe(p.planCount.line);
        }
        for (const plan of p.plans) {
          if (plan.checkbox) expect(doc.text.slice(plan.checkbox.start, plan.checkbox.end)).toBe(plan.checked ? doc.text[plan.checkbox.start] : ' ');
          expect(plan.checked === null).toBe(plan.checkbox === null);
        }
      }
      for (const t of record.progressTables) {
        for (const row of t.rows) expect(doc.position(row.span.start).line).toBe(row.line);
      }
      for (const m of record.milestones) {
        for (const d of m.declarations) {
          const text = doc.text.slice(d.span.start, d.span.end);
          expect(d.span.end, `${label(file)} ${m.id}`).toBeGreaterThan(d.span.start);
          expect(doc.position(d.span.start).line).toBe(d.line);
          if (d.kind === 'details') expect(text, `${label(file)} ${m.id}`).toMatch(/^<details>[\s\S]*<\/details>$/);
          if (d.kind === 'heading') expect(text).toMatch(/^#{1,6} /);
        }
        expect(m.span).toEqual(m.declarations[0]!.span);
      }
    }
    expect(checkboxes).toBeGreaterThan(350);
    expect(counts).toBeGreaterThan(500);
  });

  it('keeps every phase of a milestone grouped under it and every phase id canonical', () => {
    for (const file of files) {
      const { record } = read(file);
      const keys = new Set<string>();
      for (const p of record.phases) {
        expect(keys.has(p.key), `${label(file)} key ${p.key}`).toBe(false);
        keys.add(p.key);
        expect(p.id).toMatch(/^(?:0|[1-9]\d*)[A-Z]?(?:\.(?:0|[1-9]\d*))*$/);
        expect(p.declarations.length).toBeGreaterThan(0);
        expect(p.line).toBe(Math.min(...p.declarations.map((d) => d.line)));
      }
      for (const m of record.milestones) {
        for (const id of m.phaseIds) expect(record.phases.some((p) => p.id === id && p.milestone === (m.id ?? m.name))).toBe(true);
      }
    }
  });

  /**
   * Real inconsistencies in the data, not parser gaps: the roadmap collapsed a shipped milestone to
   * a summary line while its phase directories stayed in `phases/`. Each of these ids must then be
   * found in one of the repository's `milestones/*-ROADMAP.md` archives — except where noted.
   */
  const EXCEPTIONS: Record<string, { ids: string[]; reason: string; inArchive: boolean }> = {
    '9thLevelSoftware__SoundCheck': {
      ids: ['13', '14', '15', '16', '17', '20', '21'],
      reason: 'v2.0 and v3.0 are one <details> summary line each in ROADMAP.md; their phases are listed in milestones/v2.0- and v3.0-ROADMAP.md',
      inArchive: true,
    },
    'ahmetb__kubectl-fields': {
      ids: ['1', '2', '3', '4'],
      reason: 'ROADMAP.md keeps a one-paragraph v1.0 summary; the phases are in milestones/v1.0-ROADMAP.md',
      inArchive: true,
    },
    gannonh__macrokinetic: {
      ids: [...Array.from({ length: 47 }, (_, i) => String(i + 1)), '15.1', '15.2', '33.1', '35.1'],
      reason: 'ROADMAP.md only holds the v0.10.1 patch (phase 48); phases 1-47 are in milestones/v0.1.0…v0.10.0-ROADMAP.md',
      inArchive: true,
    },
    'hillefrederic-alt__hydrophon-design-system': {
      ids: ['1', '2', '3', '4', '5', '6', '7'],
      reason: 'no active milestone; v1.0 is a link in ROADMAP.md and its phases are in milestones/v1.0-ROADMAP.md',
      inArchive: true,
    },
    lbpfeil__ardens: {
      ids: ['1', '2', '3', '4', '4.1', '5', '5.1', '5.2', '6', '7', '8', '9', '10', '11'],
      reason: 'v1.0 and v1.1 are one bullet each in ROADMAP.md; their phases are in milestones/v1.0- and v1.1-ROADMAP.md',
      inArchive: true,
    },
    jushyi__Flick: {
      ids: ['7.1'],
      reason: 'phases/07.1-full-song-integration holds only CONTEXT and RESEARCH: the phase was never added to any roadmap (v1.6 goes 7 → 7.2)',
      inArchive: false,
    },
  };

  it('lists in ROADMAP.md every numbered phase directory of its repository (exceptions explained)', () => {
    let checked = 0;
    for (const repo of corpusRepos()) {
      const planning = join(corpusDir!, repo, '.planning');
      const roadmap = join(planning, 'ROADMAP.md');
      if (!existsSync(roadmap)) continue;
      const phasesDir = join(planning, 'phases');
      const dirIds = existsSync(phasesDir)
        ? readdirSync(phasesDir)
            .filter((d) => statSync(join(phasesDir, d)).isDirectory())
            .map((d) => parsePhaseDirName(d).id)
            .filter((id): id is string => id !== null)
        : [];
      const ids = new Set(read(roadmap).record.phases.map((p) => p.id));
      const missing = [...new Set(dirIds.filter((id) => !ids.has(id)))].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
      const exception = EXCEPTIONS[repo] ?? { ids: [], reason: '', inArchive: true };
      expect(missing, `${repo}: ${exception.reason || 'no exception listed'}`).toEqual(
        [...exception.ids].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b)),
      );
      checked += dirIds.length - missing.length;

      const archiveDir = join(planning, 'milestones');
      const archived = new Set<string>();
      if (existsSync(archiveDir)) {
        for (const f of readdirSync(archiveDir).filter((n) => /ROADMAP\.md$/i.test(n))) {
          for (const p of read(join(archiveDir, f)).record.phases) archived.add(p.id);
        }
      }
      for (const id of exception.ids) expect(archived.has(id), `${repo} phase ${id} in an archive`).toBe(exception.inArchive);
    }
    expect(checked).toBeGreaterThan(300);
  });
});
