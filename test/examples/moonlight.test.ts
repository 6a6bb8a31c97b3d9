/**
 * The bundled example is the README quick start, so its hand-written numbers must agree with its
 * files. Checked with plain fs and regexes on purpose: a bug in our own parsers must not be able to
 * hide a wrong example (or the other way round).
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/corpus.ts';

const planning = join(repoRoot, 'examples/moonlight/.planning');
const read = (rel: string) => readFileSync(join(planning, rel), 'utf8');

interface PlanFacts {
  id: string;
  dir: string;
  hasSummary: boolean;
  minutes: number | null;
  completed: string | null;
  started: string | null;
  keyDecisions: string[];
  requirementsCompleted: string[];
  requirements: string[];
}

function frontmatter(text: string): string {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!m) throw new Error('no frontmatter');
  return m[1]!;
}

function field(fm: string, key: string): string | null {
  const line = fm.split('\n').find((l) => l.startsWith(`${key}:`));
  return line === undefined ? null : line.slice(key.length + 1).trim();
}

function inlineList(value: string | null): string[] {
  if (value === null || value === '[]') return [];
  return value.replace(/^\[|\]$/g, '').split(',').map((s) => s.trim().replace(/^"|"$/g, '')).filter(Boolean);
}

/** Items of a block list such as `key-decisions:\n  - "…"`. */
function blockList(fm: string, key: string): string[] {
  const lines = fm.split('\n');
  const start = lines.findIndex((l) => l === `${key}:`);
  if (start < 0) return inlineList(field(fm, key));
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    const m = /^\s+- (.*)$/.exec(l);
    if (!m) break;
    out.push(m[1]!.replace(/^"|"$/g, ''));
  }
  return out;
}

const phaseDirs = readdirSync(join(planning, 'phases')).sort((a, b) => phaseNumber(a) - phaseNumber(b));
function phaseNumber(dir: string): number {
  return Number(/^(\d+(?:\.\d+)?)-/.exec(dir)![1]);
}

const plans: PlanFacts[] = phaseDirs.flatMap((dir) =>
  readdirSync(join(planning, 'phases', dir))
    .filter((f) => f.endsWith('-PLAN.md'))
    .sort()
    .map((f) => {
      const id = f.slice(0, -'-PLAN.md'.length);
      const summaryPath = join('phases', dir, `${id}-SUMMARY.md`);
      const planFm = frontmatter(read(join('phases', dir, f)));
      const facts: PlanFacts = {
        id, dir, hasSummary: existsSync(join(planning, summaryPath)), minutes: null, completed: null, started: null,
        keyDecisions: [], requirementsCompleted: [], requirements: inlineList(field(planFm, 'requirements')),
      };
      if (facts.hasSummary) {
        const text = read(summaryPath);
        const fm = frontmatter(text);
        const d = /^(\d+)min$/.exec(field(fm, 'duration') ?? '');
        facts.minutes = d ? Number(d[1]) : null;
        facts.completed = field(fm, 'completed');
        facts.started = /\*\*Started:\*\* (\S+)/.exec(text)?.[1] ?? null;
        facts.keyDecisions = blockList(fm, 'key-decisions');
        facts.requirementsCompleted = inlineList(field(fm, 'requirements-completed'));
      }
      return facts;
    }),
);
const done = plans.filter((p) => p.hasSummary);
/** Completion order: by start time, which every SUMMARY records. */
const chronological = [...done].sort((a, b) => (a.started ?? '').localeCompare(b.started ?? ''));
const totalMinutes = done.reduce((s, p) => s + (p.minutes ?? 0), 0);

const state = read('STATE.md');
const roadmap = read('ROADMAP.md');
const stateLine = (label: string) => {
  const m = new RegExp(`^${label}: (.*)$`, 'm').exec(state);
  if (!m) throw new Error(`STATE.md has no "${label}:" line`);
  return m[1]!;
};
const sectionBody = (text: string, heading: string) => {
  const start = text.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`missing ${heading}`);
  const rest = text.slice(start + heading.length + 1);
  const level = heading.indexOf(' ');
  const next = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return next < 0 ? rest : rest.slice(0, next);
};
const tableRows = (body: string) =>
  body.split('\n').filter((l) => l.startsWith('|') && !/^\|[-| ]+\|$/.test(l)).slice(1)
    .map((l) => l.slice(1, -1).split('|').map((c) => c.trim()));

describe('examples/moonlight', () => {
  it('has the advertised shape: 5 phase folders (2.1 inserted), 10 plans, phase 3 half done, phase 4 not started', () => {
    expect(phaseDirs).toEqual(['01-lunar-math', '02-calendar-pages', '02.1-local-dates', '03-feeds-and-print', '04-publish']);
    expect(plans).toHaveLength(10);
    expect(done).toHaveLength(7);
    expect(plans.filter((p) => p.dir === '03-feeds-and-print').map((p) => p.hasSummary)).toEqual([true, false]);
    expect(plans.filter((p) => p.dir === '04-publish').every((p) => !p.hasSummary)).toBe(true);
    for (const p of done) expect(p.minutes, `${p.id} duration`).not.toBeNull();
    // No SUMMARY without its PLAN.
    for (const dir of phaseDirs) {
      for (const f of readdirSync(join(planning, 'phases', dir)).filter((n) => n.endsWith('-SUMMARY.md'))) {
        expect(existsSync(join(planning, 'phases', dir, f.replace('-SUMMARY.md', '-PLAN.md'))), f).toBe(true);
      }
    }
  });

  it('STATE.md position agrees with the files', () => {
    const current = phaseDirs.find((d) => plans.some((p) => p.dir === d && !p.hasSummary))!;
    const inPhase = plans.filter((p) => p.dir === current);
    const heading = new RegExp(`^### Phase ${String(phaseNumber(current))}: (.*)$`, 'm').exec(roadmap);
    expect(heading).not.toBeNull();
    expect(stateLine('Phase')).toBe(`${phaseNumber(current)} of ${phaseDirs.length} (${heading![1]})`);
    expect(stateLine('Plan')).toBe(`${inPhase.filter((p) => p.hasSummary).length} of ${inPhase.length} in current phase`);
    expect(state).toContain(`**Current focus:** Phase ${phaseNumber(current)} — ${heading![1]}`);
    const last = chronological.at(-1)!;
    expect(stateLine('Last activity').startsWith(`${last.completed} — Completed ${last.id}-PLAN.md`)).toBe(true);
    expect(stateLine('Stopped at')).toBe(`Completed ${last.id}-PLAN.md`);
    expect(stateLine('Last session').startsWith(last.completed!)).toBe(true);
  });

  it('progress percent and bar follow the formulas', () => {
    const percent = Math.round((100 * done.length) / plans.length);
    const filled = Math.round(percent / 10);
    expect(stateLine('Progress')).toBe(`[${'█'.repeat(filled)}${'░'.repeat(10 - filled)}] ${percent}%`);
  });

  it('velocity, by-phase table and recent trend are computed from the SUMMARY durations', () => {
    expect(state).toContain(`- Total plans completed: ${done.length}\n`);
    expect(state).toContain(`- Average duration: ${Math.round(totalMinutes / done.length)} min\n`);
    expect(state).toContain(`- Total execution time: ${(totalMinutes / 60).toFixed(1)} hours\n`);

    const byPhase = tableRows(state.slice(state.indexOf('**By Phase:**'), state.indexOf('**Recent Trend:**')));
    const expected = phaseDirs
      .map((dir) => done.filter((p) => p.dir === dir))
      .filter((ps) => ps.length > 0)
      .map((ps) => {
        const sum = ps.reduce((s, p) => s + p.minutes!, 0);
        return [ps[0]!.dir, String(ps.length), `${sum} min`, `${Math.round(sum / ps.length)} min`];
      });
    expect(byPhase).toEqual(expected);

    const last5 = chronological.slice(-5).map((p) => `${p.minutes} min`).join(', ');
    expect(state).toContain(`- Last 5 plans: ${last5}\n`);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const minutes = chronological.map((p) => p.minutes!);
    const change = mean(minutes.slice(-5)) / mean(minutes.slice(-10, -5)) - 1;
    const trend = change < -0.15 ? 'Improving' : change > 0.15 ? 'Degrading' : 'Stable';
    expect(minutes.length).toBeGreaterThanOrEqual(6);
    expect(state).toContain(`- Trend: ${trend}\n`);
  });

  it('SUMMARY durations agree with their own Started/Completed times', () => {
    for (const p of done) {
      const text = read(join('phases', p.dir, `${p.id}-SUMMARY.md`));
      const completedAt = /\*\*Completed:\*\* (\S+)/.exec(text)![1]!;
      expect((Date.parse(completedAt) - Date.parse(p.started!)) / 60_000, p.id).toBe(p.minutes);
      expect(completedAt.slice(0, 10), p.id).toBe(p.completed);
      expect(text, p.id).toContain(`- **Duration:** ${p.minutes} min\n`);
    }
  });

  it('decisions tagged with a plan id come from that plan\'s SUMMARY key-decisions', () => {
    const tagged = [...sectionBody(state, '### Decisions').matchAll(/^- \[(\d[\d.]*-\d+)\]: (.*)$/gm)];
    expect(tagged.length).toBe(done.length);
    for (const [, id, text] of tagged) {
      const p = done.find((x) => x.id === id);
      expect(p, `decision tag ${id}`).toBeDefined();
      expect(p!.keyDecisions).toContain(text);
    }
  });

  it('pending todos and blockers match the folders', () => {
    const pending = readdirSync(join(planning, 'todos/pending')).filter((f) => f.endsWith('.md'));
    const bullets = sectionBody(state, '### Pending Todos').split('\n').filter((l) => l.startsWith('- '));
    expect(bullets).toHaveLength(pending.length);
    for (const f of pending) expect(bullets.some((b) => b.includes(`todos/pending/${f}`)), f).toBe(true);
    const blockers = sectionBody(state, '### Blockers/Concerns').split('\n').filter((l) => l.startsWith('- '));
    for (const b of blockers) {
      const tag = /^- \[(\d[\d.]*-\d+)\]/.exec(b)?.[1];
      if (tag) expect(plans.some((p) => p.id === tag && !p.hasSummary), `blocker on ${tag} names an open plan`).toBe(true);
    }
  });

  it('ROADMAP checklist, plan lists and progress table agree with the files', () => {
    const checklist = [...roadmap.matchAll(/^- \[([ x])\] \*\*Phase (\S+): ([^*]+)\*\*(.*)$/gm)];
    expect(checklist.map((m) => Number(m[2]))).toEqual(phaseDirs.map(phaseNumber));
    const table = tableRows(sectionBody(roadmap, '## Progress'));
    expect(table).toHaveLength(phaseDirs.length);
    phaseDirs.forEach((dir, i) => {
      const ps = plans.filter((p) => p.dir === dir);
      const d = ps.filter((p) => p.hasSummary);
      const complete = d.length === ps.length;
      expect(checklist[i]![1] === 'x', dir).toBe(complete);
      const row = table[i]!;
      expect(row[0]!.startsWith(`${phaseNumber(dir)}. ${checklist[i]![3]}`), dir).toBe(true);
      expect(row[1], dir).toBe(`${d.length}/${ps.length}`);
      expect(row[2], dir).toBe(complete ? 'Complete' : d.length > 0 ? 'In progress' : 'Not started');
      const lastDate = d.map((p) => p.completed!).sort().at(-1);
      expect(row[3], dir).toBe(complete ? lastDate : '-');
      expect(checklist[i]![4]!.endsWith(`(completed ${lastDate})`), dir).toBe(complete);
      expect(roadmap, dir).toContain(`**Plans**: ${ps.length} plan${ps.length === 1 ? '' : 's'}\n`);
      for (const p of ps) expect(roadmap, p.id).toContain(`- [${p.hasSummary ? 'x' : ' '}] ${p.id}-PLAN.md — `);
    });
    expect(roadmap.match(/^- \[[ x]\] \d[\d.]*-\d+-PLAN\.md/gm)).toHaveLength(plans.length);
  });

  it('REQUIREMENTS checkboxes and traceability agree with the SUMMARY requirements-completed', () => {
    const reqs = read('REQUIREMENTS.md');
    const completed = new Set(done.flatMap((p) => p.requirementsCompleted));
    const boxes = [...reqs.matchAll(/^- \[([ x])\] \*\*([A-Z]+-\d+)\*\*: /gm)];
    expect(boxes).toHaveLength(10);
    for (const [, box, id] of boxes) expect(box === 'x', id).toBe(completed.has(id!));
    const trace = tableRows(sectionBody(reqs, '## Traceability'));
    expect(trace.map((r) => r[0])).toEqual(boxes.map((b) => b[2]));
    for (const [id, , status] of trace) expect(status, id).toBe(completed.has(id!) ? 'Complete' : 'Pending');
    // Every requirement is planned somewhere.
    const planned = new Set(plans.flatMap((p) => p.requirements));
    for (const [, , id] of boxes) expect(planned.has(id!), id).toBe(true);
  });

  it('PROJECT.md has the headings and table GSD expects', () => {
    const project = read('PROJECT.md');
    expect(project).toMatch(/^# Moonlight\n/);
    for (const h of ['## What This Is', '## Core Value', '## Requirements', '## Key Decisions']) {
      expect(project).toContain(`\n${h}\n`);
    }
    expect(project).toContain('| Decision | Rationale | Outcome |');
    expect(project).toMatch(/^\*Last updated: \d{4}-\d{2}-\d{2} .*\*$/m);
    const coreValue = sectionBody(project, '## Core Value').trim();
    expect(state).toContain(`**Core value:** ${coreValue}\n`);
  });
});
